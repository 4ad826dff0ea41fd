import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlEngine } from '../../../src/emulator/sql/index.js';
import { failure, query } from './helpers.js';

let engine: SqlEngine;
beforeAll(async () => {
  engine = await SqlEngine.create();
});
afterAll(() => engine.close());

const one = async (expr: string) => (await query(engine, `SELECT ${expr} AS v`)).rows[0]![0];

describe('array functions with Spark semantics', () => {
  it.each([
    // First occurrences stay in place and one NULL is kept (DuckDB's list_distinct reorders and drops NULLs).
    ['array_distinct(array(1, 1, 2))', '[1,2]'],
    ['array_distinct(array(3, NULL, 1, NULL, 3))', '[3,null,1]'],
    ["array_distinct(array('b', 'a', 'b'))", '["b","a"]'],
    ['array_distinct(CAST(NULL AS ARRAY<INT>))', null],
    ['sort_array(array(3, NULL, 1))', '[null,1,3]'],
    ['sort_array(array(3, NULL, 1), true)', '[null,1,3]'],
    ['sort_array(array(3, NULL, 1), false)', '[3,1,null]'],
    ['array_max(array(1, NULL, 3))', '3'],
    ['array_min(array(2, NULL, 1))', '1'],
    ["array_max(array('b', 'c', 'a'))", 'c'],
    ['array_max(array(CAST(NULL AS INT)))', null],
    ['transform(array(1, 2, 3), x -> x + 1)', '[2,3,4]'],
    // The index is 0-based in Spark (DuckDB's is 1-based).
    ['transform(array(10, 20), (x, i) -> x + i)', '[10,21]'],
    ['transform(array(array(1, 2), array(3)), a -> transform(a, (y, j) -> y * 10 + j))', '[[10,21],[30]]'],
    ['filter(array(1, 2, 3, 4), x -> x % 2 = 0)', '[2,4]'],
    ['filter(array(5, 6, 7), (x, i) -> i > 0)', '[6,7]'],
    ['aggregate(array(1, 2, 3), 0, (acc, x) -> acc + x)', '6'],
    ['aggregate(array(1, 2, 3), 0, (acc, x) -> acc + x, acc -> acc * 10)', '60'],
    ['reduce(array(1, 2, 3), 0, (acc, x) -> acc + x)', '6'],
    ['aggregate(array(), 7, (acc, x) -> acc + x)', '7'],
    // A NULL array is NULL; finish is not applied to it.
    ['aggregate(CAST(NULL AS ARRAY<INT>), 0, (acc, x) -> acc + x, acc -> coalesce(acc, 5))', null],
    // exists/forall are three-valued: a NULL predicate result counts unless a decisive one is found.
    ['exists(array(1, 2, 3), x -> x > 2)', 'true'],
    ['exists(array(1, NULL), x -> x > 2)', null],
    ['exists(array(1, NULL, 3), x -> x > 2)', 'true'],
    ['exists(array(1, 2), x -> x > 2)', 'false'],
    ['forall(array(1, 2), x -> x > 0)', 'true'],
    ['forall(array(1, NULL), x -> x > 0)', null],
    ['forall(array(-1, NULL), x -> x > 0)', 'false'],
    ['exists(CAST(NULL AS ARRAY<INT>), x -> x > 0)', null],
    ['sequence(1, 5)', '[1,2,3,4,5]'],
    // The default step is -1 when start > stop.
    ['sequence(5, 1)', '[5,4,3,2,1]'],
    ['sequence(1, 10, 3)', '[1,4,7,10]'],
    ['sequence(1, 1, 0)', '[1]'],
    ['sequence(1, NULL)', null],
  ])('%s = %s', async (expr, expected) => {
    expect(await one(expr)).toBe(expected);
  });

  it('a lambda sees the row\'s columns; a computed array is evaluated once', async () => {
    const r = await query(engine, 'SELECT transform(arr, x -> x * k) FROM VALUES (array(1, 2), 3) AS t(arr, k)');
    expect(r.rows).toEqual([['[3,6]']]);
    expect((await query(engine, 'SELECT array_distinct(array_agg(x)) FROM VALUES (2), (1), (2) AS t(x)')).rows).toEqual([['[2,1]']]);
    // Evaluated twice, the random values would not be found in their own array.
    expect(await one('size(array_distinct(array(random(), random())))')).toBe('2');
  });

  it('sequence keeps the integer type of its bounds', async () => {
    expect((await query(engine, 'SELECT typeof(sequence(1, 3)), typeof(sequence(1, 3L))')).rows).toEqual([['array<int>', 'array<bigint>']]);
  });

  it('EXISTS subqueries and FILTER clauses are not taken for the array functions', async () => {
    expect((await query(engine, 'SELECT x FROM VALUES (1) AS t(x) WHERE EXISTS (SELECT 1, 2)')).rows).toEqual([['1']]);
    expect((await query(engine, 'SELECT count(*) FILTER (WHERE x > 0) FROM VALUES (1), (-1) AS t(x)')).rows).toEqual([['1']]);
  });

  it.each([
    ['SELECT aggregate(array(1L, 2L), 0, (acc, x) -> acc + x)', /DATATYPE_MISMATCH.*merge function returns BIGINT where the start value is INTEGER/],
    ['SELECT sequence(1, 5, -1)', /^\[ILLEGAL_SEQUENCE_BOUNDARIES\] Illegal sequence boundaries: 1 to 5 by -1/],
    ["SELECT sequence(DATE '2024-01-01', DATE '2024-01-03')", /NOT_SUPPORTED_BY_EMULATOR.*sequence of non-integer values/],
    ["SELECT sequence(DATE '2024-01-01', DATE '2024-03-01', INTERVAL 1 MONTH)", /NOT_SUPPORTED_BY_EMULATOR.*sequence of dates/],
    ['SELECT sort_array(array(1), x > 0) FROM VALUES (1) AS t(x)', /NOT_SUPPORTED_BY_EMULATOR.*sort_array/],
    ['SELECT transform(array(1), 1)', /NOT_SUPPORTED_BY_EMULATOR.*transform without a lambda/],
  ])('%s fails', async (sql, message) => {
    expect(await failure(engine, sql)).toMatch(message);
  });
});
