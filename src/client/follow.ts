/**
 * Follows a running pipeline through its `progress` query (queries add nothing to history), calling
 * `onLines` with what changed, until the workflow closes; then returns its result or throws its
 * failure. Polling a query rather than streaming keeps it working across worker restarts.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { etlPipeline } from '../workflows/etl-pipeline.js';
import { progressQuery, type PipelineProgress, type PipelineResult } from '../workflows/lib/pipeline-types.js';
import { settledOrAfter } from '../common/waits.js';
import { progressChanges } from './format.js';

export interface FollowOptions {
  onLines: (lines: string[]) => void;
  intervalMs?: number;
  signal?: AbortSignal;
}

export async function followPipeline(handle: WorkflowHandle<typeof etlPipeline>, options: FollowOptions): Promise<PipelineResult> {
  const interval = options.intervalMs ?? 1000;
  let last: PipelineProgress | undefined;
  let done = false;
  const result = handle.result().finally(() => {
    done = true;
  });
  result.catch(() => {});
  const report = async () => {
    try {
      const now = await handle.query(progressQuery);
      const lines = progressChanges(last, now);
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
  return result;
}
