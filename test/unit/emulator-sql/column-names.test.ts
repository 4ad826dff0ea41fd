import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sparkName } from '../../../src/emulator/sql/column-names.js';
import { tokenize } from '../../../src/emulator/sql/lexer.js';
import { SqlEngine } from '../../../src/emulator/sql/index.js';
import { query } from './helpers.js';

let engine: SqlEngine;
beforeAll(async () => {
  engine = await SqlEngine.create({ now: () => 1_700_000_000_000, seed: 1 });
});
afterAll(() => engine.close());

const nameOf = (expr: string) => sparkName(tokenize(expr))?.name;

describe('result column names of unaliased select items, as Databricks gives them', () => {
  it.each([
    ["upper('a')", 'upper(a)'],
    ["CONCAT('a', 'b')", 'concat(a, b)'],
    ["'a' || s", 'concat(a, s)'],
    ['1+1', '(1 + 1)'],
    ['x*2+1', '((x * 2) + 1)'],
    ['(x + 1) * 2', '((x + 1) * 2)'],
    ['-x', '(- x)'],
    ['-1', '-1'],
    ['1L', '1'],
    ['count(*)', 'count(1)'],
    ['count(DISTINCT t.x)', 'count(DISTINCT x)'],
    ['round(avg(x), 2)', 'round(avg(x), 2)'],
    ['nvl(NULL, 2)', 'nvl(NULL, 2)'],
    ["date_add(DATE'2024-01-01', 1)", "date_add(DATE '2024-01-01', 1)"],
    ['CAST(x AS LONG)', 'CAST(x AS BIGINT)'],
    ['x::decimal(10, 2)', 'CAST(x AS DECIMAL(10,2))'],
    ['x IS NOT NULL', '(x IS NOT NULL)'],
    ['x IN (1,2)', '(x IN (1, 2))'],
    ['x NOT IN (1)', '(NOT (x IN (1)))'],
    ['NOT x > 1', '(NOT (x > 1))'],
    ['x != 2', '(NOT (x = 2))'],
    ['x == 1 AND y OR z', '(((x = 1) AND y) OR z)'],
    ["s LIKE 'a%'", 's LIKE a%'],
    ["CASE WHEN x > 1 THEN 'big' ELSE 'small' END", 'CASE WHEN (x > 1) THEN big ELSE small END'],
    ['CURRENT_DATE', 'current_date()'],
    ['TRUE', 'true'],
  ])('%s → %s', (expr, name) => {
    expect(nameOf(expr)).toBe(name);
  });

  it('leaves alone what it cannot name exactly (window functions, IF, BETWEEN, lambdas, subscripts) and aliased items', () => {
    for (const expr of ['sum(x) OVER ()', 'if(x > 0, 1, 0)', 'x BETWEEN 1 AND 2', 'transform(a, v -> v + 1)', 'a[0]', 'upper(s) AS u', 'upper(s) u', 'CASE x WHEN 1 THEN 2 END']) {
      expect(nameOf(expr), expr).toBeUndefined();
    }
    expect(sparkName(tokenize('t.x'))).toEqual({ name: 'x', plain: true });
  });

  it('a query returns those names and the same values, through every select-list shape', async () => {
    const r = await query(
      engine,
      `WITH t AS (SELECT 2 AS x, 'abc' AS s)
       SELECT DISTINCT upper(s), x * 2 + 1, date_add(DATE'2024-01-01', x), typeof(x), concat(s, '!'), x AS named, s FROM t`,
    );
    expect(r.columns).toEqual(['upper(s)', '((x * 2) + 1)', "date_add(DATE '2024-01-01', x)", 'typeof(x)', 'concat(s, !)', 'named', 's']);
    expect(r.rows).toEqual([['ABC', '5', '2024-01-03', 'int', 'abc!', '2', 'abc']]);
  });

  it('only the first select list names the result, as in Spark: a union takes its first branch names', async () => {
    const r = await query(engine, "SELECT lower('A') UNION ALL SELECT upper('b') ORDER BY 1");
    expect(r.columns).toEqual(['lower(A)']);
    expect(r.rows).toEqual([['B'], ['a']]);
  });

  it('a NULL literal column is typed NULL (VOID), as in Databricks, not INTEGER as DuckDB types it', async () => {
    const r = await query(engine, 'SELECT NULL, NULL AS x, 1 AS y, CAST(NULL AS STRING) AS s');
    expect(r.columns).toEqual(['NULL', 'x', 'y', 's']);
    expect(r.types).toEqual(['NULL', 'NULL', 'INT', 'STRING']);
    expect(r.rows).toEqual([[null, null, '1', null]]);
  });

  it('keeps the common type where NULL meets other values (a union) and leaves positions after a star alone', async () => {
    expect((await query(engine, 'SELECT NULL UNION ALL SELECT 1')).types).toEqual(['INT']);
    expect((await query(engine, 'SELECT NULL, * FROM (SELECT 1 AS a)')).types).toEqual(['NULL', 'INT']);
  });
});
