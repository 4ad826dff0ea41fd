import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlEngine } from '../../../src/emulator/sql/index.js';
import { tokenize } from '../../../src/emulator/sql/lexer.js';
import { translateStatement } from '../../../src/emulator/sql/translate.js';
import { failure, query } from './helpers.js';

const ctx = { currentUser: 'me@x', now: Date.UTC(2024, 0, 2, 3, 4, 5) };
const sql = (text: string) => {
  const a = translateStatement(tokenize(text), ctx);
  if (a.kind !== 'sql') throw new Error(`not plain SQL: ${a.kind}`);
  return a.sql;
};

let engine: SqlEngine;
beforeAll(async () => {
  engine = await SqlEngine.create();
});
afterAll(() => engine.close());

const one = async (expr: string) => (await query(engine, `SELECT ${expr} AS v`)).rows[0]![0];

describe('lexing and literals', () => {
  it('backticks become identifiers, double quotes are strings, backslash escapes decode', async () => {
    expect(sql('SELECT `my col` FROM t')).toBe('SELECT "my col" FROM t');
    expect(await one('"it\'s"')).toBe("it's");
    expect(await one("'a\\tb'")).toBe('a\tb');
    expect(await one("'semi;colon' || '--not a comment'")).toBe('semi;colon--not a comment');
  });

  it('Spark numeric suffixes become typed literals', async () => {
    const r = await query(engine, 'SELECT 1L AS l, 2S AS s, 3Y AS y, 1.5D AS d, 2.25BD AS bd');
    expect(r.types).toEqual(['LONG', 'SHORT', 'BYTE', 'DOUBLE', 'DECIMAL']);
    expect(r.rows).toEqual([['1', '2', '3', '1.5', '2.25']]);
  });

  it('keeps keywords inside strings and comments untouched', async () => {
    expect(await one("'USE CATALOG x; nvl(1,2)' /* nvl(a) */")).toBe('USE CATALOG x; nvl(1,2)');
  });
});

describe('functions with Databricks semantics', () => {
  it.each([
    ['nvl(NULL, 2)', '2'],
    ['nvl2(1, 2, 3)', '2'],
    ["concat('a', NULL)", null],
    ["concat('a', 1, 'b')", 'a1b'],
    ["date_add(DATE '2024-02-28', 2)", '2024-03-01'],
    ["date_sub('2024-03-01', 1)", '2024-02-29'],
    ["datediff('2024-03-05', '2024-03-01')", '4'],
    ["add_months(DATE '2024-01-31', 1)", '2024-02-29'],
    ["to_date('05/03/2024', 'dd/MM/yyyy')", '2024-03-05'],
    ["to_date('2024-03-05 10:00:00')", '2024-03-05'],
    ["date_format(TIMESTAMP '2024-03-05 10:11:12', 'yyyy-MM-dd HH:mm')", '2024-03-05 10:11'],
    ["dayofweek(DATE '2024-03-03')", '1'],
    ["regexp_replace('a1b22', '(\\\\d+)', '<$1>')", 'a<1>b<22>'],
    ["regexp_extract('id=42', 'id=(\\\\d+)')", '42'],
    ["split('a.b.c', '\\\\.')", '["a","b","c"]'],
    ['log(exp(2))', '2.0'],
    ['size(array(1, 2, 3))', '3'],
    ["element_at(array('x', 'y'), 2)", 'y'],
    ["named_struct('a', 1, 'b', 'x')", '{"a":1,"b":"x"}'],
    ["dateadd(HOUR, 2, TIMESTAMP '2024-01-01 00:00:00')", '2024-01-01T02:00:00.000Z'],
    ["CAST('7' AS LONG) + 1", '8'],
    ["'a_b' LIKE 'a\\_b'", 'true'],
    ["'axb' LIKE 'a\\_b'", 'false'],
    ["'50%' LIKE '50\\%'", 'true'],
    ["'AxB' ILIKE 'a_b'", 'true'],
    ['CAST(2.7 AS INT)', '2'],
    ['CAST(-2.7 AS BIGINT)', '-2'],
    ['TRY_CAST(2.9 AS SMALLINT)', '2'],
    ['2.7::INT', '2'],
    ['(1.5 + 1.4)::LONG', '2'],
    ['abs(-3.9)::INT', '3'],
    ['3.99::DOUBLE::INT', '3'],
    ['CAST(true AS INT)', '1'],
    ["CAST('12' AS INT) * 2", '24'],
    ['CAST(NULL AS INT)', null],
    ["'2024-01-01'::DATE", '2024-01-01'],
    ["CAST(array(1, 2) AS ARRAY<BIGINT>)", '[1,2]'],
    ['1 <=> NULL', 'false'],
    ['7 DIV 2', '3'],
    ["current_user()", 'emulator@databricks.local'],
    ['try_divide(1, 0)', null],
    ['try_divide(6, 4)', '1.5'],
    ['6 / 4', '1.5'],
    ['7 % 3', '1'],
  ])('%s = %s', async (expr, expected) => {
    expect(await one(expr)).toBe(expected);
  });

  it('names count(*) as Spark does', async () => {
    expect((await query(engine, 'SELECT count(*), count(DISTINCT x) FROM VALUES (1), (1) AS t(x)')).columns).toEqual(['count(1)', 'count(DISTINCT x)']);
  });

  it('orders NULLs first ascending and last descending, as Spark does', async () => {
    expect((await query(engine, 'SELECT x FROM VALUES (2), (NULL), (1) AS t(x) ORDER BY x')).rows).toEqual([[null], ['1'], ['2']]);
    expect((await query(engine, 'SELECT x FROM VALUES (2), (NULL), (1) AS t(x) ORDER BY x DESC')).rows).toEqual([['2'], ['1'], [null]]);
  });

  it('SELECT * EXCEPT, inline VALUES column names, typed CTAS', async () => {
    expect((await query(engine, 'SELECT * EXCEPT (b) FROM VALUES (1, 2, 3) AS t(a, b, c)')).columns).toEqual(['a', 'c']);
    expect((await query(engine, 'SELECT * FROM VALUES (1, 2)')).columns).toEqual(['col1', 'col2']);
    const r = await query(engine, 'CREATE OR REPLACE TABLE main.default.typed (a LONG, b STRING, c TIMESTAMP_NTZ, d STRUCT<x: INT, y: ARRAY<STRING>>, e MAP<STRING, INT>); DESCRIBE main.default.typed');
    expect(r.rows.map((x) => x[1])).toEqual(['bigint', 'string', 'timestamp', 'struct<x:int,y:array<string>>', 'map<string,int>']);
  });
});

describe('RLIKE / REGEXP operators match anywhere, as Java find() does', () => {
  it.each([
    ["'abc123' RLIKE '[0-9]+'", 'true'],
    ["'abc' RLIKE '^b'", 'false'],
    ["'abc' RLIKE 'b'", 'true'],
    ["'abc' NOT RLIKE 'b'", 'false'],
    ["'abc' REGEXP '^a.c$'", 'true'],
    // The pattern's own '.' does not cross a newline (Java's default), the implied search does.
    ["'a\nb' RLIKE 'a.b'", 'false'],
    ["'x\nabc' RLIKE 'abc'", 'true'],
    ["'ABC' RLIKE '(?i)b'", 'true'],
    ["NULL RLIKE 'a'", null],
  ])('%s = %s', async (expr, expected) => {
    expect((await query(engine, `SELECT ${expr} AS v`)).rows).toEqual([[expected]]);
  });

  it('filters rows, negated too', async () => {
    const rows = async (where: string) => (await query(engine, `SELECT x FROM VALUES ('a1'), ('b'), (NULL) AS t(x) WHERE ${where} ORDER BY x`)).rows.map((r) => r[0]);
    // SQL '\\d' is the regex \d (a lone backslash escape in a Spark string literal drops the backslash).
    expect(await rows("x RLIKE '\\\\d'")).toEqual(['a1']);
    expect(await rows("x NOT RLIKE '\\\\d'")).toEqual(['b']);
  });
});

describe('refusals: never a silently different answer', () => {
  it.each([
    ['SELECT hash(1)', /hash\(\)/],
    ['SELECT percentile_approx(x, 0.5) FROM VALUES (1) AS t(x)', /percentile_approx/],
    ["SELECT 'a' RLIKE concat('a')", /RLIKE operator with a pattern that is not a string literal/],
    ['SELECT * FROM t LATERAL VIEW explode(a) e AS x', /LATERAL VIEW/],
    ['SELECT * FROM t PIVOT (sum(x) FOR y IN (1))', /PIVOT/],
    ["CREATE TABLE main.default.ext (a INT) LOCATION 's3://x'", /LOCATION/],
    ['INSERT INTO main.default.typed PARTITION (a = 1) SELECT 1', /PARTITION/],
    ["SELECT date_format(current_date(), 'QQQ')", /pattern letter 'Q'/],
    ["COPY INTO t FROM 's3://bucket/x' FILEFORMAT = CSV", /COPY INTO of "s3:\/\/bucket\/x": the emulator reads files only from Unity Catalog volumes/],
    ["COPY (SELECT 1) TO '/tmp/x.csv'", /the COPY statement/],
    ['SELECT * FROM main.default.typed VERSION AS OF 3', /time travel/],
    ["SELECT * FROM main.default.typed TIMESTAMP AS OF '2024-01-01'", /time travel/],
    ['CREATE TABLE main.default.cl SHALLOW CLONE main.default.typed', /SHALLOW CLONE/],
    ["PRAGMA database_list", /PRAGMA/],
    ['CREATE TABLE main.default.c (a VARIANT)', /data type VARIANT/],
  ])('%s', async (text, message) => {
    const m = await failure(engine, text);
    expect(m).toMatch(/not supported by the emulator/);
    expect(m).toMatch(message);
  });

  it('division and modulo by zero raise DIVIDE_BY_ZERO (ANSI mode, as on a warehouse)', async () => {
    expect(await failure(engine, 'SELECT 1 / 0')).toMatch(/^\[DIVIDE_BY_ZERO\] Division by zero/);
    expect(await failure(engine, 'SELECT x % 0 FROM VALUES (5) AS t(x)')).toMatch(/DIVIDE_BY_ZERO/);
    expect(await failure(engine, 'SELECT 1.5D / 0')).toMatch(/DIVIDE_BY_ZERO/);
    expect(await failure(engine, 'SELECT 7 DIV 0')).toMatch(/DIVIDE_BY_ZERO/);
    expect((await query(engine, 'SELECT x / 2 FROM VALUES (3), (NULL) AS t(x)')).rows).toEqual([['1.5'], [null]]);
  });

  it('casts DuckDB cannot make like Spark fail instead of rounding', async () => {
    expect(await failure(engine, "SELECT CAST('abc' AS INT)")).toMatch(/CAST_INVALID_INPUT/);
    expect(await failure(engine, 'SELECT CAST(1e30 AS BIGINT)')).toMatch(/CAST_INVALID_INPUT|ARITHMETIC_OVERFLOW/);
  });

  it('refused statements leave the catalog unchanged', async () => {
    const before = await engine.catalog.tableRows('main');
    await failure(engine, "CREATE TABLE main.default.ext (a INT) LOCATION 's3://x'");
    expect(await engine.catalog.tableRows('main')).toEqual(before);
  });
});

describe('parameters', () => {
  it('binds typed values, NULLs and quotes safely; rejects malformed lists', async () => {
    const r = await query(engine, 'SELECT :a AS a, :b AS b, :c AS c, :d AS d', {
      parameters: [
        { name: 'a', value: "x'); DROP TABLE t; --" },
        { name: 'b', value: '2024-02-03', type: 'DATE' },
        { name: 'c', type: 'INT' },
        { name: 'd', value: '12.345', type: 'DECIMAL(10,2)' },
      ],
    });
    expect(r.rows).toEqual([["x'); DROP TABLE t; --", '2024-02-03', null, '12.35']]);
    expect(r.types).toEqual(['STRING', 'DATE', 'INT', 'DECIMAL']);
    await expect(engine.execute('SELECT 1', { parameters: [{ name: '1x', value: '1' }] })).rejects.toThrow(/not a valid parameter name/);
    await expect(engine.execute('SELECT 1', { parameters: [{ name: 'a', value: '1' }, { name: 'A', value: '2' }] })).rejects.toThrow(/duplicate/);
    await expect(engine.execute('SELECT 1', { parameters: [{ name: 'a', value: '1', type: 'ARRAY<INT>' }] })).rejects.toThrow(/scalar types only/);
    expect(await failure(engine, 'SELECT :nope')).toMatch(/UNBOUND_SQL_PARAMETER/);
    expect(await failure(engine, 'SELECT :n', { parameters: [{ name: 'n', value: 'abc', type: 'INT' }] })).toMatch(/CAST_INVALID_INPUT/);
    expect((await query(engine, 'SELECT 1::INT AS x')).rows).toEqual([['1']]);
  });

  it('the statement API takes one statement only', async () => {
    await expect(engine.execute('SELECT 1; SELECT 2')).rejects.toThrow(/Only one statement/);
    await expect(engine.execute('  -- nothing\n')).rejects.toThrow(/empty statement/);
  });
});
