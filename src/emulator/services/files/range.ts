/**
 * One `Range: bytes=…` request header against a file of `size` bytes (RFC 9110 §14): `a-b`, `a-`
 * or `-n`. Returns the inclusive byte span, 'unsatisfiable' (→ 416), or undefined to send the
 * whole file (no header, another unit, or several ranges, which a server may ignore).
 */
export function parseRange(header: string | string[] | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
