/**
 * SQL Statement Execution API 2.0 (§2.12), with `executeAndFetch`: submit, poll until a terminal
 * state, then iterate every row of every result chunk (INLINE or EXTERNAL_LINKS, JSON_ARRAY).
 * A statement that fails to execute answers HTTP 200 with state FAILED (§1.6 quirk 5); that
 * becomes a StatementExecutionError here.
 */
import { z } from 'zod';
import { DatabricksError, DeadlineExceededError, RequestAbortedError, StatementExecutionError, ValidationError } from '../errors.js';
import { EXTERNAL_LINK, type CallOptions, type HttpClient } from '../http.js';
import { nonEmpty, nonNegativeInt, validate, type In } from '../validate.js';
import type { Empty, OpenEnum } from './types.js';

const BASE = '/api/2.0/sql/statements';
/** Statement text limit (§1.9). */
export const MAX_STATEMENT_BYTES = 16 * 1024 * 1024;

export type StatementState = OpenEnum<'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'CLOSED'>;
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED']);

const ExecuteSchema = z.looseObject({
  statement: nonEmpty.refine((s) => Buffer.byteLength(s) <= MAX_STATEMENT_BYTES, { error: 'must be at most 16 MiB' }),
  warehouse_id: nonEmpty,
  catalog: z.string().optional(),
  schema: z.string().optional(),
  parameters: z.array(z.looseObject({ name: nonEmpty, value: z.string().nullable().optional(), type: z.string().optional() })).optional(),
  wait_timeout: z
    .string()
    .regex(/^(0|[5-9]|[1-4]\d|50)s$/, { error: "must be '0s' or '5s'..'50s'" })
    .optional(),
  on_wait_timeout: z.enum(['CONTINUE', 'CANCEL'], { error: 'must be CONTINUE or CANCEL' }).optional(),
  disposition: z.enum(['INLINE', 'EXTERNAL_LINKS'], { error: 'must be INLINE or EXTERNAL_LINKS' }).optional(),
  format: z.enum(['JSON_ARRAY', 'ARROW_STREAM', 'CSV'], { error: 'must be JSON_ARRAY, ARROW_STREAM or CSV' }).optional(),
  row_limit: nonNegativeInt.optional(),
  byte_limit: nonNegativeInt.optional(),
});
export type ExecuteStatementRequest = z.infer<typeof ExecuteSchema>;
const IdSchema = z.looseObject({ statement_id: nonEmpty });
const ChunkSchema = z.looseObject({ statement_id: nonEmpty, chunk_index: nonNegativeInt });

export interface ColumnSchema {
  name: string;
  position?: number;
  type_name?: string;
  type_text?: string;
  type_precision?: number;
  type_scale?: number;
  type_interval_type?: string;
}

export interface ResultManifest {
  format?: OpenEnum<'JSON_ARRAY' | 'ARROW_STREAM' | 'CSV'>;
  schema?: { column_count?: number; columns?: ColumnSchema[] };
  total_chunk_count?: number;
  total_row_count?: number;
  total_byte_count?: number;
  chunks?: { chunk_index: number; row_offset?: number; row_count?: number; byte_count?: number }[];
  truncated?: boolean;
}

export interface ExternalLink {
  chunk_index: number;
  row_offset?: number;
  row_count?: number;
  byte_count?: number;
  external_link: string;
  expiration?: string;
  http_headers?: Record<string, string>;
  next_chunk_index?: number;
  next_chunk_internal_link?: string;
}

/** A row: every non-null value is a string. */
export type Row = (string | null)[];

export interface ResultData {
  chunk_index?: number;
  row_offset?: number;
  row_count?: number;
  data_array?: Row[];
  external_links?: ExternalLink[];
  next_chunk_index?: number;
  next_chunk_internal_link?: string;
}

export interface StatementStatus {
  state?: StatementState;
  error?: { error_code?: string; message?: string };
}

export interface StatementResponse {
  statement_id: string;
  status?: StatementStatus;
  manifest?: ResultManifest;
  result?: ResultData;
}

export interface ExecuteAndFetchOptions extends CallOptions {
  /** Give up (and cancel the statement) after this long; default 10 minutes. */
  waitTimeoutMs?: number;
  /** First poll delay; grows ×1.5 to `maxPollIntervalMs`. Default 250 ms. */
  pollIntervalMs?: number;
  /** Default 5 s. */
  maxPollIntervalMs?: number;
}

/** A finished statement: schema up front, rows streamed chunk by chunk. */
export interface StatementResult extends AsyncIterable<Row> {
  statementId: string;
  manifest: ResultManifest | undefined;
  columns: ColumnSchema[];
  toArray(): Promise<Row[]>;
}

export class StatementsService {
  constructor(private readonly http: HttpClient) {}

  /** Not retried after sending: a repeat would run the statement twice. */
  async execute(req: ExecuteStatementRequest, opts?: CallOptions): Promise<StatementResponse> {
    const body = validate('statements.execute', ExecuteSchema, req);
    return this.http.request({ operation: 'statements.execute', method: 'POST', path: BASE, body, idempotent: false, ...opts });
  }

  async get(req: In<typeof IdSchema>, opts?: CallOptions): Promise<StatementResponse> {
    const { statement_id } = validate('statements.get', IdSchema, req);
    return this.http.request({ operation: 'statements.get', method: 'GET', path: `${BASE}/${encodeURIComponent(statement_id)}`, idempotent: true, ...opts });
  }

  async getChunk(req: In<typeof ChunkSchema>, opts?: CallOptions): Promise<ResultData> {
    const { statement_id, chunk_index } = validate('statements.getChunk', ChunkSchema, req);
    return this.http.request({
      operation: 'statements.getChunk',
      method: 'GET',
      path: `${BASE}/${encodeURIComponent(statement_id)}/result/chunks/${chunk_index}`,
      idempotent: true,
      ...opts,
    });
  }

  /** A receipt only; poll for CANCELED. No body (§1.2). Safe to repeat. */
  async cancel(req: In<typeof IdSchema>, opts?: CallOptions): Promise<Empty> {
    const { statement_id } = validate('statements.cancel', IdSchema, req);
    return this.http.request({ operation: 'statements.cancel', method: 'POST', path: `${BASE}/${encodeURIComponent(statement_id)}/cancel`, idempotent: true, ...opts });
  }

  /**
   * Executes, waits for a terminal state, and returns the rows of all chunks as an async iterable.
   * FAILED/CANCELED/CLOSED throw StatementExecutionError; running past `waitTimeoutMs` cancels the
   * statement and throws DeadlineExceededError; an aborted signal cancels it too.
   */
  async executeAndFetch(req: ExecuteStatementRequest, options: ExecuteAndFetchOptions = {}): Promise<StatementResult> {
    const body = validate('statements.executeAndFetch', ExecuteSchema, req);
    if (body.format !== undefined && body.format !== 'JSON_ARRAY') {
      throw new ValidationError('statements.executeAndFetch', 'format', 'must be JSON_ARRAY (rows are decoded as JSON)');
    }
    const { waitTimeoutMs = 600_000, pollIntervalMs = 250, maxPollIntervalMs = 5_000, ...opts } = options;
    const clock = this.http.clock;
    const deadline = clock.now() + waitTimeoutMs;
    let r = await this.execute({ wait_timeout: '10s', ...body }, opts);
    let interval = pollIntervalMs;
    while (!TERMINAL.has(r.status?.state ?? '')) {
      if (opts.signal?.aborted || clock.now() >= deadline) {
        await this.cancel({ statement_id: r.statement_id }).catch(() => undefined);
        if (opts.signal?.aborted) {
          throw new RequestAbortedError({ message: `Statement ${r.statement_id} aborted by the caller; cancel requested`, errorCode: 'ABORTED' });
        }
        throw new DeadlineExceededError({ message: `Statement ${r.statement_id} not finished after ${waitTimeoutMs} ms; cancel requested`, errorCode: 'DEADLINE_EXCEEDED' });
      }
      await clock.sleep(Math.min(interval, Math.max(0, deadline - clock.now())), opts.signal).catch(() => undefined);
      interval = Math.min(maxPollIntervalMs, interval * 1.5);
      if (!opts.signal?.aborted) r = await this.get({ statement_id: r.statement_id }, opts);
    }
    const state = r.status?.state ?? 'UNKNOWN';
    if (state !== 'SUCCEEDED') {
      throw new StatementExecutionError({
        statementId: r.statement_id,
        state,
        errorCode: r.status?.error?.error_code ?? state,
        message: `Statement ${r.statement_id} ${state}${r.status?.error?.message ? `: ${r.status.error.message}` : ''}`,
      });
    }
    return this.resultOf(r, opts);
  }

  private resultOf(r: StatementResponse, opts: CallOptions): StatementResult {
    const rows = (): AsyncGenerator<Row> => this.rows(r, opts);
    return {
      statementId: r.statement_id,
      manifest: r.manifest,
      columns: r.manifest?.schema?.columns ?? [],
      [Symbol.asyncIterator]: rows,
      async toArray() {
        const out: Row[] = [];
        for await (const row of rows()) out.push(row);
        return out;
      },
    };
  }

  private async *rows(r: StatementResponse, opts: CallOptions): AsyncGenerator<Row> {
    const total = r.manifest?.total_chunk_count;
    if (total === 0) return;
    let data: ResultData | undefined = r.result;
    if (!data || (data.data_array === undefined && data.external_links === undefined)) {
      data = await this.getChunk({ statement_id: r.statement_id, chunk_index: 0 }, opts);
    }
    for (;;) {
      if (data.external_links) {
        for (const link of data.external_links) {
          const chunk = await this.http.fetchExternal<unknown>('statements.fetchExternalLink', link.external_link, link.http_headers ?? {}, opts);
          if (!Array.isArray(chunk)) {
            throw new DatabricksError({ message: `External link of chunk ${link.chunk_index ?? '?'} did not answer a JSON array of rows`, errorCode: 'INVALID_RESPONSE', method: 'GET', path: EXTERNAL_LINK, operation: 'statements.fetchExternalLink' });
          }
          yield* chunk as Row[];
        }
      } else {
        yield* data.data_array ?? [];
      }
      const next = data.next_chunk_index ?? data.external_links?.at(-1)?.next_chunk_index;
      if (next === undefined) return;
      data = await this.getChunk({ statement_id: r.statement_id, chunk_index: next }, opts);
    }
  }
}
