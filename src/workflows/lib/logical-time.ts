/**
 * A pipeline's logical time: the moment a run is *for*, as opposed to when it happens to run. A
 * Schedule's firing, a trigger and each backfilled firing carry their nominal time (Temporal's
 * `TemporalScheduledStartTime`), so a backfill of last week runs each day's pipeline with that day's
 * date. `{{durabricks.logical_date}}` and `{{durabricks.logical_time}}` in the spec's `job` and `sql`
 * sections are replaced by it before anything is called. Databricks' own `{{job.start_time…}}`
 * references are left alone for Databricks to fill in: they are the real start time, which for a
 * backfilled day is today, not that day.
 *
 * No Node imports: bundled into the workflow sandbox.
 */

/** The references a spec may use, and what each becomes (UTC). */
const REFERENCES: Record<string, (t: Date) => string> = {
  /** 2026-11-20 */
  'durabricks.logical_date': (t) => t.toISOString().slice(0, 10),
  /** 2026-11-20T03:00:00Z */
  'durabricks.logical_time': (t) => `${t.toISOString().slice(0, 19)}Z`,
};

export const LOGICAL_TIME_REFERENCES = Object.keys(REFERENCES).map((name) => `{{${name}}}`);

/** `{{ durabricks.anything }}`: only names in the durabricks namespace are ours. */
const REFERENCE_RE = /\{\{\s*(durabricks\.[^}\s]*)\s*\}\}/g;

/** Every durabricks reference in `value`'s strings, with where it is. */
function referencesIn(value: unknown, path: (string | number)[]): { path: (string | number)[]; name: string }[] {
  if (typeof value === 'string') return [...value.matchAll(REFERENCE_RE)].map((m) => ({ path, name: m[1]! }));
  if (Array.isArray(value)) return value.flatMap((v, i) => referencesIn(v, [...path, i]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => referencesIn(v, [...path, k]));
  return [];
}

/** Sections of a pipeline spec whose strings get the logical time. */
export const LOGICAL_TIME_SECTIONS: readonly string[] = ['job', 'sql'];

/**
 * What is wrong with the durabricks references of a (raw) spec: a name that does not exist, or one
 * outside the sections that are replaced (it would reach Databricks as written).
 */
export function referenceProblems(spec: Record<string, unknown>): { path: (string | number)[]; message: string }[] {
  return Object.entries(spec).flatMap(([section, value]) =>
    referencesIn(value, [section]).flatMap(({ path, name }) => {
      if (!(name in REFERENCES)) return [{ path, message: `unknown reference {{${name}}} (known: ${LOGICAL_TIME_REFERENCES.join(', ')})` }];
      if (!LOGICAL_TIME_SECTIONS.includes(section)) return [{ path, message: `{{${name}}} is replaced only in ${LOGICAL_TIME_SECTIONS.join(' and ')}` }];
      return [];
    }),
  );
}

/** `value` with every durabricks reference in its strings replaced; the same object when there is none. */
export function withLogicalTime<T>(value: T, time: Date): T {
  if (typeof value === 'string') {
    return (value.includes('{{') ? value.replace(REFERENCE_RE, (whole, name: string) => REFERENCES[name]?.(time) ?? whole) : value) as T;
  }
  if (Array.isArray(value)) {
    const mapped = value.map((v) => withLogicalTime(v, time));
    return (mapped.some((v, i) => v !== value[i]) ? mapped : value) as T;
  }
  if (typeof value === 'object' && value !== null) {
    let changed = false;
    const entries = Object.entries(value).map(([k, v]) => {
      const replaced = withLogicalTime(v, time);
      if (replaced !== v) changed = true;
      return [k, replaced] as const;
    });
    return (changed ? Object.fromEntries(entries) : value) as T;
  }
  return value;
}

/**
 * A logical time given by a caller: an ISO-8601 date (midnight UTC) or date-time with a zone.
 * Undefined when it is not one, so callers can say what was wrong.
 */
export function parseLogicalTime(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const midnight = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2026-02-30 over to March; a day that does not exist is refused instead.
  if (midnight.getUTCFullYear() !== year || midnight.getUTCMonth() !== month - 1 || midnight.getUTCDate() !== day) return undefined;
  const time = m[4] ? new Date(text) : midnight;
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/** A time a client API takes: a valid Date, or text as parseLogicalTime reads it; undefined otherwise. */
export function logicalTimeOf(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  return typeof value === 'string' ? parseLogicalTime(value) : undefined;
}

/** `etl-<name>-<date>`, or `…-<date-time>` when the time is not midnight UTC: one workflow id per logical time. */
export function datedPipelineWorkflowId(name: string, time: Date): string {
  const iso = time.toISOString();
  return `etl-${name}-${iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 19)}Z`}`;
}

/** Where the logical time of a run comes from, in order of precedence. */
export type LogicalTimeSource = 'given' | 'schedule' | 'start';

/**
 * The run's logical time: the one its caller gave, else the Schedule firing's nominal time, else the
 * workflow's start time. All three are in the workflow's history, so replays agree.
 */
export function chooseLogicalTime(given: Date | undefined, scheduled: Date | undefined, started: Date): { time: Date; source: LogicalTimeSource } {
  if (given) return { time: given, source: 'given' };
  if (scheduled) return { time: scheduled, source: 'schedule' };
  return { time: started, source: 'start' };
}
