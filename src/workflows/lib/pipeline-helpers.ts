/** Small pure helpers for the pipeline workflow: run states, tags, truncation, error text. */
import type { WorkflowInfo } from '@temporalio/workflow';
import type { Run } from '../../databricks/index.js';

/**
 * The tag naming the workflow that owns a cluster; the leak sweeper finds clusters by it. The same
 * key as `WORKFLOW_TAG` in src/activities/creates.ts, which clustersCreate adds itself; the workflow
 * adds it to the clusters Databricks creates for a run (task new_cluster, job_clusters). A unit test
 * keeps the two equal (the workflow bundle may not import src/activities values).
 */
export const WORKFLOW_TAG = 'durabricks-workflow-id';
/**
 * Marks a cluster as living only as long as its workflow (a pipeline's cluster, a run's job
 * cluster). The sweeper only touches clusters with this tag: a provisioned cluster also carries the
 * workflow tag of the saga that created it, but is meant to outlive it.
 */
export const EPHEMERAL_TAG = 'durabricks-ephemeral';
/** Cluster tag values are limited to 256 characters. */
const MAX_TAG_VALUE = 256;

export function ownershipTags(info: Pick<WorkflowInfo, 'workflowId'>): Record<string, string> {
  return { [WORKFLOW_TAG]: info.workflowId.slice(0, MAX_TAG_VALUE), [EPHEMERAL_TAG]: 'true' };
}

const TERMINAL_LIFE_CYCLE: ReadonlySet<string> = new Set(['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR']);

export function isTerminalRun(lifeCycleState: string | undefined): boolean {
  return lifeCycleState !== undefined && TERMINAL_LIFE_CYCLE.has(lifeCycleState);
}

/** result_state when there is one, else the life-cycle state (INTERNAL_ERROR, SKIPPED). */
export function runState(run: Run): string {
  return run.state?.result_state ?? run.status?.termination_details?.code ?? run.state?.life_cycle_state ?? 'UNKNOWN';
}

export function runSeconds(run: Run): number | undefined {
  if (run.run_duration) return Math.round(run.run_duration / 100) / 10;
  if (run.start_time && run.end_time) return Math.round((run.end_time - run.start_time) / 100) / 10;
  return undefined;
}

export function truncateEnd(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Keeps the end (a stack trace's useful part is its last lines). */
export function truncateStart(text: string, max: number): string {
  return text.length <= max ? text : `(${text.length - max} characters before) …${text.slice(text.length - max)}`;
}

/** The most specific message in a failure chain (ActivityFailure → ApplicationFailure). */
export function errorMessage(err: unknown): string {
  let message = err instanceof Error ? err.message : String(err);
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e.message && e.name !== 'ActivityFailure') message = e.message;
  }
  return message;
}
