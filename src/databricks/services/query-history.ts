/** SQL Query History API 2.0: what SQL warehouses ran, newest first. */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { paginate, type Paginated } from '../paginate.js';
import { int64Id, listCap, nonEmpty, nonNegativeInt, validate, type In } from '../validate.js';
import type { OpenEnum } from './types.js';

const PATH = '/api/2.0/sql/history/queries';

export type QueryStatus = OpenEnum<'QUEUED' | 'RUNNING' | 'CANCELED' | 'FAILED' | 'FINISHED' | 'COMPILED' | 'COMPILING' | 'STARTED'>;
const STATUSES = ['QUEUED', 'RUNNING', 'CANCELED', 'FAILED', 'FINISHED', 'COMPILED', 'COMPILING', 'STARTED'] as const;

const TimeRange = z
  .looseObject({ start_time_ms: nonNegativeInt.optional(), end_time_ms: nonNegativeInt.optional() })
  .refine((r) => r.start_time_ms === undefined || r.end_time_ms === undefined || r.start_time_ms <= r.end_time_ms, { error: 'start_time_ms must not be after end_time_ms' });
const Filter = z.looseObject({
  statement_ids: z.array(nonEmpty).optional(),
  user_ids: z.array(int64Id).optional(),
  warehouse_ids: z.array(nonEmpty).optional(),
  statuses: z.array(z.enum(STATUSES, { error: `must be one of ${STATUSES.join(', ')}` })).optional(),
  query_start_time_range: TimeRange.optional(),
});
const ListSchema = z.looseObject({
  filter_by: Filter.optional(),
  include_metrics: z.boolean({ error: 'must be a boolean' }).optional(),
  // The API documents "less than 1000" (default 100).
  max_results: z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).min(1, { error: 'must be at least 1' }).max(999, { error: 'must be less than 1000' }).optional(),
  page_token: z.string().optional(),
  limit: listCap.shape.limit,
});
export type ListQueryHistoryRequest = In<typeof ListSchema>;

/** Only with `include_metrics`; fields the service cannot measure are absent. */
export interface QueryMetrics {
  total_time_ms?: number;
  execution_time_ms?: number;
  compilation_time_ms?: number;
  rows_produced_count?: number;
  rows_read_count?: number;
  read_bytes?: number;
  result_from_cache?: boolean;
  provisioning_queue_start_timestamp?: number;
  query_compilation_start_timestamp?: number;
  [field: string]: unknown;
}

export interface QueryInfo {
  query_id?: string;
  status?: QueryStatus;
  query_text?: string;
  statement_type?: string;
  warehouse_id?: string;
  /** Alias of warehouse_id. */
  endpoint_id?: string;
  user_id?: number;
  user_name?: string;
  executed_as_user_id?: number;
  executed_as_user_name?: string;
  query_start_time_ms?: number;
  query_end_time_ms?: number;
  execution_end_time_ms?: number;
  duration?: number;
  rows_produced?: number;
  error_message?: string;
  lookup_key?: string;
  is_final?: boolean;
  metrics?: QueryMetrics;
  [field: string]: unknown;
}

export interface ListQueriesResponse {
  res?: QueryInfo[];
  has_next_page?: boolean;
  next_page_token?: string;
}

export class QueryHistoryService {
  constructor(private readonly http: HttpClient) {}

  /** One page; `filter_by` goes into the query string with dots, as the SDKs send it. */
  async listPage(req: ListQueryHistoryRequest = {}, opts?: CallOptions): Promise<ListQueriesResponse> {
    const { limit: _l, ...query } = validate('queryHistory.list', ListSchema, req);
    return this.http.request({ operation: 'queryHistory.list', method: 'GET', path: PATH, query, idempotent: true, ...opts });
  }

  /** Every entry, newest first; `limit` caps the total. */
  list(req: ListQueryHistoryRequest = {}, opts?: CallOptions): Paginated<QueryInfo> {
    const { limit, ...q } = validate('queryHistory.list', ListSchema, req);
    return paginate<QueryInfo, string>(async (page_token) => {
      const r = await this.listPage({ ...q, ...(page_token ? { page_token } : {}) }, opts);
      // has_next_page is the answer's own word on the end; a token alone is not trusted past it.
      return { items: r.res ?? [], next: r.has_next_page === false ? undefined : r.next_page_token };
    }, limit);
  }
}
