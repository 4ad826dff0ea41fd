import { notSupported } from './errors.js';
import { arity, bind, cast, refuseAtRuntime, stringLiteral, type FunctionContext, type FunctionRewrite, type FunctionTable } from './functions-common.js';
import { sqlString } from './lexer.js';

/** `TIMESTAMP '…'` / `DATE '…'` literals for the virtual clock's now (UTC). */
export const nowTimestamp = (ctx: FunctionContext) => `TIMESTAMP '${new Date(ctx.now).toISOString().replace('T', ' ').replace('Z', '')}'`;
export const nowDate = (ctx: FunctionContext) => `DATE '${new Date(ctx.now).toISOString().slice(0, 10)}'`;

/** Spark/Java datetime pattern → strftime/strptime format; unknown letters are refused. */
export function convertDatetimePattern(literal: string): string {
  const pattern = stringLiteral(literal);
  if (pattern === undefined) throw notSupported('a datetime pattern that is not a string literal');
  const map: [string, string][] = [
    ['yyyy', '%Y'], ['yy', '%y'], ['MMMM', '%B'], ['MMM', '%b'], ['MM', '%m'], ['dd', '%d'],
    ['HH', '%H'], ['hh', '%I'], ['mm', '%M'], ['ss', '%S'], ['SSSSSS', '%f'], ['SSS', '%g'],
    ['EEEE', '%A'], ['EEE', '%a'], ['a', '%p'], ['XXX', '%z'], ['Z', '%z'],
  ];
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === -1) throw notSupported(`datetime pattern ${literal}`);
      out += pattern.slice(i + 1, end).replaceAll('%', '%%');
      i = end + 1;
      continue;
    }
    const hit = map.find(([p]) => pattern.startsWith(p, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) throw notSupported(`datetime pattern letter '${ch}' in ${literal}`);
    out += ch === '%' ? '%%' : ch;
    i++;
  }
  return sqlString(out);
}

const INTERVAL_UNITS: Record<string, string> = {
  YEAR: 'to_years', QUARTER: 'QUARTER', MONTH: 'to_months', WEEK: 'to_weeks', DAY: 'to_days',
  HOUR: 'to_hours', MINUTE: 'to_minutes', SECOND: 'to_seconds', MILLISECOND: 'to_milliseconds', MICROSECOND: 'to_microseconds',
};

/** A unit written as a keyword (`MONTH`) or a string ('month'). */
function unitOf(arg: string): string {
  return arg.trim().replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1').toUpperCase();
}

function addUnits(unitArg: string, n: string, ts: string): string {
  const unit = unitOf(unitArg);
  const fn = INTERVAL_UNITS[unit];
  if (!fn) throw notSupported(`date arithmetic unit ${unitArg.trim()}`);
  if (fn === 'QUARTER') return cast(`${cast(ts, 'TIMESTAMP')} + to_months(3 * ${cast(n, 'INTEGER')})`, 'TIMESTAMP');
  return cast(`${cast(ts, 'TIMESTAMP')} + ${fn}(${cast(n, fn === 'to_seconds' || fn === 'to_milliseconds' ? 'DOUBLE' : 'INTEGER')})`, 'TIMESTAMP');
}

/**
 * Whole elapsed units from `a` to `b`, as Java's ChronoUnit.between on local date-times (what
 * Spark's timestampdiff uses): time units truncate the exact difference toward zero; a month has
 * elapsed once the calendar day and time of day reach the start's.
 */
function timestampDiff(unitArg: string, start: string, end: string): string {
  const unit = unitOf(unitArg);
  const perUnit: Record<string, number> = { MICROSECOND: 1, MILLISECOND: 1e3, SECOND: 1e6, MINUTE: 6e7, HOUR: 3.6e9, DAY: 8.64e10, WEEK: 6.048e11 };
  const monthsPer: Record<string, number> = { MONTH: 1, QUARTER: 3, YEAR: 12 };
  if (perUnit[unit] === undefined && monthsPer[unit] === undefined) throw notSupported(`timestampdiff unit ${unitArg.trim()}`);
  return bind([cast(start, 'TIMESTAMP'), cast(end, 'TIMESTAMP')], ([a, b]) => {
    if (perUnit[unit] !== undefined) return cast(`(epoch_us(${b}) - epoch_us(${a})) // ${perUnit[unit]}`, 'BIGINT');
    const [da, db, ta, tb] = [cast(a!, 'DATE'), cast(b!, 'DATE'), cast(a!, 'TIME'), cast(b!, 'TIME')];
    const endDate = `(CASE WHEN ${db} > ${da} AND ${tb} < ${ta} THEN ${db} - 1 WHEN ${db} < ${da} AND ${tb} > ${ta} THEN ${db} + 1 ELSE ${db} END)`;
    const packed = (d: string) => `((year(${d}) * 12 + month(${d}) - 1) * 32 + day(${d}))`;
    return cast(`(${packed(endDate)} - ${packed(da)}) // 32 // ${monthsPer[unit]}`, 'BIGINT');
  });
}

/**
 * Spark's months_between: whole months when both days of month are equal or both are month
 * ends, otherwise a 31-day month with seconds-precision day times, rounded half up to 8 digits.
 */
function monthsBetween(x: string, y: string, roundOff: string | undefined): string {
  return bind([cast(x, 'TIMESTAMP'), cast(y, 'TIMESTAMP')], ([a, b]) => {
    const months = (t: string) => `(year(${t}) * 12 + month(${t}))`;
    const monthEnd = (t: string) => `(day(${t}) = day(last_day(${t})))`;
    const secondsInDay = (t: string) => `((epoch_us(${t}) - epoch_us(date_trunc('day', ${t}))) // 1000000)`;
    const monthDiff = cast(`${months(a!)} - ${months(b!)}`, 'DOUBLE');
    const seconds = `(day(${a}) - day(${b})) * 86400 + ${secondsInDay(a!)} - ${secondsInDay(b!)}`;
    const diff = `(${monthDiff} + ${cast(seconds, 'DOUBLE')} / CAST(2678400 AS DOUBLE))`;
    const rounded = `(floor(${diff} * 1e8 + 0.5) / 1e8)`;
    const value = roundOff === undefined || roundOff.trim().toUpperCase() === 'TRUE' ? rounded
      : roundOff.trim().toUpperCase() === 'FALSE' ? diff : `(CASE WHEN ${roundOff} THEN ${rounded} WHEN NOT ${roundOff} THEN ${diff} END)`;
    return `(CASE WHEN day(${a}) = day(${b}) OR (${monthEnd(a!)} AND ${monthEnd(b!)}) THEN ${monthDiff} ELSE ${value} END)`;
  });
}

const TRUNC_UNITS: Record<string, string> = {
  YEAR: 'year', YYYY: 'year', YY: 'year', QUARTER: 'quarter', MONTH: 'month', MM: 'month', MON: 'month', WEEK: 'week',
  DAY: 'day', DD: 'day', HOUR: 'hour', MINUTE: 'minute', SECOND: 'second', MILLISECOND: 'millisecond', MICROSECOND: 'microsecond',
};
const DATE_TRUNC_UNITS = ['YEAR', 'YYYY', 'YY', 'QUARTER', 'MONTH', 'MM', 'MON', 'WEEK'];

/** Truncation to a Spark unit (case-insensitive); an unknown unit gives NULL, as in Spark. */
function truncate(unitSql: string, value: string, type: 'DATE' | 'TIMESTAMP', units: readonly string[]): string {
  const unit = stringLiteral(unitSql);
  if (unit !== undefined) {
    const u = unit.toUpperCase();
    return units.includes(u) ? cast(`date_trunc('${TRUNC_UNITS[u]}', ${cast(value, type)})`, type) : `CAST(NULL AS ${type})`;
  }
  return bind([cast(value, type)], ([v]) => `(CASE upper(${unitSql}) ${units.map((u) => `WHEN '${u}' THEN ${cast(`date_trunc('${TRUNC_UNITS[u]}', ${v})`, type)}`).join(' ')} END)`);
}

/**
 * Region-based zone ids (and UTC) mean the same in Java and ICU; offsets and three-letter ids are
 * read differently or not at all by DuckDB.
 */
const ZONE_ID = '[A-Za-z]+(/[A-Za-z0-9_+-]+)+|UTC';
function zone(fn: string, tzSql: string, convert: (tz: string) => string): string {
  const tz = stringLiteral(tzSql);
  if (tz !== undefined) {
    if (!new RegExp(`^(${ZONE_ID})$`).test(tz)) throw notSupported(`${fn} with time zone '${tz}' (use a region id such as 'America/Los_Angeles')`);
    return convert(tzSql);
  }
  return bind([tzSql], ([z]) => `(CASE WHEN regexp_full_match(${z}, '${ZONE_ID}') OR ${z} IS NULL THEN ${convert(z!)} ELSE ${refuseAtRuntime(`${fn} with a time zone that is not a region id`)} END)`);
}

const timestampDiffFn: FunctionRewrite = (a) => (arity('timestampdiff', a, 3), timestampDiff(a[0]!, a[1]!, a[2]!));
const dateDiffFn: FunctionRewrite = (a) => {
  arity('datediff', a, 2, 3);
  if (a.length === 3) return timestampDiff(a[0]!, a[1]!, a[2]!);
  return cast(`${cast(a[0]!, 'DATE')} - ${cast(a[1]!, 'DATE')}`, 'INTEGER');
};

export const DATETIME_FUNCTIONS: FunctionTable = {
  CURRENT_TIMESTAMP: (a, ctx) => (arity('current_timestamp', a, 0), nowTimestamp(ctx)),
  NOW: (a, ctx) => (arity('now', a, 0), nowTimestamp(ctx)),
  CURRENT_DATE: (a, ctx) => (arity('current_date', a, 0), nowDate(ctx)),
  // The emulated session is UTC; a warehouse's default session zone answers 'Etc/UTC'.
  CURRENT_TIMEZONE: (a) => (arity('current_timezone', a, 0), "'Etc/UTC'"),
  DATE_ADD: (a) => {
    arity('date_add', a, 2, 3);
    if (a.length === 3) return addUnits(a[0]!, a[1]!, a[2]!);
    return cast(`${cast(a[0]!, 'DATE')} + ${cast(a[1]!, 'INTEGER')}`, 'DATE');
  },
  DATEADD: (a, ctx) => DATETIME_FUNCTIONS.DATE_ADD!(a, ctx),
  TIMESTAMPADD: (a) => (arity('timestampadd', a, 3), addUnits(a[0]!, a[1]!, a[2]!)),
  DATE_SUB: (a) => (arity('date_sub', a, 2), cast(`${cast(a[0]!, 'DATE')} - ${cast(a[1]!, 'INTEGER')}`, 'DATE')),
  // DuckDB's 3-argument datediff counts crossed boundaries; Databricks counts whole elapsed units.
  DATEDIFF: dateDiffFn,
  DATE_DIFF: dateDiffFn,
  TIMESTAMPDIFF: timestampDiffFn,
  TIMEDIFF: timestampDiffFn,
  MONTHS_BETWEEN: (a) => (arity('months_between', a, 2, 3), monthsBetween(a[0]!, a[1]!, a[2])),
  ADD_MONTHS: (a) => (arity('add_months', a, 2), cast(`${cast(a[0]!, 'DATE')} + to_months(${cast(a[1]!, 'INTEGER')})`, 'DATE')),
  TO_DATE: (a) => {
    arity('to_date', a, 1, 2);
    if (a.length === 2) return cast(`strptime(${cast(a[0]!, 'VARCHAR')}, ${convertDatetimePattern(a[1]!)})`, 'DATE');
    return cast(cast(a[0]!, 'TIMESTAMP'), 'DATE');
  },
  TO_TIMESTAMP: (a) => {
    arity('to_timestamp', a, 1, 2);
    if (a.length === 2) return cast(`strptime(${cast(a[0]!, 'VARCHAR')}, ${convertDatetimePattern(a[1]!)})`, 'TIMESTAMP');
    return cast(a[0]!, 'TIMESTAMP');
  },
  DATE_FORMAT: (a) => (arity('date_format', a, 2), `strftime(${cast(a[0]!, 'TIMESTAMP')}, ${convertDatetimePattern(a[1]!)})`),
  DATE_TRUNC: (a) => (arity('date_trunc', a, 2), truncate(a[0]!, a[1]!, 'TIMESTAMP', Object.keys(TRUNC_UNITS))),
  // Spark's trunc is date-only (DuckDB's is numeric).
  TRUNC: (a) => (arity('trunc', a, 2), truncate(a[1]!, a[0]!, 'DATE', DATE_TRUNC_UNITS)),
  FROM_UTC_TIMESTAMP: (a) => (arity('from_utc_timestamp', a, 2), zone('from_utc_timestamp', a[1]!, (tz) => `timezone(${tz}, ${cast(cast(a[0]!, 'TIMESTAMP'), 'TIMESTAMPTZ')})`)),
  TO_UTC_TIMESTAMP: (a) => (arity('to_utc_timestamp', a, 2), zone('to_utc_timestamp', a[1]!, (tz) => cast(`timezone(${tz}, ${cast(a[0]!, 'TIMESTAMP')})`, 'TIMESTAMP'))),
  UNIX_TIMESTAMP: (a, ctx) => {
    arity('unix_timestamp', a, 0, 1);
    return cast(`epoch(${a.length ? cast(a[0]!, 'TIMESTAMP') : nowTimestamp(ctx)})`, 'BIGINT');
  },
  FROM_UNIXTIME: (a) => (arity('from_unixtime', a, 1), `strftime(make_timestamp(${cast(a[0]!, 'BIGINT')} * 1000000), '%Y-%m-%d %H:%M:%S')`),
  // Spark: 1 = Sunday … 7 = Saturday; DuckDB's dayofweek is 0-based.
  DAYOFWEEK: (a) => (arity('dayofweek', a, 1), `(dayofweek(${a[0]}) + 1)`),
  WEEKDAY: (a) => (arity('weekday', a, 1), `(isodow(${a[0]}) - 1)`),
  WEEKOFYEAR: (a) => (arity('weekofyear', a, 1), `weekofyear(${a[0]})`),
};
