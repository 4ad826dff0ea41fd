import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlEngine } from '../../../src/emulator/sql/index.js';
import { failure, query } from './helpers.js';

let engine: SqlEngine;
beforeAll(async () => {
  engine = await SqlEngine.create({ now: () => 1_700_000_000_000, seed: 1 });
});
afterAll(() => engine.close());

const tableInfo = async (c: string, s: string, t: string) => engine.catalog.tableInfo(c, s, await engine.catalog.findTable(c, s, t), 'me');
const columnComments = async (c: string, s: string, t: string) => ((await tableInfo(c, s, t)).columns as { name: string; comment?: string }[]).map((col) => [col.name, col.comment]);

describe('SqlEngine: comments from SQL and from the Unity Catalog API are the same ones', () => {
  it('CREATE SCHEMA … COMMENT and CREATE TABLE … COMMENT reach the Unity Catalog metadata; column comments reach DESCRIBE', async () => {
    await query(engine, `CREATE SCHEMA sales COMMENT 'curated sales' LOCATION 's3://bucket/sales';
      CREATE TABLE sales.orders (id BIGINT NOT NULL COMMENT 'order id', region STRING DEFAULT 'none' COMMENT 'sales region', amount DECIMAL(10,2)) USING DELTA COMMENT 'one row per order'`);
    expect(engine.catalog.schemaInfo('main', 'sales', 'me').comment).toBe('curated sales');
    expect((await tableInfo('main', 'sales', 'orders')).comment).toBe('one row per order');
    expect(await columnComments('main', 'sales', 'orders')).toEqual([
      ['id', 'order id'],
      ['region', 'sales region'],
      ['amount', undefined],
    ]);
    expect((await query(engine, 'DESCRIBE TABLE sales.orders')).rows).toEqual([
      ['id', 'bigint', 'order id'],
      ['region', 'string', 'sales region'],
      ['amount', 'decimal(10,2)', null],
    ]);
    // The DEFAULT expression ends where the COMMENT clause starts.
    expect((await query(engine, "INSERT INTO sales.orders (id, amount) VALUES (1, 2.5); SELECT region FROM sales.orders")).rows).toEqual([['none']]);
  });

  it('COMMENT ON CATALOG/SCHEMA/TABLE/COLUMN set or clear comments; a missing target is an error and changes nothing', async () => {
    await query(engine, "CREATE SCHEMA notes; CREATE TABLE notes.t (a INT COMMENT 'first')");
    await query(engine, "COMMENT ON CATALOG main IS 'the main catalog'; COMMENT ON SCHEMA notes IS 'scratch'; COMMENT ON TABLE notes.t IS 'a table'; COMMENT ON COLUMN notes.t.a IS 'second'");
    expect(engine.catalog.catalogInfo('main', 'me').comment).toBe('the main catalog');
    expect(engine.catalog.schemaInfo('main', 'notes', 'me').comment).toBe('scratch');
    expect((await tableInfo('main', 'notes', 't')).comment).toBe('a table');
    expect(await columnComments('main', 'notes', 't')).toEqual([['a', 'second']]);
    await query(engine, 'COMMENT ON SCHEMA notes IS NULL; COMMENT ON TABLE notes.t IS NULL');
    expect(engine.catalog.schemaInfo('main', 'notes', 'me').comment).toBeUndefined();
    expect((await tableInfo('main', 'notes', 't')).comment).toBeUndefined();
    expect(await failure(engine, "COMMENT ON TABLE notes.missing IS 'x'")).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
    expect(await failure(engine, "COMMENT ON SCHEMA nowhere IS 'x'")).toMatch(/SCHEMA_NOT_FOUND/);
    expect(await failure(engine, 'COMMENT ON TABLE notes.t IS 42')).toMatch(/PARSE_SYNTAX_ERROR.*string literal or NULL/);
  });

  it('ALTER TABLE … ADD COLUMNS with comments and ALTER|CHANGE COLUMN … COMMENT set column comments', async () => {
    await query(engine, "CREATE TABLE main.default.evolving (a INT); ALTER TABLE main.default.evolving ADD COLUMNS (b STRING COMMENT 'bee', c DOUBLE)");
    await query(engine, "ALTER TABLE main.default.evolving ALTER COLUMN a COMMENT 'alpha'; ALTER TABLE main.default.evolving CHANGE c COMMENT 'gamma'");
    expect(await columnComments('main', 'default', 'evolving')).toEqual([
      ['a', 'alpha'],
      ['b', 'bee'],
      ['c', 'gamma'],
    ]);
  });

  it('CREATE VIEW takes a COMMENT, a column list with comments, TBLPROPERTIES and WITH SCHEMA; the comment reaches Unity Catalog', async () => {
    await query(engine, "CREATE TABLE main.default.base (id INT, v STRING); INSERT INTO main.default.base VALUES (1, 'a')");
    await query(engine, "CREATE OR REPLACE VIEW main.default.named (ident COMMENT 'the id', `val ue`) COMMENT 'renamed columns' TBLPROPERTIES ('k' = 'v') WITH SCHEMA EVOLUTION AS SELECT id, v FROM main.default.base");
    const r = await query(engine, 'SELECT * FROM main.default.named');
    expect([r.columns, r.rows]).toEqual([['ident', 'val ue'], [['1', 'a']]]);
    const info = await tableInfo('main', 'default', 'named');
    expect(info).toMatchObject({ table_type: 'VIEW', comment: 'renamed columns' });
    expect(info.view_definition).toMatch(/^SELECT id, v FROM/);
    expect(await failure(engine, 'CREATE VIEW main.default.bad (a b) AS SELECT 1')).toMatch(/PARSE_SYNTAX_ERROR.*view column list/);
    expect(await failure(engine, "CREATE VIEW main.default.bad COMMENT 'x'")).toMatch(/CREATE VIEW needs AS query/);
  });

  it('IF NOT EXISTS on an existing object keeps its comment; OR REPLACE takes the new one; a second CREATE SCHEMA fails as Databricks does', async () => {
    await query(engine, "CREATE SCHEMA keep COMMENT 'original'; CREATE TABLE keep.t (a INT) COMMENT 'v1'");
    await query(engine, "CREATE SCHEMA IF NOT EXISTS keep COMMENT 'ignored'; CREATE TABLE IF NOT EXISTS keep.t (b INT) COMMENT 'ignored'");
    expect(engine.catalog.schemaInfo('main', 'keep', 'me').comment).toBe('original');
    expect((await tableInfo('main', 'keep', 't')).comment).toBe('v1');
    await query(engine, 'CREATE OR REPLACE TABLE keep.t (c INT)');
    expect((await tableInfo('main', 'keep', 't')).comment).toBeUndefined();
    expect(await failure(engine, 'CREATE SCHEMA keep')).toMatch(/SCHEMA_ALREADY_EXISTS.*Cannot create schema `keep` because it already exists/);
    expect(await failure(engine, "CREATE TABLE keep.bad (a INT DEFAULT COMMENT 'x')")).toMatch(/DEFAULT needs an expression/);
    expect((await engine.catalog.tableRows('main', 'keep')).map((r) => r[1])).toEqual(['t']);
  });

  it('column comments given to the Unity Catalog API show in DESCRIBE', async () => {
    await engine.catalog.createTable('main', 'default', 'api_made', 'me', {
      columns: [{ name: 'id', type_text: 'int', comment: 'from the API' }, { name: 'v', type_text: 'string' }],
      tableType: 'MANAGED',
      dataSourceFormat: 'DELTA',
      comment: 'made by the API',
    });
    expect((await query(engine, 'DESCRIBE main.default.api_made')).rows).toEqual([
      ['id', 'int', 'from the API'],
      ['v', 'string', null],
    ]);
    expect(await columnComments('main', 'default', 'api_made')).toEqual([
      ['id', 'from the API'],
      ['v', undefined],
    ]);
  });
});
