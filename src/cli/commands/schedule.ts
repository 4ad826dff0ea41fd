import type { Command } from 'commander';
import { ScheduleAlreadyRunning, ScheduleNotFoundError } from '@temporalio/client';
import {
  backfillPipelineSchedule,
  createPipelineSchedule,
  createSweeperSchedule,
  deletePipelineSchedule,
  listPipelineSchedules,
  listSweeperSchedules,
  pausePipelineSchedule,
  triggerPipelineSchedule,
  unpausePipelineSchedule,
} from '../../client/schedules.js';
import { parseLogicalTime } from '../../workflows/lib/logical-time.js';
import { InvalidPipelineSpecError } from '../../workflows/lib/pipeline-spec.js';
import { CliUsageError, UserFacingError } from '../errors.js';
import { loadSpecArgument } from '../spec-argument.js';
import { withTemporal } from '../with-temporal.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * Temporal's own errors, said in the CLI's terms: a missing schedule is named (not the server's internal
 * `temporal-sys-scheduler:` workflow), and a spec the server refuses (cron, time zone) is bad usage (exit 2).
 */
export async function scheduleCall<T>(scheduleId: string, namespace: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new UserFacingError(`no schedule with id ${scheduleId} (namespace ${namespace})`);
    if (err instanceof ScheduleAlreadyRunning) throw new UserFacingError(`a schedule with id ${scheduleId} already exists (namespace ${namespace}); delete it first or pick another id`);
    // The client turns the server's INVALID_ARGUMENT "Invalid schedule spec: …" into a TypeError with the
    // reason; createPipelineSchedule says it as an InvalidPipelineSpecError naming the option.
    if (err instanceof TypeError) throw new CliUsageError(`invalid schedule (--cron, --every or --timezone): ${err.message}`);
    if (err instanceof InvalidPipelineSpecError) throw new CliUsageError(`invalid schedule: ${err.problems.join('; ')}`);
    throw err;
  }
}

function timeOption(flag: string, value: string): Date {
  const time = parseLogicalTime(value);
  if (!time) throw new CliUsageError(`${flag} "${value}" is not an ISO-8601 date (2026-11-20) or date-time with a zone (2026-11-20T03:00:00Z)`);
  return time;
}

export function registerSchedule(program: Command): void {
  const schedule = program.command('schedule').description('Run pipelines on a Temporal Schedule (create, list, trigger, backfill, pause, unpause, delete) and schedule the leak sweeper').exitOverride();
  schedule
    .command('create <scheduleId> <spec>')
    .exitOverride()
    .description('Create a schedule that runs the pipeline spec (give --cron and/or --every)')
    .option('--cron <expression>', 'cron expression, e.g. "0 6 * * *" (repeatable)', collect)
    .option('--every <interval>', 'interval, e.g. 1h or 15m (repeatable)', collect)
    .option('--timezone <tz>', 'time zone for cron expressions, e.g. Europe/Paris')
    .option('--paused', 'create it paused')
    .action(async (scheduleId: string, file: string, opts: { cron?: string[]; every?: string[]; timezone?: string; paused?: boolean }) => {
      if (!opts.cron?.length && !opts.every?.length) throw new CliUsageError('give at least one --cron or --every');
      for (const e of opts.every ?? []) if (!/^\d+[smhd]$/.test(e)) throw new CliUsageError(`--every "${e}" is not an interval such as 30s, 15m, 1h or 1d`);
      const spec = await loadSpecArgument(file);
      await withTemporal(async (c) => {
        const id = await scheduleCall(scheduleId, c.namespace, () => createPipelineSchedule(c.client, {
          scheduleId,
          spec,
          taskQueue: c.taskQueue,
          ...(opts.cron ? { cron: opts.cron } : {}),
          ...(opts.every ? { every: opts.every } : {}),
          ...(opts.timezone ? { timezone: opts.timezone } : {}),
          ...(opts.paused ? { paused: true } : {}),
        }));
        process.stdout.write(`created schedule ${id} for pipeline ${spec.name}${opts.paused ? ' (paused)' : ''}\n`);
      });
    });
  schedule
    .command('sweeper')
    .exitOverride()
    .description('Schedule the leak sweeper (terminates clusters and cancels runs whose owning workflow is closed)')
    .option('--every <interval>', 'how often, e.g. 15m or 1h', '15m')
    .option('--dry-run', 'only report what would be cleaned up')
    .action(async (opts: { every: string; dryRun?: boolean }) => {
      if (!/^\d+[smhd]$/.test(opts.every)) throw new CliUsageError(`--every "${opts.every}" is not an interval such as 30s, 15m, 1h or 1d`);
      await withTemporal(async (c) => {
        const id = await scheduleCall('durabricks-sweeper', c.namespace, () => createSweeperSchedule(c.client, { taskQueue: c.taskQueue, every: opts.every, ...(opts.dryRun ? { dryRun: true } : {}) }));
        process.stdout.write(`created schedule ${id}: sweepLeaks every ${opts.every}${opts.dryRun ? ' (dry run)' : ''}\n`);
      });
    });
  schedule
    .command('list')
    .exitOverride()
    .description('List pipeline schedules and the leak sweeper\'s')
    .action(async () =>
      withTemporal(async (c) => {
        const [list, sweepers] = await Promise.all([listPipelineSchedules(c.client), listSweeperSchedules(c.client)]);
        if (list.length === 0) process.stdout.write('no pipeline schedules\n');
        const state = (s: { paused: boolean; nextRuns: Date[] }) => `${s.paused ? 'PAUSED' : 'active'}  next=${s.nextRuns[0]?.toISOString() ?? '-'}`;
        for (const s of list) process.stdout.write(`${s.scheduleId}  pipeline=${s.pipeline ?? '?'}  ${state(s)}\n`);
        for (const s of sweepers) process.stdout.write(`${s.scheduleId}  sweeper${s.every ? ` every ${s.every}` : ''}${s.dryRun ? ' (dry run)' : ''}  ${state(s)}\n`);
      }),
    );
  schedule
    .command('trigger <scheduleId>')
    .exitOverride()
    .description('Run the schedule\'s pipeline now, as a firing (its logical time is now)')
    .action(async (scheduleId: string) =>
      withTemporal(async (c) => {
        await scheduleCall(scheduleId, c.namespace, () => triggerPipelineSchedule(c.client, scheduleId));
        process.stdout.write(`triggered schedule ${scheduleId}\n`);
      }),
    );
  schedule
    .command('backfill <scheduleId>')
    .exitOverride()
    .description('Run the firings the schedule would have made from --from up to (not including) --to, each with its own logical time')
    .requiredOption('--from <time>', 'first firing time included, e.g. 2026-11-20 (midnight UTC) or 2026-11-20T03:00:00Z')
    .requiredOption('--to <time>', 'end of the range, not included: --from 2026-11-20 --to 2026-11-23 runs the 20th, 21st and 22nd')
    .option('--parallel', 'start them all at once (default: one after another)')
    .action(async (scheduleId: string, opts: { from: string; to: string; parallel?: boolean }) => {
      const from = timeOption('--from', opts.from);
      const to = timeOption('--to', opts.to);
      if (to.getTime() <= from.getTime()) throw new CliUsageError(`--to ${opts.to} must be after --from ${opts.from}`);
      await withTemporal(async (c) => {
        await scheduleCall(scheduleId, c.namespace, () => backfillPipelineSchedule(c.client, scheduleId, { from, to, ...(opts.parallel ? { parallel: true } : {}) }));
        process.stdout.write(`backfilling schedule ${scheduleId} from ${from.toISOString()} to ${to.toISOString()}${opts.parallel ? ' (in parallel)' : ' (one after another)'}\n`);
      });
    });
  for (const [name, fn, done] of [
    ['pause', pausePipelineSchedule, 'paused'],
    ['unpause', unpausePipelineSchedule, 'unpaused'],
    ['delete', deletePipelineSchedule, 'deleted'],
  ] as const) {
    schedule
      .command(`${name} <scheduleId>`)
      .exitOverride()
      .description(`${name[0]!.toUpperCase()}${name.slice(1)} a schedule`)
      .action(async (scheduleId: string) =>
        withTemporal(async (c) => {
          await scheduleCall(scheduleId, c.namespace, () => fn(c.client, scheduleId));
          process.stdout.write(`${done} schedule ${scheduleId}\n`);
        }),
      );
  }
}
