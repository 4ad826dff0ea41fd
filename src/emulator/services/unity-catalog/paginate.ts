import { invalidParameter } from '../../http/errors.js';

/** Server page size when a client sends max_results=0, and the cap for larger values. */
export const UC_PAGE_SIZE = 50;
export const UC_MAX_PAGE_SIZE = 1000;

/**
 * Unity Catalog pagination (reference §1.7): max_results unset = everything, 0 = server page
 * size, > 0 = min(value, cap), < 0 = error. The token is opaque; pages are never empty unless the
 * whole list is (the JS SDK stops at the first empty page, quirk 8).
 */
export function ucPage<T>(
  items: readonly T[],
  maxResults: number | undefined,
  pageToken: string | undefined,
  sizes: { pageSize: number; maxPageSize: number } = { pageSize: UC_PAGE_SIZE, maxPageSize: UC_MAX_PAGE_SIZE },
): { page: T[]; next_page_token?: string } {
  if (maxResults !== undefined && maxResults < 0) throw invalidParameter('max_results must be greater than or equal to 0.');
  let offset = 0;
  if (pageToken) {
    const decoded = Buffer.from(pageToken, 'base64url').toString('utf8');
    const m = /^offset:(\d+)$/.exec(decoded);
    if (!m) throw invalidParameter(`Invalid page token: ${pageToken.slice(0, 40)}`);
    offset = Number(m[1]);
  }
  if (maxResults === undefined) return { page: items.slice(offset) };
  const size = maxResults === 0 ? sizes.pageSize : Math.min(maxResults, sizes.maxPageSize);
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length ? { page, next_page_token: Buffer.from(`offset:${next}`).toString('base64url') } : { page };
}
