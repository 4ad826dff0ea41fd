import { z } from 'zod';
import { scimBadRequest } from './errors.js';
import { parseFilter, type Getter } from './filter.js';
import { LIST_SCHEMA } from './ids.js';

/** Query of every SCIM list (`GET /Groups`, `/Users`, `/ServicePrincipals`); numbers arrive as strings. */
export const listQuery = z.object({
  filter: z.string().optional(),
  attributes: z.string().optional(),
  excludedAttributes: z.string().optional(),
  sortBy: z.string().optional(),
  sortOrder: z.enum(['ascending', 'descending']).optional(),
  startIndex: z.string().regex(/^-?\d+$/, 'must be an integer').optional(),
  count: z.string().regex(/^-?\d+$/, 'must be an integer').optional(),
});
export type ListQuery = z.output<typeof listQuery>;

/** Above this, `count` is cut down (the SDKs ask for 10000 per page; the real maximum is unverified). */
export const MAX_COUNT = 10_000;

/**
 * A ListResponse (RFC 7644 §3.4.2): `startIndex` is 1-based (below 1 counts as 1), `count` < 0
 * counts as 0, `totalResults` counts every match. `Resources` is always present, empty past the
 * end: both SDK iterators stop at an empty (or missing) page, and the Python one advances
 * `startIndex` by the page length.
 */
export function listResponse(items: Record<string, unknown>[], q: ListQuery, filterable: ReadonlySet<string>): Record<string, unknown> {
  let matched = items;
  if (q.filter !== undefined && q.filter.trim() !== '') {
    const f = parseFilter(q.filter, filterable);
    matched = items.filter((item) => f(getter(item)));
  }
  if (q.sortBy !== undefined) {
    const key = q.sortBy.toLowerCase();
    if (!filterable.has(key)) throw scimBadRequest(`Invalid sortBy '${q.sortBy}': unsupported attribute.`);
    const text = (item: Record<string, unknown>) => String(getter(item)(key) ?? '');
    matched = [...matched].sort((a, b) => text(a).localeCompare(text(b)));
    if (q.sortOrder === 'descending') matched.reverse();
  }
  const start = Math.max(1, Number(q.startIndex ?? 1));
  const count = Math.min(MAX_COUNT, Math.max(0, Number(q.count ?? MAX_COUNT)));
  const page = matched.slice(start - 1, start - 1 + count).map((item) => project(item, q));
  return { totalResults: matched.length, itemsPerPage: page.length, startIndex: start, schemas: [LIST_SCHEMA], Resources: page };
}

/** Case-insensitive attribute lookup; `a.b` reads `b` of every element when `a` is an array (e.g. `emails.value`). */
export function getter(item: Record<string, unknown>): Getter {
  return (attribute) => {
    let cur: unknown[] = [item];
    for (const part of attribute.split('.')) {
      const next: unknown[] = [];
      for (const c of cur) {
        if (c === null || typeof c !== 'object') continue;
        const k = Object.keys(c).find((key) => key.toLowerCase() === part);
        const v = k === undefined ? undefined : (c as Record<string, unknown>)[k];
        if (Array.isArray(v)) next.push(...v);
        else if (v !== undefined) next.push(v);
      }
      cur = next;
    }
    return cur.length === 0 ? undefined : cur.length === 1 ? cur[0] : cur;
  };
}

/**
 * `attributes` keeps only the named top-level attributes (plus `id` and `schemas`, which SCIM
 * always returns); `excludedAttributes` drops the named ones. Sub-attributes are not projected.
 */
export function project(item: Record<string, unknown>, q: Pick<ListQuery, 'attributes' | 'excludedAttributes'>): Record<string, unknown> {
  const names = (s: string | undefined) => new Set((s ?? '').split(',').map((a) => a.trim().toLowerCase()).filter(Boolean));
  const keep = names(q.attributes);
  const drop = names(q.excludedAttributes);
  if (keep.size === 0 && drop.size === 0) return item;
  return Object.fromEntries(
    Object.entries(item).filter(([k]) => {
      const key = k.toLowerCase();
      if (key === 'id' || key === 'schemas') return true;
      return (keep.size === 0 || keep.has(key)) && !drop.has(key);
    }),
  );
}
