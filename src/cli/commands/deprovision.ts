import type { Command } from 'commander';
import { deprovisionPlanLines, startDeprovisioning } from '../../client/deprovisioning.js';
import { followDeprovisioning } from '../../client/follow.js';
import { formatDeprovisionFailure, formatDeprovisionResult } from '../../client/format-deprovision.js';
import { loadProvisionSpecArgument } from '../spec-argument.js';
import { announceAndFollow } from '../follow-in-terminal.js';
import { withTemporal } from '../with-temporal.js';

interface DeprovisionOptions {
  id?: string;
  detach?: boolean;
  taskQueue?: string;
  plan?: boolean;
}

export function registerDeprovision(program: Command): void {
  program
    .command('deprovision <spec>')
    .description("Delete what `provision <spec>` made, newest first, from the saga's own record: what it adopted stays, grants it made on that are revoked")
    .option('--id <workflowId>', 'the provisioning workflow (default provision-<name>)')
    .option('--detach', 'start and print the workflow id without following')
    .option('--task-queue <name>', 'task queue of the workers (default: $DURABRICKS_TASK_QUEUE or "durabricks")')
    .option('--plan', "print what would be deleted, in order, from the saga's record, and exit without starting anything")
    .action(async (file: string, opts: DeprovisionOptions) => {
      const spec = await loadProvisionSpecArgument(file);
      const env = opts.taskQueue ? { ...process.env, DURABRICKS_TASK_QUEUE: opts.taskQueue } : process.env;
      await withTemporal(async (conn) => {
        if (opts.plan) {
          for (const line of await deprovisionPlanLines(conn.client, spec, opts.id)) process.stdout.write(`${line}\n`);
          return;
        }
        // A saga that cannot be deprovisioned (still running, unknown) throws a CannotDeprovisionError: printed as one sentence, exit 1.
        const started = await startDeprovisioning(conn.client, spec, { taskQueue: conn.taskQueue, ...(opts.id ? { provisionWorkflowId: opts.id } : {}) });
        await announceAndFollow(conn, started, `deprovisioning ${spec.name}`, opts.detach, {
          follow: (o) => followDeprovisioning(started.handle, o),
          formatResult: formatDeprovisionResult,
          formatFailure: formatDeprovisionFailure,
          stoppedNote: `stopped following; deprovisioning keeps running (durabricks status ${started.workflowId}; durabricks cancel ${started.workflowId} stops it after the delete in flight)`,
        });
      }, env);
    });
}
