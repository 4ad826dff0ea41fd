/**
 * Quartz cron expressions as job `schedule`s use them: `sec min hour day-of-month month
 * day-of-week [year]`, with `*`, `?`, lists, ranges, `/` steps and JAN-DEC / SUN-SAT names
 * (day-of-week 1 = Sunday). `L`, `W` and `#` are not supported (parseCron says why). Times are
 * wall-clock times in the schedule's `timezone_id`.
 */

export interface CronSpec {
  seconds: number[];
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number> | undefined;
  months: Set<number>;
  daysOfWeek: Set<number> | undefined;
  years: Set<number> | undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function field(text: string, min: number, max: number, names: string[] = [], nameBase = min): number[] | undefined {
  if (text === '*' || text === '?') return undefined;
  const out = new Set<number>();
  const value = (s: string): number => {
    const i = names.indexOf(s.toUpperCase());
    const n = i >= 0 ? i + nameBase : Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`"${s}" is out of range ${min}-${max}`);
    return n;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in "${part}"`);
    let from = min;
    let to = max;
    if (range !== '*' && range !== '?') {
      const [a, b] = range.split('-') as [string, string | undefined];
      from = value(a);
      to = b === undefined ? (stepText === undefined ? from : max) : value(b);
    }
    if (from > to) throw new Error(`empty range "${part}"`);
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return [...out].sort((x, y) => x - y);
}

/** Parses or throws an Error whose message says what is wrong. */
export function parseCron(expression: string): CronSpec {
  const parts = expression.trim().split(/\s+/);
  if (parts.length < 6 || parts.length > 7) throw new Error('a Quartz cron expression has 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year])');
  if (/[LW#]/i.test(parts.slice(3, 6).join(' ').replace(/[A-Z]{3}/gi, (m) => (MONTHS.includes(m.toUpperCase()) || DAYS.includes(m.toUpperCase()) ? '' : m)))) {
    throw new Error('L, W and # are not supported by the emulator');
  }
  const [s, mi, h, dom, mon, dow, year] = parts as [string, string, string, string, string, string, string | undefined];
  const all = (n: number, m: number) => Array.from({ length: m - n + 1 }, (_, i) => n + i);
  const days = field(dom, 1, 31);
  const weekdays = field(dow, 1, 7, DAYS, 1);
  return {
    seconds: field(s, 0, 59) ?? all(0, 59),
    minutes: field(mi, 0, 59) ?? all(0, 59),
    hours: field(h, 0, 23) ?? all(0, 23),
    daysOfMonth: days ? new Set(days) : undefined,
    months: new Set(field(mon, 1, 12, MONTHS, 1) ?? all(1, 12)),
    daysOfWeek: weekdays ? new Set(weekdays) : undefined,
    years: year === undefined ? undefined : new Set(field(year, 1970, 2199) ?? all(1970, 2199)),
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws RangeError for an unknown time zone. */
export function checkTimeZone(tz: string): void {
  formatter(tz);
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

/** Offset of the zone from UTC at `utcMs`, in ms. */
function offsetAt(utcMs: number, tz: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

function localToUtc(y: number, m: number, d: number, h: number, mi: number, s: number, tz: string): number {
  const wall = Date.UTC(y, m - 1, d, h, mi, s);
  const first = wall - offsetAt(wall, tz);
  return wall - offsetAt(first, tz);
}

/** The first fire time strictly after `afterMs` (within ~4 years), or undefined. */
export function nextFireTime(spec: CronSpec, tz: string, afterMs: number): number | undefined {
  const localAfter = afterMs + offsetAt(afterMs, tz);
  const start = new Date(localAfter);
  for (let dayOffset = 0; dayOffset < 1500; dayOffset++) {
    const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + dayOffset));
    const y = day.getUTCFullYear();
    const m = day.getUTCMonth() + 1;
    const d = day.getUTCDate();
    if (spec.years && !spec.years.has(y)) continue;
    if (!spec.months.has(m)) continue;
    if (spec.daysOfMonth && !spec.daysOfMonth.has(d)) continue;
    if (spec.daysOfWeek && !spec.daysOfWeek.has(day.getUTCDay() + 1)) continue;
    for (const h of spec.hours) {
      for (const mi of spec.minutes) {
        for (const s of spec.seconds) {
          // Cheap wall-clock pruning before the zone lookup (3 h covers any DST jump).
          if (Date.UTC(y, m - 1, d, h, mi, s) + 3 * 3600_000 <= localAfter) continue;
          const t = localToUtc(y, m, d, h, mi, s, tz);
          if (t > afterMs) return t;
        }
      }
    }
  }
  return undefined;
}
