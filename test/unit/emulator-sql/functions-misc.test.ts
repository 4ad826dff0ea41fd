import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlEngine } from '../../../src/emulator/sql/index.js';
import { failure, query } from './helpers.js';

let engine: SqlEngine;
beforeAll(async () => {
  engine = await SqlEngine.create();
});
afterAll(() => engine.close());

const one = async (expr: string) => (await query(engine, `SELECT ${expr} AS v`)).rows[0]![0];
const doc = `'{"a":{"b":[1,"x",true,null]},"s":"hi","n":null,"f":2.50,"e":1e2,"big":12345678.9,"tiny":1e-5,"z":-0,"huge":123456789012345678901234}'`;

describe('typeof answers Spark type names', () => {
  it.each([
    ['1', 'int'],
    ['1L', 'bigint'],
    ['10000000000', 'bigint'],
    ['10000000000000000000', 'decimal(20,0)'],
    ['1.5', 'decimal(2,1)'],
    // DuckDB types 0.5 as DECIMAL(2,1); Spark's literal is decimal(1,1).
    ['0.5', 'decimal(1,1)'],
    ['-0.05', 'decimal(2,2)'],
    ['2.25BD', 'decimal(3,2)'],
    ['1.5D', 'double'],
    ['1e10', 'double'],
    ["'a'", 'string'],
    ['true', 'boolean'],
    ['NULL', 'void'],
    ["DATE '2024-01-01'", 'date'],
    ['current_timestamp()', 'timestamp'],
    ['CAST(1 AS DECIMAL(10,2))', 'decimal(10,2)'],
    ['array(1, 2)', 'array<int>'],
    ['array(array(1))', 'array<array<int>>'],
    ['array(NULL)', 'array<void>'],
    ["map('a', 1)", 'map<string,int>'],
    ["named_struct('a', 1, 'B', array('x'))", 'struct<a:int,B:array<string>>'],
    ["array(named_struct('a', 1))", 'array<struct<a:int>>'],
    ["array(map('k', array(1.5D)))", 'array<map<string,array<double>>>'],
    ["named_struct('x y', 1, 'int', array(1L))", 'struct<x y:int,int:array<bigint>>'],
    ['sum(1)', 'bigint'],
    ['1 + 1L', 'bigint'],
  ])('typeof(%s) = %s', async (expr, expected) => {
    expect(await one(`typeof(${expr})`)).toBe(expected);
  });

  it('reads column types, nested ones included', async () => {
    const r = await query(engine, `SELECT typeof(d), typeof(s), typeof(l) FROM (SELECT CAST(1.5 AS DECIMAL(10,2)) AS d,
      named_struct('a', array(named_struct('b', map('k', 1)))) AS s, array(array(array(1))) AS l)`);
    expect(r.rows).toEqual([['decimal(10,2)', 'struct<a:array<struct<b:map<string,int>>>>', 'array<array<array<int>>>']]);
  });

  it.each([
    // DuckDB's decimal arithmetic types differ from Spark's (Spark: decimal(5,1) here).
    ['SELECT typeof(1.5 * 2)', /computed DECIMAL/],
    ['SELECT typeof(INTERVAL 1 DAY)', /typeof\(\) of DuckDB type INTERVAL/],
    ["SELECT typeof(named_struct('a:b', 1))", /typeof\(\) of DuckDB type STRUCT/],
    ["SELECT typeof(named_struct('a, b', 1))", /typeof\(\) of DuckDB type STRUCT/],
  ])('%s is refused', async (sql, message) => {
    const m = await failure(engine, sql);
    expect(m).toMatch(/NOT_SUPPORTED_BY_EMULATOR/);
    expect(m).toMatch(message);
  });
});

describe('struct, decode, initcap, format_number, get_json_object', () => {
  it('struct names fields by alias, by column reference, else colN', async () => {
    const r = await query(engine, `SELECT struct(a, b), struct(1, 2 AS two, 3), struct(t.a, a + 1), struct(s.f), struct(\`my col\`)
      FROM VALUES (1, 'x', named_struct('f', 9), 'q') AS t(a, b, s, \`my col\`)`);
    expect(r.rows).toEqual([['{"a":1,"b":"x"}', '{"col1":1,"two":2,"col3":3}', '{"a":1,"col2":2}', '{"f":9}', '{"my col":"q"}']]);
    expect(await one('transform(array(1), x -> struct(x, x * 2))')).toBe('[{"x":1,"col2":2}]');
  });

  it.each([
    ["decode(5, 6, 'Spark', 5, 'SQL', 4, 'rocks')", 'SQL'],
    // NULL matches NULL.
    ["decode(NULL, 6, 'Spark', NULL, 'SQL', 4, 'rocks')", 'SQL'],
    ["decode(7, 6, 'Spark', 5, 'SQL', 'rocks')", 'rocks'],
    ["decode(7, 6, 'Spark')", null],
    // A subquery cannot sit inside a DuckDB lambda: the key expression is then repeated instead of bound.
    ["decode(1 + 1, 2, (SELECT 'two'), 'other')", 'two'],
    ["decode((SELECT 1) + 1, 2, 'two', 'other')", 'two'],
    ["initcap('hello world')", 'Hello World'],
    ["initcap('tHIS iS a TEST')", 'This Is A Test'],
    // Only the ASCII space separates words.
    ["initcap('a  b\\tc-d')", 'A  B\tc-d'],
    ["initcap('straße')", 'Straße'],
    ['initcap(NULL)', null],
    ['format_number(1234567.891, 2)', '1,234,567.89'],
    ['format_number(1234567.891D, 2)', '1,234,567.89'],
    ['format_number(12332.123456, 4)', '12,332.1235'],
    ['format_number(1234, 0)', '1,234'],
    ['format_number(1234, 2)', '1,234.00'],
    ['format_number(-1234.5D, 0)', '-1,234'],
    ['format_number(123456789012345678, 1)', '123,456,789,012,345,678.0'],
    // HALF_EVEN, on the exact decimal value.
    ['format_number(2.5, 0)', '2'],
    ['format_number(3.5, 0)', '4'],
    ['format_number(0.125, 2)', '0.12'],
    ['format_number(0.135, 2)', '0.14'],
    ['format_number(0.125D, 2)', '0.12'],
    // 0.8055D is slightly below 0.8055: rounding the binary value, as Java does.
    ['format_number(0.8055D, 3)', '0.805'],
    ['format_number(-0.001, 2)', '-0.00'],
    ['format_number(5, -1)', null],
    ['format_number(CAST(NULL AS DOUBLE), 2)', null],
    [`get_json_object(${doc}, '$.a')`, '{"b":[1,"x",true,null]}'],
    [`get_json_object(${doc}, '$.a.b[1]')`, 'x'],
    [`get_json_object(${doc}, '$[\\'a\\'].b[0]')`, '1'],
    [`get_json_object(${doc}, '$.s')`, 'hi'],
    // A JSON null is NULL when reached by a key, the text 'null' when reached by an index.
    [`get_json_object(${doc}, '$.n')`, null],
    [`get_json_object(${doc}, '$.a.b[3]')`, 'null'],
    // Floating-point numbers come back as Java prints doubles; integers as written.
    [`get_json_object(${doc}, '$.f')`, '2.5'],
    [`get_json_object(${doc}, '$.e')`, '100.0'],
    [`get_json_object(${doc}, '$.big')`, '1.23456789E7'],
    [`get_json_object(${doc}, '$.tiny')`, '1.0E-5'],
    [`get_json_object(${doc}, '$.z')`, '0'],
    [`get_json_object(${doc}, '$.huge')`, '123456789012345678901234'],
    [`get_json_object(${doc}, '$.missing')`, null],
    [`get_json_object(${doc}, 'a')`, null],
    ["get_json_object('{bad', '$.a')", null],
    ['get_json_object(\'"x"\', \'$\')', 'x'],
  ])('%s = %s', async (expr, expected) => {
    expect(await one(expr)).toBe(expected);
  });

  it.each([
    ["SELECT initcap('ΟΔΟΣ')", /initcap/],
    ["SELECT initcap('ﬁne')", /initcap/],
    ["SELECT format_number(1.5, '#.#')", /format_number with a format/],
    ['SELECT format_number(1e20D, 2)', /format_number of a double/],
    ["SELECT get_json_object('{\"a\":{\"b\":1.5}}', '$.a')", /floating-point number inside/],
    ["SELECT get_json_object('{''a'':1}', '$.a')", /single quotes/],
    ["SELECT get_json_object('{\"a\":[1]}', '$.a[*]')", /wildcard/],
    ["SELECT get_json_object(j, p) FROM VALUES ('{}', '$.a') AS t(j, p)", /path that is not a string literal/],
    ["SELECT decode(X'41', 'UTF-8')", /decode\(binary, charset\)/],
    ['SELECT struct()', /struct\(\) without fields/],
  ])('%s is refused', async (sql, message) => {
    const m = await failure(engine, sql);
    expect(m).toMatch(/NOT_SUPPORTED_BY_EMULATOR/);
    expect(m).toMatch(message);
  });
});
