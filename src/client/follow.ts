/**
 * Follows a running workflow through its `progress` query (queries add nothing to history), calling
 * `onLines` with what changed, until the workflow closes; then returns its result or throws its
 * failure. Polling a query rather than streaming keeps it working across worker restarts.
 */
import type { QueryDefinition, WorkflowHandle } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { etlPipeline } from '../workflows/etl-pipeline.js';
import type { provisionWorkspace } from '../workflows/provisioning-saga.js';
import { provisionProgressQuery, type ProvisionResult } from '../workflows/lib/provision-types.js';
import { progressQuery, type PipelineResult } from '../workflows/lib/pipeline-types.js';
import { settledOrAfter } from '../common/waits.js';
import { progressChanges, provisionChanges } from './format.js';
import { deprovisionChanges } from './format-deprovision.js';
import type { deprovisionWorkspace } from '../workflows/deprovisioning.js';
import { deprovisionProgressQuery, type DeprovisionResult } from '../workflows/lib/deprovision-types.js';

export interface FollowOptions {
  onLines: (lines: string[]) => void;
  intervalMs?: number;
  signal?: AbortSignal;
}

export function followPipeline(handle: WorkflowHandle<typeof etlPipeline>, options: FollowOptions): Promise<PipelineResult> {
  return followWorkflow(handle, progressQuery, progressChanges, options);
}

export function followProvisioning(handle: WorkflowHandle<typeof provisionWorkspace>, options: FollowOptions): Promise<ProvisionResult> {
  return followWorkflow(handle, provisionProgressQuery, provisionChanges, options);
}

export function followDeprovisioning(handle: WorkflowHandle<typeof deprovisionWorkspace>, options: FollowOptions): Promise<DeprovisionResult> {
  return followWorkflow(handle, deprovisionProgressQuery, deprovisionChanges, options);
}

/** Any workflow with a progress query: `changes` turns two answers into lines. */
export async function followWorkflow<W extends Workflow, P>(
  handle: WorkflowHandle<W>,
  query: QueryDefinition<P>,
  changes: (before: P | undefined, now: P) => string[],
  options: FollowOptions,
): Promise<Awaited<ReturnType<W>>> {
  const interval = options.intervalMs ?? 1000;
  let last: P | undefined;
  let done = false;
  const result = handle.result().finally(() => {
    done = true;
  });
  result.catch(() => {});
  const report = async () => {
    try {
      const now = await handle.query(query);
      const lines = changes(last, now);
      if (lines.length) options.onLines(lines);
      last = now;
    } catch {
      // No worker has picked the workflow up yet, or it is between tasks: try again next tick.
    }
  };
  while (!done && !options.signal?.aborted) {
    await report();
    await settledOrAfter(result.then(() => {}, () => {}), interval);
  }
  if (options.signal?.aborted) throw options.signal.reason ?? new Error('stopped following');
  await report();
  return result as Promise<Awaited<ReturnType<W>>>;
}
