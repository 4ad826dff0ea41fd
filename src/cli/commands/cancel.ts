import type { Command } from 'commander';
import { WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowNotRunningError, cancelPipeline, getPipelineProgress, pipelineHandle } from '../../client/pipelines.js';
import { UserFacingError } from '../errors.js';
import { withTemporal } from '../with-temporal.js';

export function registerCancel(program: Command): void {
  program
    .command('cancel <workflowId>')
    .description('Cancel a pipeline, backfill or provisioning workflow: a pipeline cancels its run and cleans up its cluster (a backfill, each of its pipelines in flight), a saga undoes what it created')
    .option('--no-wait', 'return once cancellation is requested instead of waiting for the cleanup')
    .action(async (workflowId: string, opts: { wait: boolean }) => {
      const say = (line: string) => process.stdout.write(`${line}\n`);
      await withTemporal(async (conn) => {
        try {
          await cancelPipeline(conn.client, workflowId);
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) throw new UserFacingError(`no running workflow with id ${workflowId} (namespace ${conn.namespace})`);
          if (err instanceof WorkflowNotRunningError) throw new UserFacingError(err.message);
          throw err;
        }
        say(`cancellation requested for ${workflowId}`);
        if (!opts.wait) return;
        // The workflow ends once cleanup is done; its outcome is the cancellation, its report the progress.
        await pipelineHandle(conn.client, workflowId)
          .result()
          .catch(() => undefined);
        const progress = await getPipelineProgress(conn.client, workflowId).catch(() => undefined);
        say(`workflow ended: ${progress?.phase ?? 'closed'}`);
        for (const r of progress?.resources ?? []) if (r.status === 'cleaned') say(`  cleaned up: ${r.note}`);
      });
    });
}
