/** What the Unity Catalog services share: the base path, path segments and the page walk. */
import { paginate, type Paginated } from '../paginate.js';

export const BASE = '/api/2.1/unity-catalog';
export const seg = (s: string): string => encodeURIComponent(s);

/** Pages by `page_token` until no `next_page_token` (an empty page with a token is followed, §1.6 quirk 8). */
export function ucList<T>(fetch: (page_token?: string) => Promise<{ items?: T[]; next?: string }>, limit?: number): Paginated<T> {
  return paginate<T, string>(async (token) => {
    const r = await fetch(token);
    return { items: r.items ?? [], next: r.next };
  }, limit);
}
