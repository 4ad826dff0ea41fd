/**
 * Query strings as the SDKs encode them (reference §1.2): nested objects flatten with dots,
 * arrays repeat the key. `filter_by.cluster_states=A&filter_by.cluster_states=B` becomes
 * `{filter_by: {cluster_states: ['A', 'B']}}`.
 */
export function parseQuery(search: string): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (search === '') return out;
  entries: for (const [key, value] of new URLSearchParams(search)) {
    const parts = key.split('.');
    let target: Record<string, unknown> = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i] as string;
      if (isUnsafeKey(part)) continue entries;
      const next = target[part];
      if (next === undefined || next === null || typeof next !== 'object' || Array.isArray(next)) {
        const created = Object.create(null) as Record<string, unknown>;
        target[part] = created;
        target = created;
      } else {
        target = next as Record<string, unknown>;
      }
    }
    const leaf = parts[parts.length - 1] as string;
    if (isUnsafeKey(leaf)) continue;
    const existing = target[leaf];
    if (existing === undefined) target[leaf] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else target[leaf] = [existing, value];
  }
  return out;
}

function isUnsafeKey(k: string): boolean {
  return k === '__proto__' || k === 'constructor' || k === 'prototype';
}
