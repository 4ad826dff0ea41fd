/** FNV-1a, 64-bit, as 16 hex characters: a short deterministic key from a long id (no crypto in the sandbox). */
export function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const ch of text) {
    h ^= BigInt(ch.codePointAt(0)!);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}
