import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlEngine } from '../../../src/emulator/sql/index.js';
import { failure, query } from './helpers.js';

let engine: SqlEngine;
beforeAll(async () => {
  engine = await SqlEngine.create({ now: () => 1_700_000_000_000, seed: 1 });
});
afterAll(() => engine.close());

describe('SqlEngine: Unity Catalog is the DuckDB catalog', () => {
  it('starts with main.default and hive_metastore.default', async () => {
    expect(await engine.catalog.catalogNames()).toEqual(expect.arrayContaining(['main', 'hive_metastore']));
    expect((await query(engine, 'SHOW CATALOGS')).rows).toEqual(expect.arrayContaining([['main'], ['hive_metastore']]));
    expect(await engine.catalog.schemaNames('main')).toEqual(['default']);
  });

  it('CREATE CATALOG/SCHEMA/TABLE through SQL are visible to the catalog model and vice versa', async () => {
    await query(engine, `CREATE CATALOG IF NOT EXISTS sales; USE CATALOG sales; CREATE SCHEMA bronze;
      CREATE TABLE bronze.orders (id LONG, name STRING COMMENT 'n', amount DECIMAL(10,2)) USING DELTA PARTITIONED BY (id) TBLPROPERTIES ('delta.x' = 'y')`);
    expect(await engine.catalog.catalogNames()).toContain('sales');
    expect(await engine.catalog.schemaNames('sales')).toEqual(['bronze', 'default']);
    const rows = await engine.catalog.tableRows('sales', 'bronze');
    expect(rows.map((r) => r[1])).toEqual(['orders']);
    const info = await engine.catalog.tableInfo('sales', 'bronze', rows[0]!, 'me');
    expect(info.full_name).toBe('sales.bronze.orders');
    expect((info.columns as { name: string; type_name: string; type_text: string }[]).map((c) => [c.name, c.type_name, c.type_text])).toEqual([
      ['id', 'LONG', 'bigint'],
      ['name', 'STRING', 'string'],
      ['amount', 'DECIMAL', 'decimal(10,2)'],
    ]);
    await engine.catalog.createSchema('sales', 'silver', 'me', { comment: 'refined' });
    await engine.catalog.createTable('sales', 'silver', 'customers', 'me', {
      columns: [{ name: 'id', type_text: 'int' }, { name: 'tags', type_text: 'array<string>' }],
      tableType: 'MANAGED',
      dataSourceFormat: 'DELTA',
    });
    const r = await query(engine, "INSERT INTO sales.silver.customers VALUES (1, array('a', 'b')); SELECT * FROM sales.silver.customers");
    expect(r.rows).toEqual([['1', '["a","b"]']]);
  });

  it('the main catalog works with three-part names and functions that DuckDB qualifies with main', async () => {
    const r = await query(engine, `CREATE TABLE main.default.m AS SELECT 1 AS a, [1, 2] AS l, {'k': 1} AS s, map('x', 2) AS mp;
      SELECT a, l, s, mp, current_catalog() FROM main.default.m`);
    expect(r.rows).toEqual([['1', '[1,2]', '{"k":1}', '{"x":2}', 'main']]);
    expect((await query(engine, 'SELECT * FROM m', { catalog: 'main', schema: 'default' })).rows).toHaveLength(1);
  });

  it('USE CATALOG / USE SCHEMA change name resolution for later statements of the same script only', async () => {
    const r = await query(engine, 'CREATE CATALOG c2; USE CATALOG c2; CREATE TABLE t AS SELECT 42 AS x; USE SCHEMA default; SELECT x FROM t');
    expect(r.rows).toEqual([['42']]);
    expect(await failure(engine, 'SELECT x FROM t')).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
    expect((await query(engine, 'SELECT x FROM t', { catalog: 'c2' })).rows).toEqual([['42']]);
  });

  it('a statement whose catalog or schema does not exist fails naming the missing one', async () => {
    expect(await failure(engine, 'SELECT 1', { catalog: 'nowhere' })).toMatch(/NO_SUCH_CATALOG_EXCEPTION.*'nowhere'/);
    expect(await failure(engine, 'SELECT 1', { catalog: 'main', schema: 'nothing' })).toMatch(/SCHEMA_NOT_FOUND.*`main`\.`nothing`/);
  });

  it('pooled connections notice a schema or catalog dropped since their last statement there', async () => {
    await query(engine, 'CREATE CATALOG pool_c; CREATE SCHEMA pool_c.s1; CREATE SCHEMA pool_c.s2; CREATE TABLE pool_c.s1.t AS SELECT 1 AS a; CREATE TABLE pool_c.s2.t AS SELECT 2 AS a');
    const at = { catalog: 'pool_c', schema: 's1' };
    // Several in flight at once, so more than one pooled connection is left at pool_c.s1.
    expect((await Promise.all([1, 2, 3].map(() => query(engine, 'SELECT a FROM t', at)))).map((r) => r.rows)).toEqual([[['1']], [['1']], [['1']]]);
    expect((await query(engine, 'SELECT a FROM t', { catalog: 'pool_c', schema: 's2' })).rows).toEqual([['2']]);
    expect((await query(engine, 'SELECT a FROM t', at)).rows).toEqual([['1']]);
    await engine.catalog.deleteSchema('pool_c', 's1', true); // the REST API's path
    for (let i = 0; i < 3; i++) expect(await failure(engine, 'SELECT a FROM t', at)).toMatch(/SCHEMA_NOT_FOUND.*`pool_c`\.`s1`/);
    await Promise.all([1, 2, 3].map(() => query(engine, 'SELECT a FROM t', { catalog: 'pool_c', schema: 's2' })));
    await query(engine, 'DROP SCHEMA pool_c.s2 CASCADE'); // through SQL, on another connection
    for (let i = 0; i < 3; i++) expect(await failure(engine, 'SELECT a FROM t', { catalog: 'pool_c', schema: 's2' })).toMatch(/SCHEMA_NOT_FOUND.*`pool_c`\.`s2`/);
    await Promise.all([1, 2, 3].map(() => query(engine, 'SELECT 1', { catalog: 'pool_c', schema: 'default' })));
    await query(engine, 'DROP CATALOG pool_c CASCADE');
    for (let i = 0; i < 3; i++) expect(await failure(engine, 'SELECT 1', { catalog: 'pool_c', schema: 'default' })).toMatch(/NO_SUCH_CATALOG_EXCEPTION.*'pool_c'/);
  });

  it('a table dropped through SQL and created again gets a new table_id', async () => {
    await query(engine, 'CREATE TABLE main.default.again (a INT)');
    const row = async () => (await engine.catalog.tableRows('main', 'default')).find((r) => r[1] === 'again')!;
    const first = (await engine.catalog.tableInfo('main', 'default', await row(), 'me')).table_id;
    await query(engine, 'DROP TABLE main.default.again; CREATE TABLE main.default.again (a INT)');
    expect((await engine.catalog.tableInfo('main', 'default', await row(), 'me')).table_id).not.toBe(first);
  });

  it('drops catalogs through SQL and refuses non-empty ones without CASCADE', async () => {
    await query(engine, 'CREATE CATALOG gone; CREATE TABLE gone.default.t (a INT)');
    expect(await failure(engine, 'DROP CATALOG gone')).toMatch(/not empty/);
    expect(await engine.catalog.catalogNames()).toContain('gone');
    await query(engine, 'DROP CATALOG gone CASCADE');
    expect(await engine.catalog.catalogNames()).not.toContain('gone');
  });

  it('a failing statement leaves the catalog unchanged, and INSERT OVERWRITE is atomic', async () => {
    await query(engine, "CREATE TABLE main.default.ow (id INT, v STRING); INSERT INTO main.default.ow VALUES (1, 'a'), (2, 'b')");
    expect(await failure(engine, "INSERT OVERWRITE main.default.ow SELECT 'not a number', 'x'")).toMatch(/CAST_INVALID_INPUT/);
    expect((await query(engine, 'SELECT id FROM main.default.ow ORDER BY id')).rows).toEqual([['1'], ['2']]);
    const r = await query(engine, "INSERT OVERWRITE TABLE main.default.ow VALUES (3, 'c')");
    expect(r.columns).toEqual(['num_affected_rows', 'num_inserted_rows']);
    expect((await query(engine, 'SELECT id, v FROM main.default.ow')).rows).toEqual([['3', 'c']]);
    expect(await failure(engine, 'CREATE TABLE main.default.bad (a INT GENERATED ALWAYS AS IDENTITY)')).toMatch(/not supported by the emulator/);
    expect((await engine.catalog.tableRows('main', 'default')).map((t) => t[1])).not.toContain('bad');
  });

  it('MERGE INTO with UPDATE SET * / INSERT *', async () => {
    const r = await query(engine, `CREATE TABLE main.default.tgt (id INT, v STRING); INSERT INTO main.default.tgt VALUES (1, 'old');
      MERGE INTO main.default.tgt t USING (SELECT * FROM VALUES (1, 'new'), (2, 'ins') AS s(id, v)) s ON t.id = s.id
        WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *;
      SELECT * FROM main.default.tgt ORDER BY id`);
    expect(r.rows).toEqual([['1', 'new'], ['2', 'ins']]);
  });

  it('SHOW TABLES and DESCRIBE TABLE answer with Databricks column names', async () => {
    await query(engine, 'CREATE SCHEMA main.d; CREATE TABLE main.d.t1 (a INT, b STRING)');
    const show = await query(engine, 'SHOW TABLES IN main.d');
    expect(show.columns).toEqual(['database', 'tableName', 'isTemporary']);
    expect(show.rows).toEqual([['d', 't1', 'false']]);
    const desc = await query(engine, 'DESCRIBE TABLE main.d.t1');
    expect(desc.columns).toEqual(['col_name', 'data_type', 'comment']);
    expect(desc.rows).toEqual([['a', 'int', null], ['b', 'string', null]]);
    for (const sql of ['SHOW COLUMNS IN main.d.t1', 'SHOW COLUMNS FROM t1 IN main.d']) {
      const cols = await query(engine, sql);
      expect([cols.columns, cols.rows], sql).toEqual([['col_name'], [['a'], ['b']]]);
    }
    expect(await failure(engine, 'SHOW COLUMNS IN main.d.missing')).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
  });

  it('refuses DuckDB-only statements and host file access', async () => {
    expect(await failure(engine, "ATTACH ':memory:' AS x")).toMatch(/not supported by the emulator/);
    expect(await failure(engine, "SELECT * FROM read_csv('/etc/passwd')")).toMatch(/Permission|disabled/);
    expect(await engine.catalog.catalogNames()).not.toContain('x');
  });

  it('current_date()/current_timestamp read the engine clock (the emulator passes its virtual clock)', async () => {
    const r = await query(engine, 'SELECT current_date() AS d, current_timestamp() AS ts, current_date AS d2, now() AS n, unix_timestamp() AS u');
    expect(r.rows).toEqual([['2023-11-14', '2023-11-14T22:13:20.000Z', '2023-11-14', '2023-11-14T22:13:20.000Z', '1700000000']]);
  });

  it('statements share no session state: a temp view or SET of one is gone for the next, whichever connection serves it', async () => {
    // Queries leave their connection to the next statements; anything else closes it.
    for (let i = 0; i < 6; i++) expect((await query(engine, 'SELECT 1 AS one')).rows).toEqual([['1']]);
    await query(engine, 'CREATE TEMPORARY VIEW tv AS SELECT 7 AS x');
    for (let i = 0; i < 6; i++) expect(await failure(engine, 'SELECT x FROM tv')).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
    // A statement that ran in another catalog does not move the next one there.
    await query(engine, 'CREATE CATALOG IF NOT EXISTS pooled; CREATE TABLE IF NOT EXISTS pooled.default.only_here AS SELECT 1 AS y');
    for (let i = 0; i < 6; i++) expect((await query(engine, 'SELECT y FROM only_here', { catalog: 'pooled' })).rows).toEqual([['1']]);
    for (let i = 0; i < 6; i++) expect(await failure(engine, 'SELECT y FROM only_here')).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
    // …and that catalog can still be dropped while connections that used it wait for the next statement.
    await query(engine, 'DROP CATALOG pooled CASCADE');
    expect(await engine.catalog.catalogNames()).not.toContain('pooled');
    expect((await query(engine, 'SELECT 2 AS two')).rows).toEqual([['2']]);
  });

  it('a query result over 2,048 rows has the same rows, order and sizes as a small one', async () => {
    const big = await engine.execute('SELECT range AS id, CAST(range AS STRING) AS s FROM range(3000) ORDER BY id DESC');
    const small = await engine.execute('SELECT range AS id, CAST(range AS STRING) AS s FROM range(3000) ORDER BY id DESC LIMIT 2000');
    try {
      expect(big.rowCount).toBe(3000);
      expect(await big.read(0, 3)).toEqual([['2999', '2999'], ['2998', '2998'], ['2997', '2997']]);
      expect(await big.read(2999, 5)).toEqual([['0', '0']]);
      expect(await small.read(0, 3)).toEqual(await big.read(0, 3));
      expect(await small.rowsWithinBytes(small.byteCount)).toBe(2000);
      // Same measure on both paths: the first 2,000 rows weigh the same in either.
      expect(await big.rowsWithinBytes(small.byteCount)).toBe(2000);
    } finally {
      await big.release();
      await small.release();
    }
  });

  it('reset drops user catalogs and recreates the defaults empty', async () => {
    const other = await SqlEngine.create();
    try {
      await query(other, 'CREATE CATALOG tmp; CREATE TABLE main.default.z (a INT)');
      await other.reset();
      expect(await other.catalog.catalogNames()).toEqual(expect.arrayContaining(['main', 'hive_metastore']));
      expect(await other.catalog.catalogNames()).not.toContain('tmp');
      expect(await other.catalog.tableRows('main')).toEqual([]);
    } finally {
      other.close();
    }
  });
});
