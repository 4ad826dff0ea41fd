import type { Command } from 'commander';
import { WorkflowNotFoundError } from '@temporalio/client';
import { formatStep } from '../../client/format.js';
import { getPipelineProgress, listRecentPipelines } from '../../client/pipelines.js';
import type { LedgerEntry } from '../../workflows/lib/ledger.js';
import { deprovisionProgressQuery } from '../../workflows/lib/deprovision-types.js';
import { provisionProgressQuery } from '../../workflows/lib/provision-types.js';
import { backfillProgressQuery } from '../../workflows/lib/backfill-types.js';
import { CliUsageError, UserFacingError } from '../errors.js';
import { withTemporal } from '../with-temporal.js';

export function registerStatus(program: Command): void {
  program
    .command('status [workflowId]')
    .description('Show the progress of a pipeline, backfill or provisioning workflow, or list recent pipeline runs')
    .option('--json', 'print the progress as JSON')
    .option('--pipeline <name>', 'without a workflow id: only the runs of this pipeline (dated, scheduled and backfilled runs included)')
    .action(async (workflowId: string | undefined, opts: { json?: boolean; pipeline?: string }) => {
      const say = (line: string) => process.stdout.write(`${line}\n`);
      // Checked before connecting: with an id the filter would be silently ignored.
      if (workflowId && opts.pipeline !== undefined) throw new CliUsageError(`--pipeline lists the runs of a pipeline: give it without a workflow id (got ${workflowId})`);
      await withTemporal(async (conn) => {
        if (!workflowId) {
          const runs = await listRecentPipelines(conn.client, { limit: 20, ...(opts.pipeline ? { pipeline: opts.pipeline } : {}) });
          if (opts.json) {
            say(JSON.stringify(runs, null, 2));
            return;
          }
          if (runs.length === 0) say(opts.pipeline ? `no runs of pipeline ${opts.pipeline} yet` : 'no pipeline runs yet');
          for (const r of runs) say(`${r.status.padEnd(11)} ${r.workflowId}  started ${r.startTime.toISOString()}${r.closeTime ? `  closed ${r.closeTime.toISOString()}` : ''}`);
          return;
        }
        const handle = conn.client.workflow.getHandle(workflowId);
        let desc;
        try {
          desc = await handle.describe();
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) throw new UserFacingError(`no workflow with id ${workflowId} (namespace ${conn.namespace})`);
          throw err;
        }
        if (desc.type === 'provisionWorkspace') {
          const saga = await handle.query(provisionProgressQuery);
          if (opts.json) return say(JSON.stringify(saga, null, 2));
          say(`provisioning ${saga.name} (${workflowId}): ${saga.phase} [${desc.status.name}]${saga.step && saga.phase === 'running' ? ` at ${saga.step}` : ''}`);
          for (const r of saga.resources) say(resourceLine(r));
          for (const u of saga.undone) say(`undo: ${u.ok ? 'done' : 'FAILED'} — ${u.detail}`);
          return;
        }
        if (desc.type === 'deprovisionWorkspace') {
          const d = await handle.query(deprovisionProgressQuery);
          if (opts.json) return say(JSON.stringify(d, null, 2));
          say(`deprovisioning ${d.name} (${workflowId}): ${d.phase} [${desc.status.name}]${d.step && d.phase === 'running' ? ` at ${d.step}` : ''}, ${d.remaining} left`);
          for (const o of d.outcomes) say(`${o.ok ? 'done' : 'FAILED'} — ${o.detail}`);
          return;
        }
        if (desc.type === 'backfillPipeline') {
          const b = await handle.query(backfillProgressQuery);
          if (opts.json) return say(JSON.stringify(b, null, 2));
          say(`backfill of ${b.pipeline} (${workflowId}): ${b.phase} [${desc.status.name}], ${b.succeeded + b.failed + b.cancelled} of ${b.total} runs done (${b.failed} failed, ${b.cancelled} cancelled)`);
          for (const r of b.running) say(`running   ${r.logicalTime}  ${r.workflowId}`);
          for (const r of b.recent.filter((x) => x.status !== 'succeeded')) say(`${r.status.padEnd(9)} ${r.logicalTime}  ${r.workflowId}${r.error ? `: ${r.error.split('\n')[0]}` : ''}`);
          return;
        }
        if (desc.type !== 'etlPipeline') throw new UserFacingError(`workflow ${workflowId} is a ${desc.type}, not a pipeline, a backfill, a provisioning saga or a deprovisioning`);
        const progress = await getPipelineProgress(conn.client, workflowId);
        if (opts.json) {
          say(JSON.stringify(progress, null, 2));
          return;
        }
        say(`pipeline ${progress.pipeline} (${workflowId}): ${progress.phase} [${desc.status.name}]`);
        for (const s of progress.steps) say(`  ${formatStep(s)}`);
        if (progress.runPageUrl) say(`run page: ${progress.runPageUrl}`);
        for (const [resource, states] of Object.entries(progress.statesSeen)) say(`${resource}: ${states.join(' → ')}`);
        for (const r of progress.resources) say(resourceLine(r));
        if (progress.error) say(`error: ${progress.error}`);
      });
    });
}

function resourceLine(r: LedgerEntry): string {
  return `resource ${r.kind} ${r.id ?? r.name}: ${r.status}${r.note ? ` (${r.note})` : ''}`;
}
