/**
 * Async iteration over every item of a paginated list, whatever the style (§1.7): each service
 * passes a `fetchPage(cursor)` that returns the page's items and the next cursor (page token,
 * offset, or cluster-events `next_page` object), or no cursor at the end. Lists in the common
 * `page_token` → `next_page_token` style use `byPageToken`, which only needs the page fetch and the items key.
 */
import { DatabricksError } from './errors.js';
import type { CallOptions } from './http.js';

/**
 * Empty pages in a row, each with a cursor never seen before, after which a list is taken to be a
 * server fault: UC sends an occasional empty page with a token (§1.6 quirk 8), never an endless run
 * of them, and without a cap such a server would be called forever (no item counts against `limit`).
 */
export const MAX_EMPTY_PAGES_IN_A_ROW = 100;

/** A list the server never ended; the items already yielded are all the caller gets. */
export class PaginationError extends DatabricksError {
  constructor(message: string) {
    super({ message, errorCode: 'PAGINATION_ERROR' });
  }
}

export interface Page<T, C> {
  items: T[];
  /** Cursor for the next page; undefined at the end. */
  next?: C | undefined;
}

export interface ListOptions extends CallOptions {
  /** Stop after this many items in total (across pages). */
  limit?: number;
}

export class Paginated<T> implements AsyncIterable<T> {
  constructor(
    private readonly fetchPage: (cursor: unknown) => Promise<Page<T, unknown>>,
    private readonly limit?: number,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let yielded = 0;
    let cursor: unknown = undefined;
    const seen = new Set<string>();
    let emptyInARow = 0;
    if (this.limit === 0) return;
    for (;;) {
      const page = await this.fetchPage(cursor);
      emptyInARow = page.items.length === 0 ? emptyInARow + 1 : 0;
      for (const item of page.items) {
        yield item;
        yielded++;
        if (this.limit !== undefined && yielded >= this.limit) return;
      }
      if (page.next === undefined || page.next === null || page.next === '') return;
      // UC may send an empty page that still has a token (§1.6 quirk 8), so an empty page alone
      // does not end the list; a cursor we have already followed does (a server bug would loop).
      const key = JSON.stringify(page.next);
      if (seen.has(key)) return;
      if (emptyInARow >= MAX_EMPTY_PAGES_IN_A_ROW) {
        throw new PaginationError(`list stopped after ${emptyInARow} empty pages in a row, each with a new page token: the server never ends this list (${yielded} item(s) were returned before)`);
      }
      seen.add(key);
      cursor = page.next;
    }
  }

  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this) out.push(item);
    return out;
  }
}

/** Builds an iterator from a page fetcher; `limit` caps the total item count. */
export function paginate<T, C>(fetchPage: (cursor: C | undefined) => Promise<Page<T, C>>, limit?: number): Paginated<T> {
  return new Paginated<T>(fetchPage as (cursor: unknown) => Promise<Page<T, unknown>>, limit);
}

/** The page-token request parameter: `{}` on the first call, `{ page_token }` after. */
export type PageToken = { page_token?: string };

/**
 * The common page-token style: `fetch(page)` gets one page (spread `page` into the request's query),
 * `items(r)` picks the page's array, and `r.next_page_token` is the cursor (missing or empty ends it).
 */
export function byPageToken<T, R extends { next_page_token?: string | undefined }>(
  fetch: (page: PageToken) => Promise<R>,
  items: (r: R) => T[] | undefined,
  limit?: number,
): Paginated<T> {
  return paginate<T, string>(async (token) => {
    const r = await fetch(token ? { page_token: token } : {});
    return { items: items(r) ?? [], next: r.next_page_token };
  }, limit);
}
