import type { Principal } from '../../auth.js';

/**
 * Query history (what `GET /api/2.0/sql/history/queries` lists): one entry per statement a
 * warehouse runs, kept in submission order. Memory is bounded: past `limit` entries the oldest
 * go, and texts are cut at TEXT_LIMIT characters (the real service's limits are not documented).
 */
export type QueryStatus = 'QUEUED' | 'RUNNING' | 'CANCELED' | 'FAILED' | 'FINISHED';

export const DEFAULT_HISTORY_LIMIT = 10_000;
export const TEXT_LIMIT = 16_384;

export interface HistoryEntry {
  /** Submission order; page tokens continue below it. */
  seq: number;
  queryId: string;
  status: QueryStatus;
  text: string;
  statementType: string;
  warehouseId: string;
  user: Pick<Principal, 'userName' | 'kind'>;
  startMs: number;
  executionStartMs?: number;
  endMs?: number;
  rows?: number;
  error?: string;
  /** When the statement found its warehouse not running and waited for it to start. */
  provisioningQueueStartMs?: number;
  lookupKey?: string;
}

export interface BeginEntry {
  queryId: string;
  text: string;
  warehouseId: string;
  user: Pick<Principal, 'userName' | 'kind'>;
  waitsForWarehouse: boolean;
  lookupKey?: string;
}

const STATEMENT_TYPES = new Set([
  'ALTER', 'ANALYZE', 'COPY', 'CREATE', 'DELETE', 'DESCRIBE', 'DROP', 'EXPLAIN', 'GRANT', 'INSERT', 'MERGE',
  'OPTIMIZE', 'REFRESH', 'REPLACE', 'REVOKE', 'SELECT', 'SET', 'SHOW', 'TRUNCATE', 'UPDATE', 'USE',
]);
/** Statements that start with another keyword but are queries (a CTE is assumed to end in a SELECT). */
const QUERY_STARTS = new Set(['WITH', 'VALUES', 'FROM', 'TABLE']);

/** The QueryStatementType of a statement, from its first keyword after comments and parentheses. */
export function statementType(sql: string): string {
  const rest = sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*/, '');
  const word = /^[A-Za-z]+/.exec(rest)?.[0].toUpperCase() ?? '';
  if (STATEMENT_TYPES.has(word)) return word;
  if (QUERY_STARTS.has(word)) return 'SELECT';
  if (word === 'DESC') return 'DESCRIBE';
  return 'OTHER';
}

export class QueryHistory {
  private readonly entries = new Map<string, HistoryEntry>();
  private seq = 0;

  constructor(
    private readonly now: () => number,
    public limit = DEFAULT_HISTORY_LIMIT,
  ) {}

  begin(b: BeginEntry): void {
    const at = this.now();
    const e: HistoryEntry = {
      seq: ++this.seq,
      queryId: b.queryId,
      status: 'QUEUED',
      text: b.text.length > TEXT_LIMIT ? b.text.slice(0, TEXT_LIMIT) : b.text,
      statementType: statementType(b.text),
      warehouseId: b.warehouseId,
      user: { userName: b.user.userName, kind: b.user.kind },
      startMs: at,
      ...(b.waitsForWarehouse ? { provisioningQueueStartMs: at } : {}),
      ...(b.lookupKey ? { lookupKey: b.lookupKey } : {}),
    };
    this.entries.set(b.queryId, e);
    this.evict();
  }

  running(queryId: string): void {
    const e = this.entries.get(queryId);
    if (!e || e.status !== 'QUEUED') return;
    e.status = 'RUNNING';
    e.executionStartMs = this.now();
  }

  end(queryId: string, status: Exclude<QueryStatus, 'QUEUED' | 'RUNNING'>, detail: { rows?: number; error?: string } = {}): void {
    const e = this.entries.get(queryId);
    if (!e || e.endMs !== undefined) return;
    e.status = status;
    e.endMs = this.now();
    if (detail.rows !== undefined) e.rows = detail.rows;
    if (detail.error !== undefined) e.error = detail.error;
  }

  /** Newest first. */
  newestFirst(): HistoryEntry[] {
    return [...this.entries.values()].reverse();
  }

  /** Applies a lowered limit at once. */
  evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.limit) return;
      this.entries.delete(key);
    }
  }
}
