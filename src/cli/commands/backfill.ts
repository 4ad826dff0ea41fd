import type { Command } from 'commander';
import { followBackfill, formatBackfillFailure, formatBackfillResult, startBackfill } from '../../client/backfill.js';
import { backfillRange } from '../../workflows/lib/backfill-plan.js';
import { CliUsageError } from '../errors.js';
import { announceAndFollow } from '../follow-in-terminal.js';
import { loadSpecArgument } from '../spec-argument.js';
import { withTemporal } from '../with-temporal.js';

interface BackfillOptions {
  from: string;
  to: string;
  every?: string;
  concurrency?: string;
  id?: string;
  detach?: boolean;
  taskQueue?: string;
}

export function registerBackfill(program: Command): void {
  program
    .command('backfill <spec>')
    .description('Run the pipeline once per logical time from --from up to (not including) --to, each with its own {{durabricks.logical_date}}, a few at once')
    .requiredOption('--from <time>', 'first logical time, e.g. 2026-11-01 (midnight UTC) or 2026-11-01T06:00:00Z')
    .requiredOption('--to <time>', 'end of the range, not included: --from 2026-11-01 --to 2026-11-08 runs 7 days')
    .option('--every <duration>', 'between two logical times, e.g. 1d (default) or 1h')
    .option('--concurrency <n>', 'pipelines at once (default 1, at most 10)')
    .option('--id <workflowId>', 'workflow id (default backfill-<name>-<from>-<to>: the same backfill again attaches to it while it runs, another spec or range is refused)')
    .option('--detach', 'start and print the workflow id without following')
    .option('--task-queue <name>', 'task queue of the workers (default: $DURABRICKS_TASK_QUEUE or "durabricks")')
    .action(async (file: string, opts: BackfillOptions) => {
      // A value that is not digits goes to the check as written, so its message quotes it.
      const concurrency = opts.concurrency !== undefined && /^\d+$/.test(opts.concurrency) ? Number(opts.concurrency) : opts.concurrency;
      // Checked before reading the spec or connecting: a bad range is a usage error (exit 2).
      const range = backfillRange({ from: opts.from, to: opts.to, every: opts.every, concurrency });
      if (!range.ok) throw new CliUsageError(range.problems.map(asFlagProblem).join('; '));
      const spec = await loadSpecArgument(file);
      const env = opts.taskQueue ? { ...process.env, DURABRICKS_TASK_QUEUE: opts.taskQueue } : process.env;
      await withTemporal(async (conn) => {
        const started = await startBackfill(conn.client, spec, {
          taskQueue: conn.taskQueue,
          from: opts.from,
          to: opts.to,
          ...(opts.every !== undefined ? { every: opts.every } : {}),
          ...(typeof concurrency === 'number' ? { concurrency } : {}),
          ...(opts.id ? { workflowId: opts.id } : {}),
        });
        await announceAndFollow(conn, started, `backfill of ${spec.name} (${started.runs} run${started.runs === 1 ? '' : 's'})`, opts.detach, {
          follow: (o) => followBackfill(started.handle, o),
          formatResult: formatBackfillResult,
          formatFailure: formatBackfillFailure,
          stoppedNote: `stopped following; the backfill keeps running. Cancel it (its pipelines clean up) with: durabricks cancel ${started.workflowId}`,
        });
      }, env);
    });
}

/**
 * The plan's problems name the options as the client API does (`every: …`, `after from`); the CLI's are flags.
 * A problem about the whole range (`the range holds …`) has no field to prefix.
 */
export function asFlagProblem(problem: string): string {
  return problem
    .replace(/^(from|to|every|concurrency):/, '--$1:')
    .replace(/\bmust be after from\b/, 'must be after --from')
    .replace(/\ba longer every\b/, 'a longer --every');
}
