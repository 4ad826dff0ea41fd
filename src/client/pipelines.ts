/**
 * Start, follow and control ETL pipeline workflows from another service. Every function takes a
 * Temporal `Client` (see connect.ts) and validates before it calls the server, so a bad spec starts
 * nothing.
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { etlPipeline } from '../workflows/etl-pipeline.js';
import { parsePipelineSpec, type PipelineSpec } from '../workflows/lib/pipeline-spec.js';
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
}

export interface StartedPipeline {
  handle: PipelineHandle;
  workflowId: string;
  /** False when a run with this workflow id was already in progress and is returned instead. */
  started: boolean;
  spec: PipelineSpec;
}

export function pipelineWorkflowId(spec: Pick<PipelineSpec, 'name'>): string {
  return `etl-${spec.name}`;
}

/** Validates `spec` (throws InvalidPipelineSpecError listing every problem), then starts or attaches. */
export async function startPipeline(client: Client, spec: unknown, options: StartPipelineOptions): Promise<StartedPipeline> {
  const parsed = parsePipelineSpec(spec);
  const workflowId = options.workflowId ?? pipelineWorkflowId(parsed);
  try {
    const handle = await client.workflow.start<typeof etlPipeline>('etlPipeline', {
      taskQueue: options.taskQueue,
      workflowId,
      args: [{ spec: parsed }],
      workflowIdConflictPolicy: 'FAIL',
      memo: { pipeline: parsed.name },
      staticSummary: `ETL pipeline ${parsed.name}`,
    });
    return { handle, workflowId, started: true, spec: parsed };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return { handle: client.workflow.getHandle<typeof etlPipeline>(workflowId), workflowId, started: false, spec: parsed };
    }
    throw err;
  }
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

/** Requests cancellation; the workflow cancels the Databricks run and cleans up before it ends. */
export async function cancelPipeline(client: Client, workflowId: string): Promise<void> {
  await pipelineHandle(client, workflowId).cancel();
}

/** Tells a pipeline that its Databricks run changed state (what the webhook receiver sends). */
export async function signalRunEvent(client: Client, workflowId: string, event: RunEvent): Promise<void> {
  await pipelineHandle(client, workflowId).signal(runEventSignal, event);
}

export interface PipelineRunSummary {
  workflowId: string;
  runId: string;
  pipeline?: string;
  status: string;
  startTime: Date;
  closeTime?: Date;
}

/** Most recent pipeline workflows first (visibility API). */
export async function listRecentPipelines(client: Client, options: { limit?: number; pipeline?: string; runningOnly?: boolean } = {}): Promise<PipelineRunSummary[]> {
  const clauses = [`WorkflowType = 'etlPipeline'`];
  if (options.runningOnly) clauses.push(`ExecutionStatus = 'Running'`);
  if (options.pipeline) clauses.push(`WorkflowId = '${pipelineWorkflowId({ name: options.pipeline }).replace(/'/g, '')}'`);
  const out: PipelineRunSummary[] = [];
  const limit = options.limit ?? 20;
  for await (const wf of client.workflow.list({ query: clauses.join(' AND '), pageSize: Math.min(limit, 100) })) {
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
