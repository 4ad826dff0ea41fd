import { z } from 'zod';
import type { Principal } from '../../auth.js';
import { invalidParameter } from '../../http/errors.js';
import { decodePageToken, encodePageToken, listBody } from '../../http/paging.js';
import { route, versions, type RouteDef } from '../../http/router.js';
import { bool, int, list, nonEmpty } from '../../http/validation.js';
import { principalId } from '../scim/index.js';
import type { HistoryEntry, QueryHistory } from './history.js';

/**
 * `GET /api/2.0/sql/history/queries`. The SDKs send `filter_by` in the query string with dots
 * (`filter_by.statuses=FAILED&filter_by.query_start_time_range.start_time_ms=…`); old clients send
 * it as a GET body, which the router merges in. Admins see every entry, others their own.
 */
const ALL_STATUSES = ['QUEUED', 'RUNNING', 'CANCELED', 'FAILED', 'FINISHED', 'COMPILED', 'COMPILING', 'STARTED'] as const;
const DEFAULT_PAGE = 100;
const PAGE_LIMIT = 1000;
const MAX_RANGE_MS = 30 * 24 * 60 * 60_000;

const listInput = z.object({
  filter_by: z
    .object({
      statement_ids: list(nonEmpty()).optional(),
      user_ids: list(int()).optional(),
      warehouse_ids: list(nonEmpty()).optional(),
      statuses: list(z.enum(ALL_STATUSES)).optional(),
      query_start_time_range: z.object({ start_time_ms: int().optional(), end_time_ms: int().optional() }).optional(),
    })
    .optional(),
  include_metrics: bool().optional(),
  max_results: int().optional(),
  page_token: z.string().optional(),
});
type ListInput = z.output<typeof listInput>;

const userId = (u: HistoryEntry['user']) => Number(principalId(u));

/** Checks what zod cannot express, before anything is read. */
function checkInput(i: ListInput): number {
  const size = i.max_results || DEFAULT_PAGE;
  if (size < 0 || size >= PAGE_LIMIT) throw invalidParameter(`max_results must be less than ${PAGE_LIMIT} and not negative, got ${size}.`);
  const range = i.filter_by?.query_start_time_range;
  if (range?.start_time_ms !== undefined && range.end_time_ms !== undefined) {
    if (range.start_time_ms > range.end_time_ms) throw invalidParameter(`filter_by.query_start_time_range: start_time_ms (${range.start_time_ms}) is after end_time_ms (${range.end_time_ms}).`);
    if (range.end_time_ms - range.start_time_ms > MAX_RANGE_MS) throw invalidParameter('filter_by.query_start_time_range must span at most 30 days.');
  }
  return size;
}

function matcher(i: ListInput, who: Principal): (e: HistoryEntry) => boolean {
  const f = i.filter_by ?? {};
  const range = f.query_start_time_range;
  return (e) =>
    (who.isAdmin || (e.user.userName === who.userName && e.user.kind === who.kind)) &&
    (!f.statement_ids?.length || f.statement_ids.includes(e.queryId)) &&
    (!f.warehouse_ids?.length || f.warehouse_ids.includes(e.warehouseId)) &&
    (!f.statuses?.length || f.statuses.includes(e.status)) &&
    (!f.user_ids?.length || f.user_ids.includes(userId(e.user))) &&
    (range?.start_time_ms === undefined || e.startMs >= range.start_time_ms) &&
    (range?.end_time_ms === undefined || e.startMs <= range.end_time_ms);
}

/** Only what the emulator measures; the engine's internals (bytes read, files, tasks, spill) are left out. */
function metrics(e: HistoryEntry): Record<string, unknown> {
  const ended = e.endMs !== undefined;
  return {
    result_from_cache: false,
    ...(e.rows !== undefined ? { rows_produced_count: e.rows } : {}),
    ...(ended ? { total_time_ms: e.endMs! - e.startMs } : {}),
    ...(ended && e.executionStartMs !== undefined ? { execution_time_ms: e.endMs! - e.executionStartMs } : {}),
    ...(e.executionStartMs !== undefined ? { query_compilation_start_timestamp: e.executionStartMs } : {}),
    ...(e.provisioningQueueStartMs !== undefined ? { provisioning_queue_start_timestamp: e.provisioningQueueStartMs } : {}),
  };
}

/** A QueryInfo. */
export function queryInfo(e: HistoryEntry, includeMetrics: boolean): Record<string, unknown> {
  const uid = userId(e.user);
  return {
    query_id: e.queryId,
    status: e.status,
    query_text: e.text,
    statement_type: e.statementType,
    warehouse_id: e.warehouseId,
    endpoint_id: e.warehouseId,
    user_id: uid,
    user_name: e.user.userName,
    executed_as_user_id: uid,
    executed_as_user_name: e.user.userName,
    query_start_time_ms: e.startMs,
    ...(e.endMs !== undefined ? { query_end_time_ms: e.endMs, execution_end_time_ms: e.endMs, duration: e.endMs - e.startMs } : {}),
    ...(e.rows !== undefined ? { rows_produced: e.rows } : {}),
    ...(e.error !== undefined ? { error_message: e.error } : {}),
    ...(e.lookupKey !== undefined ? { lookup_key: e.lookupKey } : {}),
    is_final: e.endMs !== undefined,
    ...(includeMetrics ? { metrics: metrics(e) } : {}),
  };
}

export function historyRoutes(history: QueryHistory): RouteDef[] {
  return [
    route({
      method: 'GET',
      paths: versions(['2.0'], '/sql/history/queries'),
      input: listInput,
      handle(i, req) {
        const size = checkInput(i);
        const below = i.page_token !== undefined ? decodePageToken(i.page_token) : Infinity;
        const match = matcher(i, req.principal);
        const page: HistoryEntry[] = [];
        let more = false;
        for (const e of history.newestFirst()) {
          if (e.seq >= below || !match(e)) continue;
          if (page.length === size) {
            more = true;
            break;
          }
          page.push(e);
        }
        const last = page[page.length - 1];
        return listBody(
          'res',
          page.map((e) => queryInfo(e, i.include_metrics === true)),
          more && last ? { has_next_page: true, next_page_token: encodePageToken(last.seq) } : { has_next_page: false },
        );
      },
    }),
  ];
}
