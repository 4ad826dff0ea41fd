import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlEngine } from '../../../src/emulator/sql/index.js';
import { failure, query } from './helpers.js';

/** SQL user-defined functions: DuckDB macros behind Unity Catalog function entries. */
let engine: SqlEngine;
beforeAll(async () => {
  engine = await SqlEngine.create();
  await query(engine, 'CREATE CATALOG udf; CREATE SCHEMA udf.s; CREATE SCHEMA udf.other; CREATE TABLE udf.s.t (id INT, name STRING); INSERT INTO udf.s.t VALUES (1, "a"), (2, "b"), (3, "c")');
});
afterAll(() => engine.close());

const ref = (name: string) => ({ catalog: 'udf', schema: 's', name });

describe('SQL functions', () => {
  it('creates a scalar function and calls it by 3-, 2- and 1-part name, with defaults and the return type applied', async () => {
    await query(engine, "CREATE FUNCTION udf.s.add_n(x INT, n INT DEFAULT 10 COMMENT 'step') RETURNS BIGINT COMMENT 'adds' DETERMINISTIC RETURN x + n");
    const r = await query(engine, 'SELECT udf.s.add_n(1), udf.s.add_n(1, 2) AS two', { catalog: 'main' });
    expect(r.rows).toEqual([['11', '3']]);
    expect(r.types).toEqual(['LONG', 'LONG']);
    expect((await query(engine, 'SELECT s.add_n(id) FROM s.t ORDER BY id', { catalog: 'udf', schema: 'other' })).rows).toEqual([['11'], ['12'], ['13']]);
    expect((await query(engine, 'USE udf.s; SELECT add_n(5, 5)')).rows).toEqual([['10']]);
    // Arguments are cast to the declared parameter types, as Databricks casts them implicitly.
    expect((await query(engine, "SELECT udf.s.add_n(1L, '2')")).rows).toEqual([['3']]);
  });

  it('translates the body like any Databricks expression', async () => {
    await query(engine, "CREATE FUNCTION udf.s.shout(s STRING) RETURNS STRING RETURN concat(upper(s), '!') || nvl(NULL, '')");
    await query(engine, 'CREATE FUNCTION udf.s.halve(x DOUBLE) RETURN try_divide(x, 0)');
    expect((await query(engine, "SELECT udf.s.shout('hi'), udf.s.halve(4)")).rows).toEqual([['HI!', null]]);
  });

  it('table functions: RETURNS TABLE (…) RETURN SELECT, called in FROM', async () => {
    await query(engine, 'CREATE FUNCTION udf.s.names_above(lim INT) RETURNS TABLE (id INT, label STRING) RETURN SELECT id, upper(name) FROM udf.s.t WHERE id > lim');
    const r = await query(engine, 'SELECT * FROM udf.s.names_above(1) ORDER BY id');
    expect(r.columns).toEqual(['id', 'label']);
    expect(r.rows).toEqual([['2', 'B'], ['3', 'C']]);
  });

  it('REST and SQL see one store: the function info shows what SQL declared', async () => {
    const info = await engine.catalog.functions.info(ref('add_n'));
    expect(info).toMatchObject({
      full_name: 'udf.s.add_n',
      data_type: 'LONG',
      full_data_type: 'bigint',
      routine_body: 'SQL',
      routine_definition: 'x + n',
      is_deterministic: true,
      sql_data_access: 'CONTAINS_SQL',
      comment: 'adds',
      input_params: {
        parameters: [
          { name: 'x', type_text: 'int', type_name: 'INT', position: 0 },
          { name: 'n', type_text: 'int', type_name: 'INT', position: 1, parameter_default: '10', comment: 'step' },
        ],
      },
    });
    const table = await engine.catalog.functions.info(ref('names_above'));
    expect(table).toMatchObject({ data_type: 'TABLE_TYPE', sql_data_access: 'READS_SQL_DATA', return_params: { parameters: [{ name: 'id', type_name: 'INT', parameter_type: 'COLUMN' }, { name: 'label', type_name: 'STRING' }] } });
  });

  it('OR REPLACE, IF NOT EXISTS and ROUTINE_ALREADY_EXISTS', async () => {
    await query(engine, 'CREATE FUNCTION udf.s.v() RETURNS INT RETURN 1');
    expect(await failure(engine, 'CREATE FUNCTION udf.s.v() RETURNS INT RETURN 2')).toMatch(/^\[ROUTINE_ALREADY_EXISTS\] Cannot create the routine `udf`.`s`.`v` because it already exists/);
    await query(engine, 'CREATE FUNCTION IF NOT EXISTS udf.s.v() RETURNS INT RETURN 3');
    expect((await query(engine, 'SELECT udf.s.v()')).rows).toEqual([['1']]);
    await query(engine, 'CREATE OR REPLACE FUNCTION udf.s.v() RETURNS STRING RETURN "two"');
    expect((await query(engine, 'SELECT udf.s.v()')).rows).toEqual([['two']]);
    expect(await engine.catalog.functions.info(ref('v'))).toMatchObject({ data_type: 'STRING', routine_definition: '"two"' });
  });

  it('a body that does not resolve is refused and leaves nothing behind', async () => {
    expect(await failure(engine, 'CREATE FUNCTION udf.s.bad(x INT) RETURNS INT RETURN x + nope')).toMatch(/UNRESOLVED_COLUMN/);
    expect(await failure(engine, 'CREATE FUNCTION udf.s.bad2() RETURNS INT RETURN (SELECT count(*) FROM udf.s.missing)')).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
    expect(await failure(engine, 'CREATE FUNCTION udf.s.bad3(x INT, y INT DEFAULT 1, z INT) RETURN x')).toMatch(/INVALID_SQL_SYNTAX/);
    expect(await failure(engine, 'CREATE FUNCTION udf.s.bad4(x INT) RETURNS INT LANGUAGE PYTHON AS $$ return 1 $$')).toMatch(/NOT_SUPPORTED_BY_EMULATOR/);
    expect(await failure(engine, 'CREATE FUNCTION udf.s.bad5() RETURNS STRING RETURN current_user()')).toMatch(/NOT_SUPPORTED_BY_EMULATOR/);
    expect(await failure(engine, 'CREATE FUNCTION udf.nope.f() RETURNS INT RETURN 1')).toMatch(/SCHEMA_NOT_FOUND/);
    expect(engine.catalog.functions.names('udf', 's')).not.toEqual(expect.arrayContaining(['bad', 'bad2', 'bad3', 'bad4', 'bad5']));
    expect(await failure(engine, 'SELECT udf.s.bad(1)')).toMatch(/UNRESOLVED_ROUTINE/);
  });

  it('SHOW USER FUNCTIONS lists a schema, with the current schema by default and a LIKE pattern', async () => {
    expect((await query(engine, "SHOW USER FUNCTIONS IN udf.s LIKE 'add*|shout'")).rows).toEqual([['udf.s.add_n'], ['udf.s.shout']]);
    const r = await query(engine, 'SHOW FUNCTIONS', { catalog: 'udf', schema: 's' });
    expect(r.columns).toEqual(['function']);
    expect(r.rows.map((x) => x[0])).toEqual(['udf.s.add_n', 'udf.s.halve', 'udf.s.names_above', 'udf.s.shout', 'udf.s.v']);
    expect((await query(engine, 'SHOW FUNCTIONS IN udf.other')).rows).toEqual([]);
  });

  it('DESCRIBE FUNCTION [EXTENDED]', async () => {
    const r = await query(engine, 'DESCRIBE FUNCTION udf.s.add_n');
    expect(r.columns).toEqual(['function_desc']);
    expect(r.rows.map((x) => x[0])).toEqual(['Function:    udf.s.add_n', 'Type:        SCALAR', 'Input:       x INT, n INT DEFAULT 10', 'Returns:     BIGINT']);
    const ext = (await query(engine, 'DESC FUNCTION EXTENDED udf.s.add_n')).rows.map((x) => x[0]);
    expect(ext).toEqual(expect.arrayContaining(['Comment:     adds', 'Deterministic: true', 'Body:        x + n']));
    expect(await failure(engine, 'DESCRIBE FUNCTION udf.s.nope')).toMatch(/^\[ROUTINE_NOT_FOUND\] The routine `udf`.`s`.`nope` cannot be found/);
  });

  it('temporary functions live in the script that made them, outside Unity Catalog', async () => {
    expect((await query(engine, 'CREATE TEMPORARY FUNCTION twice(x INT) RETURNS INT RETURN x * 2; SELECT twice(21)')).rows).toEqual([['42']]);
    expect(await failure(engine, 'SELECT twice(1)')).toMatch(/UNRESOLVED_ROUTINE/);
    expect(await failure(engine, 'CREATE TEMPORARY FUNCTION a.b() RETURN 1')).toMatch(/INVALID_SQL_SYNTAX/);
  });

  it('DROP FUNCTION [IF EXISTS]; a dropped schema takes its functions', async () => {
    await query(engine, 'DROP FUNCTION udf.s.v');
    expect(engine.catalog.functions.get(ref('v'))).toBeUndefined();
    expect(await failure(engine, 'SELECT udf.s.v()')).toMatch(/UNRESOLVED_ROUTINE/);
    expect(await failure(engine, 'DROP FUNCTION udf.s.v')).toMatch(/ROUTINE_NOT_FOUND/);
    await query(engine, 'DROP FUNCTION IF EXISTS udf.s.v');
    await query(engine, 'CREATE SCHEMA udf.gone; CREATE FUNCTION udf.gone.f() RETURNS INT RETURN 1');
    expect(await failure(engine, 'DROP SCHEMA udf.gone')).toMatch(/^\[/);
    await query(engine, 'DROP SCHEMA udf.gone CASCADE; CREATE SCHEMA udf.gone');
    expect(engine.catalog.functions.names('udf', 'gone')).toEqual([]);
  });
});
