import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlEngine } from '../../../src/emulator/sql/index.js';
import { failure, query } from './helpers.js';

let engine: SqlEngine;
beforeAll(async () => {
  engine = await SqlEngine.create();
});
afterAll(() => engine.close());

const one = async (expr: string) => (await query(engine, `SELECT ${expr} AS v`)).rows[0]![0];
const ts = "TIMESTAMP '2015-03-05 09:32:05.359123'";

describe('date and time functions with Spark semantics', () => {
  it.each([
    [`date_trunc('YEAR', ${ts})`, '2015-01-01T00:00:00.000Z'],
    [`date_trunc('YYYY', ${ts})`, '2015-01-01T00:00:00.000Z'],
    [`date_trunc('yy', ${ts})`, '2015-01-01T00:00:00.000Z'],
    [`date_trunc('QUARTER', ${ts})`, '2015-01-01T00:00:00.000Z'],
    [`date_trunc('MM', ${ts})`, '2015-03-01T00:00:00.000Z'],
    [`date_trunc('MON', ${ts})`, '2015-03-01T00:00:00.000Z'],
    [`date_trunc('WEEK', ${ts})`, '2015-03-02T00:00:00.000Z'],
    [`date_trunc('DD', ${ts})`, '2015-03-05T00:00:00.000Z'],
    [`date_trunc('HOUR', ${ts})`, '2015-03-05T09:00:00.000Z'],
    [`date_trunc('MINUTE', ${ts})`, '2015-03-05T09:32:00.000Z'],
    [`date_trunc('SECOND', ${ts})`, '2015-03-05T09:32:05.000Z'],
    [`date_trunc('MILLISECOND', ${ts})`, '2015-03-05T09:32:05.359Z'],
    ["date_trunc('MM', '2015-03-05T09:32:05.359')", '2015-03-01T00:00:00.000Z'],
    // An unknown unit is NULL, not an error.
    [`date_trunc('JAHR', ${ts})`, null],
    ["trunc('2019-08-04', 'week')", '2019-07-29'],
    ["trunc('2019-08-04', 'quarter')", '2019-07-01'],
    ["trunc('2009-02-12', 'MM')", '2009-02-01'],
    ["trunc('2015-10-27', 'YEAR')", '2015-01-01'],
    ["trunc('2015-10-27', 'JAHR')", null],
    // trunc is date-only: DAY is not one of its units.
    ["trunc('2015-10-27', 'DD')", null],
    ["months_between('1997-02-28 10:30:00', '1996-10-30')", '3.94959677'],
    ["months_between('1997-02-28 10:30:00', '1996-10-30', false)", '3.9495967741935485'],
    ["months_between('1996-10-30', '1997-02-28 10:30:00')", '-3.94959677'],
    // Same day of month, or both month ends: whole months, time of day ignored.
    ["months_between('2024-03-15 10:00:00', '2024-01-15 23:00:00')", '2.0'],
    ["months_between(DATE '2024-02-29', DATE '2024-01-31')", '1.0'],
    ["months_between(DATE '2024-03-01', DATE '2024-02-29')", '0.09677419'],
    ["timestampdiff(MONTH, TIMESTAMP'2021-02-28 12:00:00', TIMESTAMP'2021-03-28 11:59:59')", '0'],
    ["timestampdiff(MONTH, TIMESTAMP'2021-02-28 12:00:00', TIMESTAMP'2021-03-28 12:00:00')", '1'],
    ["timestampdiff(YEAR, DATE'2021-01-01', DATE'1900-03-28')", '-120'],
    ["timestampdiff(QUARTER, DATE '2024-01-31', DATE '2024-04-30')", '0'],
    ["timestampdiff(QUARTER, DATE '2024-01-31', DATE '2024-05-01')", '1'],
    ["timestampdiff(WEEK, DATE '2024-01-01', DATE '2024-01-14')", '1'],
    ["timestampdiff(DAY, TIMESTAMP '2024-01-01 10:00:00', TIMESTAMP '2024-01-03 09:59:59')", '1'],
    // Whole elapsed units truncate toward zero (DuckDB's date_diff counts crossed boundaries).
    ["timestampdiff(HOUR, TIMESTAMP '2024-01-01 10:00:00', TIMESTAMP '2024-01-01 08:30:00')", '-1'],
    ["timestampdiff(MILLISECOND, TIMESTAMP '2024-01-01 00:00:00.0015', TIMESTAMP '2024-01-01 00:00:00')", '-1'],
    ["timestampdiff(MICROSECOND, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:01')", '1000000'],
    ["datediff(DAY, '2024-01-01', '2024-02-01')", '31'],
    ["datediff(YEAR, DATE '2023-06-15', DATE '2024-06-14')", '0'],
    ["date_diff(SECOND, TIMESTAMP '2024-01-01 00:00:00.9', TIMESTAMP '2024-01-01 00:00:02.1')", '1'],
    ["timediff(MINUTE, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:59:59')", '59'],
    ["datediff('2024-03-05', '2024-03-01')", '4'],
    ['current_timezone()', 'Etc/UTC'],
    ["from_utc_timestamp('2016-08-31', 'Asia/Seoul')", '2016-08-31T09:00:00.000Z'],
    ["to_utc_timestamp('2016-08-31', 'Asia/Seoul')", '2016-08-30T15:00:00.000Z'],
    // Daylight saving time follows the zone's rules.
    ["from_utc_timestamp(TIMESTAMP '2024-07-01 12:00:00', 'America/Los_Angeles')", '2024-07-01T05:00:00.000Z'],
    ["from_utc_timestamp(TIMESTAMP '2024-01-01 12:00:00', 'America/Los_Angeles')", '2024-01-01T04:00:00.000Z'],
    ["to_utc_timestamp(TIMESTAMP '2024-01-01 04:00:00', 'UTC')", '2024-01-01T04:00:00.000Z'],
  ])('%s = %s', async (expr, expected) => {
    expect(await one(expr)).toBe(expected);
  });

  it('units and zones can come from columns', async () => {
    const r = await query(engine, `SELECT date_trunc(u, ${ts}), trunc(DATE '2015-10-27', u), from_utc_timestamp('2016-08-31', z)
      FROM VALUES ('yyyy', 'Europe/Paris'), ('hour', 'Asia/Kolkata'), (NULL, NULL) AS t(u, z)`);
    expect(r.rows).toEqual([
      ['2015-01-01T00:00:00.000Z', '2015-01-01', '2016-08-31T02:00:00.000Z'],
      ['2015-03-05T09:00:00.000Z', null, '2016-08-31T05:30:00.000Z'],
      [null, null, null],
    ]);
    expect(r.types).toEqual(['TIMESTAMP', 'DATE', 'TIMESTAMP']);
  });

  it('timestampdiff answers a LONG, months_between a DOUBLE', async () => {
    expect((await query(engine, "SELECT timestampdiff(DAY, DATE '2024-01-01', DATE '2024-01-02'), months_between(DATE '2024-01-01', DATE '2023-01-01')")).types).toEqual(['LONG', 'DOUBLE']);
  });

  it.each([
    ["SELECT from_utc_timestamp('2016-08-31', 'PST')", /NOT_SUPPORTED_BY_EMULATOR.*'PST'/],
    ["SELECT to_utc_timestamp('2016-08-31', '+08:00')", /NOT_SUPPORTED_BY_EMULATOR.*'\+08:00'/],
    ["SELECT from_utc_timestamp('2016-08-31', z) FROM VALUES ('GMT+8') AS t(z)", /NOT_SUPPORTED_BY_EMULATOR.*not a region id/],
    ["SELECT timestampdiff(DAYOFYEAR, DATE '2024-01-01', DATE '2024-01-02')", /NOT_SUPPORTED_BY_EMULATOR.*timestampdiff unit DAYOFYEAR/],
  ])('%s is refused', async (sql, message) => {
    expect(await failure(engine, sql)).toMatch(message);
  });
});
