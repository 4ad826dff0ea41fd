import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import { byteSizeExpression, renderExpression, type DatabricksType } from './types.js';

export interface ResultColumn {
  name: string;
  type: DatabricksType;
}

export type Row = (string | null)[];

/** SQL for one row's size in bytes, over result columns named c0…cN (the basis of byte_limit). */
export function rowBytesExpression(duckTypes: readonly DuckDBType[]): string {
  return duckTypes.map((t, i) => byteSizeExpression(`c${i}`, t)).join(' + ') || '0';
}

/** SQL for one row's values in the statement API's format, comma-separated, over columns c0…cN. */
export function rowValuesExpression(duckTypes: readonly DuckDBType[]): string {
  return duckTypes.map((t, i) => renderExpression(`c${i}`, t)).join(', ');
}

/**
 * The rows a statement produced, already in the statement API's value format (strings or null),
 * read in slices so a large result is never turned into JavaScript values all at once.
 */
export interface ResultSet {
  readonly columns: readonly ResultColumn[];
  readonly rowCount: number;
  /** Approximate size in bytes (internal representation), the basis of byte_limit and the INLINE cap. */
  readonly byteCount: number;
  /** How many leading rows fit in `limit` bytes. */
  rowsWithinBytes(limit: number): Promise<number>;
  /** Rows [offset, offset + count). */
  read(offset: number, count: number): Promise<Row[]>;
  /** Frees the storage behind the result. Idempotent. */
  release(): Promise<void>;
}

/** Small results held in JavaScript (DML counts, SHOW/DESCRIBE output, DDL, queries of a few rows). */
export class MemoryResultSet implements ResultSet {
  readonly byteCount: number;
  private readonly rowBytes: number[];
  /** `rowBytes`: each row's size when the engine measured it (query results); else the rendered text's. */
  constructor(
    readonly columns: readonly ResultColumn[],
    private readonly rows: Row[],
    rowBytes?: number[],
  ) {
    this.rowBytes = rowBytes ?? rows.map((r) => r.reduce((n, v) => n + (v === null ? 0 : Buffer.byteLength(v)), 0));
    this.byteCount = this.rowBytes.reduce((a, b) => a + b, 0);
  }
  get rowCount(): number {
    return this.rows.length;
  }
  async rowsWithinBytes(limit: number): Promise<number> {
    let total = 0;
    for (let i = 0; i < this.rowBytes.length; i++) {
      total += this.rowBytes[i]!;
      if (total > limit) return i;
    }
    return this.rows.length;
  }
  async read(offset: number, count: number): Promise<Row[]> {
    return this.rows.slice(offset, offset + count);
  }
  async release(): Promise<void> {}
}

/**
 * A query result materialised into a table of the engine's private database. Values are rendered
 * to strings and JSON inside DuckDB, which keeps a million-row result fast.
 */
export class TableResultSet implements ResultSet {
  private released = false;
  private constructor(
    private readonly connect: () => Promise<DuckDBConnection>,
    private readonly table: string,
    readonly columns: readonly ResultColumn[],
    private readonly duckTypes: readonly DuckDBType[],
    readonly rowCount: number,
    readonly byteCount: number,
  ) {}

  /** `table` must already hold the rows, with columns named c0…cN in result order. */
  static async open(
    conn: DuckDBConnection,
    connect: () => Promise<DuckDBConnection>,
    table: string,
    columns: ResultColumn[],
    duckTypes: DuckDBType[],
  ): Promise<TableResultSet> {
    const reader = await conn.runAndReadAll(`SELECT count(*)::BIGINT, coalesce(sum(${rowBytesExpression(duckTypes)}), 0)::BIGINT FROM ${table}`);
    const [count, bytes] = reader.getRows()[0]!;
    return new TableResultSet(connect, table, columns, duckTypes, Number(count), Number(bytes));
  }

  private async withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const c = await this.connect();
    try {
      return await fn(c);
    } finally {
      c.closeSync();
    }
  }

  async rowsWithinBytes(limit: number): Promise<number> {
    if (this.byteCount <= limit) return this.rowCount;
    const sizes = rowBytesExpression(this.duckTypes);
    return this.withConnection(async (c) => {
      const r = await c.runAndReadAll(
        `SELECT count(*)::BIGINT FROM (SELECT sum(${sizes}) OVER (ORDER BY rowid ROWS UNBOUNDED PRECEDING) AS cum FROM ${this.table}) WHERE cum <= ${Math.floor(limit)}`,
      );
      return Number(r.getRows()[0]![0]);
    });
  }

  async read(offset: number, count: number): Promise<Row[]> {
    if (this.released) throw new Error('result released');
    if (count <= 0 || this.columns.length === 0) return [];
    const cells = rowValuesExpression(this.duckTypes);
    // rowid is the insertion position, so the slice keeps the query's ORDER BY.
    const json = await this.withConnection(async (c) => {
      const r = await c.runAndReadAll(
        `SELECT string_agg(CAST(json_array(${cells}) AS VARCHAR), ',' ORDER BY rowid) FROM ${this.table} WHERE rowid >= ${offset} AND rowid < ${offset + count}`,
      );
      return (r.getRows()[0]![0] as string | null) ?? '';
    });
    return JSON.parse(`[${json}]`) as Row[];
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.withConnection((c) => c.run(`DROP TABLE IF EXISTS ${this.table}`)).catch(() => undefined);
  }
}
