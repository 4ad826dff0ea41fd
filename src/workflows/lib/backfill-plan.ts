/**
 * The logical times a backfill runs, and what is wrong with a range: shared by the workflow (which
 * checks again) and the client (which checks before starting anything). No Node imports.
 */
import { parseDurationSeconds } from './duration.js';
import { parseLogicalTime } from './logical-time.js';

/** Runs one backfill may make: a year of days, or six weeks of hours, is well inside. */
export const MAX_BACKFILL_RUNS = 1000;
export const MAX_BACKFILL_CONCURRENCY = 10;
const MIN_EVERY_SECONDS = 60;

export interface BackfillRange {
  from: Date;
  to: Date;
  everySeconds: number;
  concurrency: number;
  times: Date[];
}

export type RangeCheck = { ok: true; range: BackfillRange } | { ok: false; problems: string[] };

/** Reads and checks `from`, `to`, `every` and `concurrency`; on success, every logical time in [from, to). */
export function backfillRange(o: { from: unknown; to: unknown; every?: unknown; concurrency?: unknown }): RangeCheck {
  const problems: string[] = [];
  const time = (name: string, v: unknown) => {
    const t = typeof v === 'string' ? parseLogicalTime(v) : undefined;
    if (!t) problems.push(`${name}: must be an ISO-8601 date (2026-11-20) or date-time with a zone (2026-11-20T03:00:00Z), got ${JSON.stringify(v)}`);
    return t;
  };
  const from = time('from', o.from);
  const to = time('to', o.to);
  const everySeconds = o.every === undefined ? 86400 : typeof o.every === 'string' || typeof o.every === 'number' ? parseDurationSeconds(o.every) : undefined;
  if (everySeconds === undefined || everySeconds < MIN_EVERY_SECONDS) problems.push(`every: must be a duration of at least 1m, such as "1d" or "1h", got ${JSON.stringify(o.every)}`);
  const concurrency = o.concurrency ?? 1;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_BACKFILL_CONCURRENCY) {
    problems.push(`concurrency: must be a whole number from 1 to ${MAX_BACKFILL_CONCURRENCY}, got ${JSON.stringify(o.concurrency)}`);
  }
  if (from && to && to.getTime() <= from.getTime()) problems.push(`to: must be after from (the range [from, to) is empty)`);
  if (problems.length > 0 || !from || !to || everySeconds === undefined) return { ok: false, problems };
  const count = Math.ceil((to.getTime() - from.getTime()) / (everySeconds * 1000));
  if (count > MAX_BACKFILL_RUNS) return { ok: false, problems: [`the range holds ${count} runs; at most ${MAX_BACKFILL_RUNS} per backfill (split it, or use a longer every)`] };
  const times = Array.from({ length: count }, (_, i) => new Date(from.getTime() + i * everySeconds * 1000));
  return { ok: true, range: { from, to, everySeconds, concurrency: concurrency as number, times } };
}
