import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlEngine } from '../../../src/emulator/sql/index.js';
import { failure, query } from './helpers.js';

/** SQL as pipelines write it, end to end on the engine. */
let engine: SqlEngine;
beforeAll(async () => {
  engine = await SqlEngine.create();
  await query(engine, `CREATE SCHEMA main.etl;
    CREATE TABLE main.etl.raw (id BIGINT, customer STRING, amount DECIMAL(10,2), ts TIMESTAMP) USING DELTA;
    INSERT INTO main.etl.raw VALUES
      (1, 'ann', 10.00, '2024-05-01 10:00:00'), (2, 'bob', 5.50, '2024-05-01 11:00:00'),
      (3, 'ann', 2.25, '2024-05-02 09:30:00'), (4, NULL, 1.00, '2024-05-02 12:00:00')`);
});
afterAll(() => engine.close());

describe('pipeline SQL', () => {
  it('CTE, window function and QUALIFY', async () => {
    const r = await query(engine, `WITH ranked AS (SELECT customer, amount, row_number() OVER (PARTITION BY customer ORDER BY amount DESC) AS rn FROM main.etl.raw WHERE customer IS NOT NULL)
      SELECT customer, amount FROM ranked WHERE rn = 1 ORDER BY customer`);
    expect(r.rows).toEqual([['ann', '10.00'], ['bob', '5.50']]);
    const q = await query(engine, 'SELECT id FROM main.etl.raw QUALIFY row_number() OVER (ORDER BY ts DESC) = 1');
    expect(q.rows).toEqual([['4']]);
  });

  it('CREATE TABLE IF NOT EXISTS … AS, views listed by Unity Catalog, TRUNCATE/UPDATE/DELETE', async () => {
    await query(engine, `CREATE TABLE IF NOT EXISTS main.etl.daily AS SELECT CAST(ts AS DATE) AS day, sum(amount) AS total FROM main.etl.raw GROUP BY 1;
      CREATE TABLE IF NOT EXISTS main.etl.daily AS SELECT 1 AS other;
      CREATE OR REPLACE VIEW main.etl.big AS SELECT * FROM main.etl.raw WHERE amount > 5`);
    expect((await query(engine, 'SELECT day, total FROM main.etl.daily ORDER BY day')).rows).toEqual([['2024-05-01', '15.50'], ['2024-05-02', '3.25']]);
    const rows = await engine.catalog.tableRows('main', 'etl');
    const view = rows.find((r) => r[1] === 'big')!;
    const info = await engine.catalog.tableInfo('main', 'etl', view, 'me');
    expect(info.table_type).toBe('VIEW');
    expect(String(info.view_definition)).toMatch(/amount > 5/);
    const upd = await query(engine, "UPDATE main.etl.daily SET total = total * 2 WHERE day = DATE '2024-05-01'");
    expect(upd.rows).toEqual([['1']]);
    expect((await query(engine, 'DELETE FROM main.etl.daily WHERE total < 5')).rows).toEqual([['1']]);
    await query(engine, 'TRUNCATE TABLE main.etl.daily');
    expect((await query(engine, 'SELECT count(*) FROM main.etl.daily')).rows).toEqual([['0']]);
  });

  it('temporary views live for the script only', async () => {
    expect((await query(engine, 'CREATE OR REPLACE TEMP VIEW v AS SELECT 1 AS x; SELECT x FROM v')).rows).toEqual([['1']]);
    expect(await failure(engine, 'SELECT x FROM v')).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
    expect((await engine.catalog.tableRows('main')).map((r) => r[1])).not.toContain('v');
  });

  it('ALTER TABLE ADD COLUMNS, no-op maintenance, and maintenance of a missing table fails', async () => {
    await query(engine, "ALTER TABLE main.etl.raw ADD COLUMNS (channel STRING COMMENT 'c', score DOUBLE); OPTIMIZE main.etl.raw ZORDER BY (id); ANALYZE TABLE main.etl.raw COMPUTE STATISTICS");
    expect((await query(engine, 'DESCRIBE main.etl.raw')).rows.map((r) => r[0])).toEqual(['id', 'customer', 'amount', 'ts', 'channel', 'score']);
    expect(await failure(engine, 'OPTIMIZE main.etl.nothing')).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
  });

  it('ALTER TABLE … RENAME TO a qualified name in the same schema', async () => {
    await query(engine, 'CREATE TABLE main.etl.old_name AS SELECT 1 AS a; ALTER TABLE main.etl.old_name RENAME TO main.etl.new_name');
    expect((await query(engine, 'SELECT a FROM main.etl.new_name')).rows).toEqual([['1']]);
    expect(await failure(engine, 'ALTER TABLE main.etl.new_name RENAME TO main.default.moved')).toMatch(/not supported by the emulator/);
    expect((await engine.catalog.tableRows('main', 'etl')).map((r) => r[1])).toContain('new_name');
  });

  it('GRANT and SET are accepted; USE of a missing schema fails without changing the session', async () => {
    expect((await query(engine, 'GRANT SELECT ON TABLE main.etl.raw TO `analysts`; SET spark.sql.shuffle.partitions = 8; SELECT 1')).rows).toEqual([['1']]);
    expect(await failure(engine, 'USE main.nothing')).toMatch(/SCHEMA_NOT_FOUND/);
    expect(await failure(engine, 'USE CATALOG nothing')).toMatch(/NO_SUCH_CATALOG/);
  });
});
