/**
 * Recurring pipelines as Temporal Schedules: each firing starts `etlPipeline` with the schedule's
 * spec under a workflow id Temporal derives from the schedule id and the firing time, so runs never
 * collide and a missed firing is not doubled (overlap policy SKIP by default).
 */
import type { Client, ScheduleDescription, ScheduleOverlapPolicy, ScheduleSpec } from '@temporalio/client';
import { parsePipelineSpec } from '../workflows/lib/pipeline-spec.js';

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

export async function createPipelineSchedule(client: Client, o: PipelineScheduleOptions): Promise<string> {
  const spec = parsePipelineSpec(o.spec);
  if (!o.cron?.length && !o.every?.length) throw new Error('give at least one cron expression or interval');
  const scheduleSpec: ScheduleSpec = {
    ...(o.cron?.length ? { cronExpressions: o.cron } : {}),
    ...(o.every?.length ? { intervals: o.every.map((every) => ({ every: every as `${number}${'s' | 'm' | 'h' | 'd'}` })) } : {}),
    ...(o.timezone ? { timezone: o.timezone } : {}),
  };
  const handle = await client.schedule.create({
    scheduleId: o.scheduleId,
    spec: scheduleSpec,
    action: { type: 'startWorkflow', workflowType: 'etlPipeline', args: [{ spec }], taskQueue: o.taskQueue, workflowId: `etl-${spec.name}-scheduled`, memo: { pipeline: spec.name } },
    policies: { overlap: o.overlap ?? 'SKIP', catchupWindow: '1 hour' },
    state: { paused: o.paused ?? false, ...(o.note ? { note: o.note } : {}) },
    memo: { pipeline: spec.name },
  });
  return handle.scheduleId;
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

/** The leak sweeper on a Schedule (default every 15 minutes); one sweep at a time. */
export async function createSweeperSchedule(client: Client, o: { taskQueue: string; scheduleId?: string; every?: string; dryRun?: boolean }): Promise<string> {
  const scheduleId = o.scheduleId ?? 'durabricks-sweeper';
  const handle = await client.schedule.create({
    scheduleId,
    spec: { intervals: [{ every: (o.every ?? '15m') as `${number}m` }] },
    action: { type: 'startWorkflow', workflowType: 'sweepLeaks', args: [{ dryRun: o.dryRun ?? false }], taskQueue: o.taskQueue, workflowId: 'durabricks-sweep' },
    policies: { overlap: 'SKIP', catchupWindow: '1 minute' },
  });
  return handle.scheduleId;
}
