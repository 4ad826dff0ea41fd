/**
 * Recurring pipelines as Temporal Schedules: each firing starts `etlPipeline` with the schedule's
 * spec under a workflow id Temporal derives from the schedule id and the firing time, so runs never
 * collide and a missed firing is not doubled (overlap policy SKIP by default).
 */
import type { Client, ScheduleDescription, ScheduleOverlapPolicy, ScheduleSpec } from '@temporalio/client';
import { logicalTimeOf } from '../workflows/lib/logical-time.js';
import { InvalidPipelineSpecError, validatePipelineSpec } from '../workflows/lib/pipeline-spec.js';
import { inputProblems } from './input-problems.js';

export interface PipelineScheduleOptions {
  scheduleId: string;
  spec: unknown;
  taskQueue: string;
  /** Cron expressions, e.g. ['0 6 * * *'] (UTC unless `timezone`). */
  cron?: string[];
  /** Intervals such as '1h', '15m'. */
  every?: string[];
  timezone?: string;
  paused?: boolean;
  note?: string;
  overlap?: ScheduleOverlapPolicy;
}

/**
 * Validates the spec and that a cron or interval is given (throws InvalidPipelineSpecError listing every
 * problem), then creates it; a cron, interval or time zone the server refuses is an InvalidPipelineSpecError too.
 */
export async function createPipelineSchedule(client: Client, o: PipelineScheduleOptions): Promise<string> {
  const checked = validatePipelineSpec(o.spec);
  const when = o.cron?.length || o.every?.length ? [] : ['cron, every: give at least one cron expression or interval'];
  if (!checked.ok || when.length > 0) throw inputProblems(['pipeline spec', checked.ok ? [] : checked.problems], ['schedule', when]);
  const spec = checked.spec;
  const scheduleSpec: ScheduleSpec = {
    ...(o.cron?.length ? { cronExpressions: o.cron } : {}),
    ...(o.every?.length ? { intervals: o.every.map((every) => ({ every: every as `${number}${'s' | 'm' | 'h' | 'd'}` })) } : {}),
    ...(o.timezone ? { timezone: o.timezone } : {}),
  };
  const handle = await refusedSpecAsProblem(() => client.schedule.create({
    scheduleId: o.scheduleId,
    spec: scheduleSpec,
    action: { type: 'startWorkflow', workflowType: 'etlPipeline', args: [{ spec }], taskQueue: o.taskQueue, workflowId: `etl-${spec.name}-scheduled`, memo: { pipeline: spec.name } },
    policies: { overlap: o.overlap ?? 'SKIP', catchupWindow: '1 hour' },
    state: { paused: o.paused ?? false, ...(o.note ? { note: o.note } : {}) },
    memo: { pipeline: spec.name },
  }));
  return handle.scheduleId;
}

/**
 * The Temporal client raises a bare TypeError for a schedule spec the server refuses ("Minute is not in
 * range [0-59]", "unknown time zone …") and for an interval it cannot parse: said here as the same
 * InvalidPipelineSpecError as every other bad input, naming the option it is about. Nothing was created.
 */
async function refusedSpecAsProblem<T>(create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    const option = /time ?zone/i.test(err.message) ? 'timezone' : /duration|interval/i.test(err.message) ? 'every' : /cron|minute|hour|day|month|year|second|range|field/i.test(err.message) ? 'cron' : 'cron, every, timezone';
    throw new InvalidPipelineSpecError([`${option}: ${err.message}`], 'schedule');
  }
}

export async function pausePipelineSchedule(client: Client, scheduleId: string, note = 'paused by durabricks'): Promise<void> {
  await client.schedule.getHandle(scheduleId).pause(note);
}

export async function unpausePipelineSchedule(client: Client, scheduleId: string, note = 'unpaused by durabricks'): Promise<void> {
  await client.schedule.getHandle(scheduleId).unpause(note);
}

export async function deletePipelineSchedule(client: Client, scheduleId: string): Promise<void> {
  await client.schedule.getHandle(scheduleId).delete();
}

/**
 * Runs the schedule's pipeline now, as a firing would (its logical time is now). `overlap` as the
 * schedule's policy unless given: SKIP does nothing while a firing's pipeline is still running.
 */
export async function triggerPipelineSchedule(client: Client, scheduleId: string, overlap?: ScheduleOverlapPolicy): Promise<void> {
  await client.schedule.getHandle(scheduleId).trigger(overlap);
}

export interface BackfillOptions {
  /** The first firing time included: a Date, or `2026-11-20` (midnight UTC) / a date-time with a zone, as `startBackfill` takes. */
  from: Date | string;
  /** The end of the range: firings before it are run. */
  to: Date | string;
  /** Run the firings at once instead of one after another (overlap ALLOW_ALL instead of BUFFER_ALL). */
  parallel?: boolean;
}

/**
 * Runs every firing the schedule would have made in [from, to), each with its own nominal time as the
 * pipeline's logical time and its own workflow id. One after another by default: the schedule's SKIP
 * policy would drop every firing but the first while that one runs.
 */
export async function backfillPipelineSchedule(client: Client, scheduleId: string, o: BackfillOptions): Promise<void> {
  const problems: string[] = [];
  const time = (name: string, v: unknown): Date | undefined => {
    const t = logicalTimeOf(v);
    if (!t) problems.push(`${name}: must be a valid Date, an ISO-8601 date (2026-11-20) or a date-time with a zone (2026-11-20T03:00:00Z), got ${v instanceof Date ? 'an invalid Date' : JSON.stringify(v)}`);
    return t;
  };
  const from = time('from', o.from);
  const to = time('to', o.to);
  if (from && to && to.getTime() <= from.getTime()) problems.push(`to: must be after from (the range [${from.toISOString()}, ${to.toISOString()}) is empty)`);
  if (problems.length > 0 || !from || !to) throw new InvalidPipelineSpecError(problems, 'schedule backfill');
  // Temporal evaluates (start, end]: moved back 1 ms, a firing exactly at `from` is in and one at `to` out.
  await client.schedule.getHandle(scheduleId).backfill({ start: new Date(from.getTime() - 1), end: new Date(to.getTime() - 1), overlap: o.parallel ? 'ALLOW_ALL' : 'BUFFER_ALL' });
}

export async function describePipelineSchedule(client: Client, scheduleId: string): Promise<ScheduleDescription> {
  return client.schedule.getHandle(scheduleId).describe();
}

export interface ScheduleSummary {
  scheduleId: string;
  pipeline?: string;
  paused: boolean;
  note?: string;
  nextRuns: Date[];
  recentRuns: { scheduledAt: Date; workflowId?: string }[];
}

export async function listPipelineSchedules(client: Client): Promise<ScheduleSummary[]> {
  const out: ScheduleSummary[] = [];
  for await (const s of client.schedule.list()) {
    if (s.action?.type !== 'startWorkflow' || s.action.workflowType !== 'etlPipeline') continue;
    out.push({
      scheduleId: s.scheduleId,
      ...(typeof s.memo?.pipeline === 'string' ? { pipeline: s.memo.pipeline } : {}),
      paused: s.state.paused,
      ...(s.state.note ? { note: s.state.note } : {}),
      nextRuns: s.info.nextActionTimes.slice(0, 3),
      recentRuns: s.info.recentActions.slice(-3).map((a) => ({ scheduledAt: a.scheduledAt, ...(a.action?.workflow?.workflowId ? { workflowId: a.action.workflow.workflowId } : {}) })),
    });
  }
  return out;
}

export interface SweeperScheduleSummary {
  scheduleId: string;
  paused: boolean;
  /** The interval, e.g. `15m` (absent if the schedule has none). */
  every?: string;
  /** Known for schedules createSweeperSchedule made since it records it (memo). */
  dryRun?: boolean;
  nextRuns: Date[];
}

/** The leak sweeper's schedules (`sweepLeaks` actions), which listPipelineSchedules leaves out. */
export async function listSweeperSchedules(client: Client): Promise<SweeperScheduleSummary[]> {
  const out: SweeperScheduleSummary[] = [];
  for await (const s of client.schedule.list()) {
    if (s.action?.type !== 'startWorkflow' || s.action.workflowType !== 'sweepLeaks') continue;
    const every = s.spec?.intervals?.[0]?.every;
    out.push({
      scheduleId: s.scheduleId,
      paused: s.state.paused,
      ...(typeof every === 'number' ? { every: intervalText(every) } : {}),
      ...(typeof s.memo?.dryRun === 'boolean' ? { dryRun: s.memo.dryRun } : {}),
      nextRuns: s.info.nextActionTimes.slice(0, 3),
    });
  }
  return out;
}

/** 900000 → `15m`: the largest whole unit, as the interval was most likely written. */
function intervalText(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms / 1000}s`;
}

/** The leak sweeper on a Schedule (default every 15 minutes); one sweep at a time. */
export async function createSweeperSchedule(client: Client, o: { taskQueue: string; scheduleId?: string; every?: string; dryRun?: boolean }): Promise<string> {
  const scheduleId = o.scheduleId ?? 'durabricks-sweeper';
  const handle = await refusedSpecAsProblem(() =>
    client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: (o.every ?? '15m') as `${number}m` }] },
      action: { type: 'startWorkflow', workflowType: 'sweepLeaks', args: [{ dryRun: o.dryRun ?? false }], taskQueue: o.taskQueue, workflowId: 'durabricks-sweep' },
      policies: { overlap: 'SKIP', catchupWindow: '1 minute' },
      memo: { dryRun: o.dryRun ?? false },
    }),
  );
  return handle.scheduleId;
}
