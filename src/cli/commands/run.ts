import type { Command } from 'commander';
import { followPipeline } from '../../client/follow.js';
import { formatFailure, formatResult } from '../../client/format.js';
import { startPipeline } from '../../client/pipelines.js';
import { parseLogicalTime } from '../../workflows/lib/logical-time.js';
import { CliUsageError } from '../errors.js';
import { loadSpecArgument } from '../spec-argument.js';
import { withTemporal } from '../with-temporal.js';
import { announceAndFollow } from '../follow-in-terminal.js';

interface RunOptions {
  id?: string;
  detach?: boolean;
  taskQueue?: string;
  logicalDate?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run <spec>')
    .description('Start an ETL pipeline from a spec file (YAML or JSON) and follow its progress')
    .option('--id <workflowId>', 'workflow id (default etl-<name>, or etl-<name>-<date> with --logical-date: a second run of a running pipeline with the same spec attaches to it, another spec is refused)')
    .option('--logical-date <date>', 'what the run is for, e.g. 2026-11-20 or 2026-11-20T03:00:00Z: fills {{durabricks.logical_date}} / {{durabricks.logical_time}} in the job and sql (default: now)')
    .option('--detach', 'start and print the workflow id without following')
    .option('--task-queue <name>', 'task queue of the workers (default: $DURABRICKS_TASK_QUEUE or "durabricks")')
    .action(async (file: string, opts: RunOptions) => {
      const logicalTime = opts.logicalDate !== undefined ? parseLogicalTime(opts.logicalDate) : undefined;
      if (opts.logicalDate !== undefined && !logicalTime) throw new CliUsageError(`--logical-date "${opts.logicalDate}" is not an ISO-8601 date (2026-11-20) or date-time with a zone (2026-11-20T03:00:00Z)`);
      const spec = await loadSpecArgument(file);
      const env = opts.taskQueue ? { ...process.env, DURABRICKS_TASK_QUEUE: opts.taskQueue } : process.env;
      await withTemporal(async (conn) => {
        const started = await startPipeline(conn.client, spec, { taskQueue: conn.taskQueue, ...(opts.id ? { workflowId: opts.id } : {}), ...(logicalTime ? { logicalTime } : {}) });
        await announceAndFollow(conn, started, `pipeline ${spec.name}`, opts.detach, {
          follow: (o) => followPipeline(started.handle, o),
          formatResult,
          formatFailure,
          stoppedNote: `stopped following; the pipeline keeps running. Cancel it with: durabricks cancel ${started.workflowId}`,
        });
      }, env);
    });
}
