/**
 * Start, follow and control ETL pipeline workflows from another service. Every function takes a
 * Temporal `Client` (see connect.ts) and validates before it calls the server, so a bad spec starts
 * nothing.
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ensureSameInput } from './attach.js';
import { inputProblems } from './input-problems.js';
import type { etlPipeline } from '../workflows/etl-pipeline.js';
import { datedPipelineWorkflowId, logicalTimeOf } from '../workflows/lib/logical-time.js';
import { InvalidPipelineSpecError, validatePipelineSpec, type PipelineSpec } from '../workflows/lib/pipeline-spec.js';
import { progressQuery, runEventSignal, type PipelineProgress, type PipelineResult, type RunEvent } from '../workflows/lib/pipeline-types.js';

export type PipelineHandle = WorkflowHandle<typeof etlPipeline>;

export interface StartPipelineOptions {
  taskQueue: string;
  /**
   * The workflow id. Default `etl-<spec name>`, so a second start of the same pipeline while one is
   * running attaches to it instead of starting a duplicate; pass e.g. `etl-sales-2026-11-24` to
   * run once per day.
   */
  workflowId?: string;
  /**
   * What the run is for: an ISO-8601 date (`2026-11-20`, midnight UTC) or date-time with a zone, or a
   * Date. It replaces `{{durabricks.logical_date}}` / `{{durabricks.logical_time}}` in the spec's job
   * and sql, and the default workflow id becomes `etl-<name>-<date>`, so re-running a day attaches
   * to that day's run while it is in progress. Default: the start time.
   */
  logicalTime?: string | Date;
}

export interface StartedPipeline {
  handle: PipelineHandle;
  workflowId: string;
  /**
   * False when a run with this workflow id and the same input was already in progress and is returned
   * instead (a different spec or logical time under a running id throws ConflictingStartError).
   */
  started: boolean;
  spec: PipelineSpec;
}

/** `etl-<name>`, or `etl-<name>-<logical date>` (`…-<date-time>` when it is not midnight UTC). */
export function pipelineWorkflowId(spec: Pick<PipelineSpec, 'name'>, logicalTime?: Date): string {
  return logicalTime ? datedPipelineWorkflowId(spec.name, logicalTime) : `etl-${spec.name}`;
}

/**
 * Validates `spec` and the logical time (throws InvalidPipelineSpecError listing every problem), then
 * starts, or attaches to a running pipeline of the same input (ConflictingStartError for another input).
 */
export async function startPipeline(client: Client, spec: unknown, options: StartPipelineOptions): Promise<StartedPipeline> {
  const checked = validatePipelineSpec(spec);
  const time = logicalTimeOption(options.logicalTime);
  if (!checked.ok || !time.ok) throw inputProblems(['pipeline spec', checked.ok ? [] : checked.problems], ['logical time', time.ok ? [] : [time.problem]]);
  const parsed = checked.spec;
  const logicalTime = time.value;
  const workflowId = options.workflowId ?? pipelineWorkflowId(parsed, logicalTime);
  const input = { spec: parsed, ...(logicalTime ? { logicalTime: logicalTime.toISOString() } : {}) };
  try {
    const handle = await client.workflow.start<typeof etlPipeline>('etlPipeline', {
      taskQueue: options.taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      memo: { pipeline: parsed.name },
      staticSummary: `ETL pipeline ${parsed.name}`,
    });
    return { handle, workflowId, started: true, spec: parsed };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      await ensureSameInput(client, workflowId, input);
      return { handle: client.workflow.getHandle<typeof etlPipeline>(workflowId), workflowId, started: false, spec: parsed };
    }
    throw err;
  }
}

function logicalTimeOption(value: string | Date | undefined): { ok: true; value: Date | undefined } | { ok: false; problem: string } {
  if (value === undefined) return { ok: true, value: undefined };
  const time = logicalTimeOf(value);
  if (!time) return { ok: false, problem: `logicalTime: must be an ISO-8601 date (2026-11-20) or date-time with a zone (2026-11-20T03:00:00Z), got ${JSON.stringify(String(value))}` };
  return { ok: true, value: time };
}

export function pipelineHandle(client: Client, workflowId: string): PipelineHandle {
  return client.workflow.getHandle<typeof etlPipeline>(workflowId);
}

/** Works while running and after the workflow closed (until retention ends). */
export async function getPipelineProgress(client: Client, workflowId: string): Promise<PipelineProgress> {
  return pipelineHandle(client, workflowId).query(progressQuery);
}

export async function waitForPipelineResult(client: Client, workflowId: string): Promise<PipelineResult> {
  return pipelineHandle(client, workflowId).result();
}

/** `cancelPipeline` of a workflow that has already ended (`status`: COMPLETED, FAILED, CANCELLED, …). */
export class WorkflowNotRunningError extends Error {
  override name = 'WorkflowNotRunningError';
  constructor(
    readonly workflowId: string,
    readonly status: string,
  ) {
    super(`workflow ${workflowId} is not running: it ended ${status}`);
  }
}

/**
 * Requests cancellation; the workflow cancels the Databricks run and cleans up before it ends.
 * Rejects with WorkflowNotFoundError for an unknown id and WorkflowNotRunningError for one that
 * already ended: the server answers a cancel of a closed workflow with success, so it is asked first.
 * Works for any durabricks workflow id (pipeline, backfill, provisioning).
 */
export async function cancelPipeline(client: Client, workflowId: string): Promise<void> {
  const handle = pipelineHandle(client, workflowId);
  const { status } = await handle.describe();
  if (status.name !== 'RUNNING') throw new WorkflowNotRunningError(workflowId, status.name);
  await handle.cancel();
}

/**
 * Tells a pipeline that its Databricks run changed state (what the webhook receiver sends). The
 * event is checked first (throws InvalidPipelineSpecError, nothing sent): the pipeline would
 * ignore one without a numeric `run_id`, so sending it could only mislead.
 */
export async function signalRunEvent(client: Client, workflowId: string, event: RunEvent): Promise<void> {
  const problems = runEventProblems(event);
  if (problems.length > 0) throw new InvalidPipelineSpecError(problems, 'run event');
  await pipelineHandle(client, workflowId).signal(runEventSignal, event);
}

function runEventProblems(event: unknown): string[] {
  if (!event || typeof event !== 'object' || Array.isArray(event)) return [`event: must be an object such as { event: 'run.succeeded', run_id: 123 }, got ${JSON.stringify(event)}`];
  const e = event as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof e.event !== 'string' || e.event === '') problems.push(`event: must be a non-empty string such as 'run.succeeded', got ${JSON.stringify(e.event)}`);
  if (typeof e.run_id !== 'number' || !Number.isSafeInteger(e.run_id) || e.run_id <= 0) problems.push(`run_id: must be a positive integer (the Databricks run id), got ${JSON.stringify(e.run_id)}`);
  for (const k of ['life_cycle_state', 'result_state'] as const) {
    if (e[k] !== undefined && typeof e[k] !== 'string') problems.push(`${k}: must be a string when given, got ${JSON.stringify(e[k])}`);
  }
  return problems;
}

export interface PipelineRunSummary {
  workflowId: string;
  runId: string;
  pipeline?: string;
  status: string;
  startTime: Date;
  closeTime?: Date;
}

/** Most recent pipeline workflows first (visibility API); `limit` (default 20) is a whole number ≥ 1. */
export async function listRecentPipelines(client: Client, options: { limit?: number; pipeline?: string; runningOnly?: boolean } = {}): Promise<PipelineRunSummary[]> {
  const limit = options.limit ?? 20;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`listRecentPipelines: limit must be a whole number of at least 1, got ${JSON.stringify(options.limit)}`);
  const clauses = [`WorkflowType = 'etlPipeline'`];
  if (options.runningOnly) clauses.push(`ExecutionStatus = 'Running'`);
  const out: PipelineRunSummary[] = [];
  for await (const wf of client.workflow.list({ query: clauses.join(' AND '), pageSize: Math.min(limit, 100) })) {
    // By the memo every start sets, not the workflow id: ids vary (logical dates, schedules, --id).
    if (options.pipeline !== undefined && wf.memo?.pipeline !== options.pipeline) continue;
    out.push({
      workflowId: wf.workflowId,
      runId: wf.runId,
      ...(typeof wf.memo?.pipeline === 'string' ? { pipeline: wf.memo.pipeline } : {}),
      status: wf.status.name,
      startTime: wf.startTime,
      ...(wf.closeTime ? { closeTime: wf.closeTime } : {}),
    });
    if (out.length >= limit) break;
  }
  return out;
}
