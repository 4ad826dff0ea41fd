import { ApiError, invalidParameter, invalidState, notFound, notImplemented } from '../../http/errors.js';
import { ParameterError, SqlError, statementTypeText, validateParameters, type ResultSet, type Row, type SqlEngine } from '../../sql/index.js';
import type { Principal } from '../../auth.js';
import type { ServiceContext } from '../types.js';
import type { WarehousesApi } from '../warehouses/index.js';
import { sleep, settledOrAfter } from '../../../common/waits.js';
import { linkServer } from './external-links.js';
import { QueryHistory } from './history.js';
import type { ExecuteInput } from './schemas.js';

/**
 * Statement execution (reference §2.12, §3.4): PENDING (waiting for the warehouse, which a
 * statement auto-starts) → RUNNING (DuckDB) → SUCCEEDED | FAILED | CANCELED; SUCCEEDED → CLOSED
 * when results expire (1 h), and the statement is forgotten 12 h after it finished (404).
 * A SQL error is a FAILED statement answered with HTTP 200 (quirk 5).
 */
export type StatementState = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'CLOSED';

export const RESULT_TTL_MS = 60 * 60_000;
export const FORGET_AFTER_MS = 12 * 60 * 60_000;
export const INLINE_LIMIT_BYTES = 25 * 1024 * 1024;
const TERMINAL: readonly StatementState[] = ['SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED'];

export interface Chunk {
  chunk_index: number;
  row_offset: number;
  row_count: number;
  /** Estimated (internal representation); shown for EXTERNAL_LINKS only, as on the real API. */
  byte_count: number;
}

export interface StatementRecord {
  id: string;
  warehouseId: string;
  input: ExecuteInput;
  user: string;
  state: StatementState;
  error?: { error_code: string; message: string };
  result?: ResultSet;
  chunks: Chunk[];
  totalRows: number;
  truncated: boolean;
  finishedAt?: number;
  done: Promise<void>;
  settle: () => void;
}

/** Chunk sizing: rows per INLINE chunk are bounded by count and by estimated bytes. */
export interface ChunkLimits {
  maxRows: number;
  maxBytes: number;
}

/** `"<N>s"` with N = 0 or 5–50 (reference §2.12); anything else is rejected as the real API does. */
export function parseWaitTimeout(v: string | undefined): number {
  if (v === undefined) return 10;
  const m = /^(\d+)s$/.exec(v);
  const n = m ? Number(m[1]) : NaN;
  if (!m || (n !== 0 && (n < 5 || n > 50))) {
    throw invalidParameter(`wait_timeout must be 0 seconds (disables wait), or between 5 seconds and 50 seconds, got '${v}'.`);
  }
  return n;
}

/** `-- emulator: duration=30` in the SQL keeps the statement RUNNING for that many virtual seconds (tests of polling/cancel). */
function durationDirective(sql: string): number {
  const m = /^\s*--\s*emulator:.*\bduration=(\d+(?:\.\d+)?)/m.exec(sql);
  return m ? Math.round(Number(m[1]) * 1000) : 0;
}

export class StatementsModel {
  readonly statements = new Map<string, StatementRecord>();
  /** Set when the emulator closes: polling loops end instead of keeping the process alive. */
  closed = false;
  chunkLimits: ChunkLimits = { maxRows: 65_536, maxBytes: 4 * 1024 * 1024 };
  readonly history: QueryHistory;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly engine: () => Promise<SqlEngine>,
    private readonly warehouses: () => WarehousesApi | undefined,
  ) {
    this.history = new QueryHistory(() => ctx.clock.now());
  }

  get(id: string): StatementRecord {
    const s = this.statements.get(id);
    if (!s) throw notFound(`Statement ${id} not found.`);
    return s;
  }

  /** Validates and starts a statement; returns once it is terminal or `waitSeconds` have passed. */
  async execute(input: ExecuteInput, principal: Pick<Principal, 'userName' | 'kind'>, checkWarehouse: (id: string) => void): Promise<StatementRecord> {
    const waitSeconds = parseWaitTimeout(input.wait_timeout);
    const disposition = input.disposition ?? 'INLINE';
    const format = input.format ?? 'JSON_ARRAY';
    if (disposition === 'INLINE' && format !== 'JSON_ARRAY') throw invalidParameter(`The INLINE disposition only supports the JSON_ARRAY format, got ${format}.`);
    if (format !== 'JSON_ARRAY') throw notImplemented(`not supported by the emulator: the ${format} format (use JSON_ARRAY)`);
    if (Buffer.byteLength(input.statement) > 16 * 1024 * 1024) throw invalidParameter('The statement text exceeds the limit of 16 MiB.');
    const wh = this.warehouses()?.find(input.warehouse_id);
    if (!wh || wh.state === 'DELETED' || wh.state === 'DELETING') throw notFound(`Unable to find warehouse with ID ${input.warehouse_id}.`);
    checkWarehouse(wh.id);
    // Parameters are checked before anything exists, so a malformed list changes nothing.
    try {
      validateParameters(input.parameters ?? []);
    } catch (e) {
      if (e instanceof ParameterError) throw invalidParameter(e.message);
      throw e;
    }
    let id = this.ctx.ids.uuid();
    while (!this.ctx.ids.claim(`st${id}`)) id = this.ctx.ids.uuid();
    let settle!: () => void;
    const done = new Promise<void>((r) => (settle = r));
    const s: StatementRecord = { id, warehouseId: wh.id, input, user: principal.userName, state: 'PENDING', chunks: [], totalRows: 0, truncated: false, done, settle };
    this.statements.set(id, s);
    this.history.begin({ queryId: id, text: input.statement, warehouseId: wh.id, user: principal, waitsForWarehouse: wh.state !== 'RUNNING' });
    this.warehouses()?.activity(wh.id, 1);
    this.warehouses()?.ensureStarted(wh.id);
    // Tracked: in instant mode the next request sees the settled statement (GET right after a 0s submit).
    this.ctx.track(this.drive(s).finally(() => this.ctx.markDirty()));
    if (waitSeconds > 0) {
      await this.waitFor(s, waitSeconds);
      if (!TERMINAL.includes(s.state) && input.on_wait_timeout === 'CANCEL') this.cancel(s);
    }
    return s;
  }

  /** Waits until `s` is terminal or the timeout passes (virtual seconds; real seconds in instant mode). */
  private async waitFor(s: StatementRecord, seconds: number): Promise<void> {
    const clock = this.ctx.clock;
    const realDeadline = Date.now() + seconds * 1000;
    const virtualDeadline = clock.now() + seconds * 1000;
    while (!TERMINAL.includes(s.state) && !this.closed) {
      // Whichever comes first: the virtual deadline, or as many real seconds (a paused clock never reaches the former).
      const left = clock.instant ? realDeadline - Date.now() : Math.min(clock.realDelayUntil(virtualDeadline), realDeadline - Date.now());
      if (left <= 0 || (!clock.instant && clock.now() >= virtualDeadline)) return;
      await settledOrAfter(s.done, Math.min(left, 25));
    }
  }

  private async drive(s: StatementRecord): Promise<void> {
    try {
      // PENDING until the warehouse runs; the scheduler moves it, we only watch.
      for (;;) {
        if (TERMINAL.includes(s.state)) return;
        if (this.closed) return this.fail(s, 'CANCELLED', 'The emulator shut down.');
        const w = this.warehouses()?.find(s.warehouseId);
        if (!w || w.state === 'DELETED' || w.state === 'DELETING') return this.fail(s, 'INTERNAL_ERROR', `Warehouse ${s.warehouseId} was deleted while the statement was waiting for it.`);
        if (w.state === 'RUNNING') break;
        if (w.state === 'STOPPED') this.warehouses()?.ensureStarted(s.warehouseId);
        await sleep(this.ctx.clock.instant ? 1 : 20);
      }
      s.state = 'RUNNING';
      this.history.running(s.id);
      const engine = await this.engine();
      let result: ResultSet;
      try {
        result = await engine.execute(s.input.statement, {
          ...(s.input.catalog ? { catalog: s.input.catalog } : {}),
          ...(s.input.schema ? { schema: s.input.schema } : {}),
          parameters: (s.input.parameters ?? []).map((p) => ({ name: p.name, ...(p.value !== undefined ? { value: p.value } : {}), ...(p.type !== undefined ? { type: p.type } : {}) })),
          user: s.user,
        });
      } catch (e) {
        if (e instanceof SqlError) return this.fail(s, e.errorCode, e.message);
        throw e;
      }
      const hold = durationDirective(s.input.statement);
      if (hold > 0) await this.holdUntil(s, this.ctx.clock.now() + hold);
      if (s.state !== 'RUNNING') {
        await result.release();
        return;
      }
      await this.succeed(s, result);
    } catch (e) {
      this.ctx.logger.error({ err: e, statement_id: s.id }, 'statement execution failed unexpectedly');
      this.fail(s, 'INTERNAL_ERROR', 'Unexpected error while executing the statement.');
    }
  }

  private async holdUntil(s: StatementRecord, at: number): Promise<void> {
    while (s.state === 'RUNNING' && this.ctx.clock.now() < at) {
      if (this.ctx.clock.instant || this.closed) return;
      await sleep(Math.max(1, Math.min(this.ctx.clock.realDelayUntil(at), 50)));
    }
  }

  private async succeed(s: StatementRecord, result: ResultSet): Promise<void> {
    let rows = result.rowCount;
    let truncated = false;
    if (s.input.row_limit !== undefined && rows > s.input.row_limit) {
      rows = s.input.row_limit;
      truncated = true;
    }
    if (s.input.byte_limit !== undefined) {
      const fit = await result.rowsWithinBytes(s.input.byte_limit);
      if (fit < rows) {
        rows = fit;
        truncated = true;
      }
    }
    const bytes = rows === result.rowCount ? result.byteCount : (result.byteCount * rows) / Math.max(1, result.rowCount);
    if (bytes > INLINE_LIMIT_BYTES && this.disposition(s) === 'INLINE') {
      await result.release();
      return this.fail(
        s,
        'BAD_REQUEST',
        `Inline byte limit exceeded. Statement produced more than ${INLINE_LIMIT_BYTES} bytes of result data; set byte_limit or row_limit, or use disposition EXTERNAL_LINKS.`,
      );
    }
    const avg = result.rowCount > 0 ? Math.max(1, result.byteCount / result.rowCount) : 1;
    const perChunk = Math.max(1, Math.min(this.chunkLimits.maxRows, Math.floor(this.chunkLimits.maxBytes / avg)));
    const chunks: Chunk[] = [];
    for (let off = 0; off < rows; off += perChunk) {
      const count = Math.min(perChunk, rows - off);
      chunks.push({ chunk_index: chunks.length, row_offset: off, row_count: count, byte_count: Math.round(avg * count) });
    }
    s.result = result;
    s.chunks = chunks;
    s.totalRows = rows;
    s.truncated = truncated;
    this.finish(s, 'SUCCEEDED');
  }

  private fail(s: StatementRecord, code: string, message: string): void {
    if (TERMINAL.includes(s.state)) return;
    s.error = { error_code: code, message };
    this.finish(s, 'FAILED');
  }

  /** Emulator shutdown: ends every wait and releases results. */
  close(): void {
    this.closed = true;
    for (const s of this.statements.values()) {
      this.cancel(s);
      void s.result?.release();
    }
  }

  cancel(s: StatementRecord): void {
    if (TERMINAL.includes(s.state)) return;
    this.finish(s, 'CANCELED');
  }

  private finish(s: StatementRecord, state: StatementState): void {
    s.state = state;
    s.finishedAt = this.ctx.clock.now();
    if (state === 'SUCCEEDED') this.history.end(s.id, 'FINISHED', { rows: s.totalRows });
    else if (state === 'FAILED' || state === 'CANCELED') this.history.end(s.id, state, s.error ? { error: s.error.message } : {});
    this.warehouses()?.activity(s.warehouseId, -1);
    // Idle timers: instant mode must not jump an hour ahead just to expire results.
    if (state === 'SUCCEEDED') this.ctx.schedule('close', s.finishedAt + RESULT_TTL_MS, { id: s.id }, { idle: true });
    this.ctx.schedule('forget', s.finishedAt + FORGET_AFTER_MS, { id: s.id }, { idle: true });
    s.settle();
  }

  onEvent(kind: string, data: Record<string, unknown>): void {
    const s = typeof data.id === 'string' ? this.statements.get(data.id) : undefined;
    if (!s) return;
    if (kind === 'close' && s.state === 'SUCCEEDED') {
      s.state = 'CLOSED';
      void s.result?.release();
      delete s.result;
    } else if (kind === 'forget') {
      void s.result?.release();
      this.statements.delete(s.id);
    }
  }

  private disposition(s: StatementRecord): 'INLINE' | 'EXTERNAL_LINKS' {
    return s.input.disposition ?? 'INLINE';
  }

  /** One chunk in the API shape: rows inline, or one external link to them. */
  async chunk(s: StatementRecord, index: number): Promise<Record<string, unknown>> {
    if (s.state === 'CLOSED') throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `The results of statement ${s.id} have expired.`);
    if (s.state !== 'SUCCEEDED' || !s.result) throw invalidState(`Statement ${s.id} is in state ${s.state}; results are only available for SUCCEEDED statements.`);
    const c = s.chunks[index];
    if (!c) throw invalidParameter(`Invalid chunk_index ${index}: the result has ${s.chunks.length} chunk(s).`);
    const next = s.chunks[index + 1];
    const nextFields = next ? { next_chunk_index: next.chunk_index, next_chunk_internal_link: `/api/2.0/sql/statements/${s.id}/result/chunks/${next.chunk_index}` } : {};
    const { byte_count, ...position } = c;
    if (this.disposition(s) === 'EXTERNAL_LINKS') {
      const result = s.result;
      const link = await linkServer(this.ctx.dataDir).publish(async () => {
        if (s.result !== result) throw new Error('result released');
        return JSON.stringify(await result.read(c.row_offset, c.row_count));
      });
      return { external_links: [{ ...position, byte_count, external_link: link.url, expiration: link.expiration, http_headers: {}, ...nextFields }] };
    }
    const rows: Row[] = await s.result.read(c.row_offset, c.row_count);
    return { ...position, data_array: rows, ...nextFields };
  }

  /** The StatementResponse: status always; manifest and first chunk when SUCCEEDED. */
  async view(s: StatementRecord): Promise<Record<string, unknown>> {
    const status: Record<string, unknown> = { state: s.state };
    if (s.error) status.error = s.error;
    const out: Record<string, unknown> = { statement_id: s.id, status };
    if (s.state !== 'SUCCEEDED' || !s.result) return out;
    const external = this.disposition(s) === 'EXTERNAL_LINKS';
    out.manifest = {
      format: 'JSON_ARRAY',
      schema: {
        column_count: s.result.columns.length,
        columns: s.result.columns.map((c, position) => ({
          name: c.name,
          position,
          type_name: c.type.typeName,
          type_text: statementTypeText(c.type),
          ...(c.type.precision !== undefined ? { type_precision: c.type.precision, type_scale: c.type.scale } : {}),
        })),
      },
      total_chunk_count: s.chunks.length,
      chunks: external ? s.chunks : s.chunks.map(({ byte_count: _b, ...c }) => c),
      total_row_count: s.totalRows,
      ...(external ? { total_byte_count: s.chunks.reduce((n, c) => n + c.byte_count, 0) } : {}),
      truncated: s.truncated,
    };
    out.result = s.chunks.length > 0 ? await this.chunk(s, 0) : {};
    return out;
  }
}
