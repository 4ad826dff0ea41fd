import type { Command } from 'commander';
import { followProvisioning } from '../../client/follow.js';
import { formatProvisionFailure, formatProvisionResult } from '../../client/format.js';
import { provisionPlan } from '../../client/provision-plan.js';
import { startProvisioning } from '../../client/provisioning.js';
import { loadProvisionSpecArgument } from '../spec-argument.js';
import { announceAndFollow } from '../follow-in-terminal.js';
import { withTemporal } from '../with-temporal.js';

interface ProvisionOptions {
  id?: string;
  detach?: boolean;
  taskQueue?: string;
  plan?: boolean;
}

export function registerProvision(program: Command): void {
  program
    .command('provision <spec>')
    .description('Provision workspace resources from a spec file (YAML or JSON) as a saga: anything that fails is undone')
    .option('--id <workflowId>', 'workflow id (default provision-<name>: re-running it adopts what an earlier run created)')
    .option('--detach', 'start and print the workflow id without following')
    .option('--task-queue <name>', 'task queue of the workers (default: $DURABRICKS_TASK_QUEUE or "durabricks")')
    .option('--plan', 'print what the saga would create, in order, and exit without connecting')
    .action(async (file: string, opts: ProvisionOptions) => {
      const say = (line: string) => process.stdout.write(`${line}\n`);
      const spec = await loadProvisionSpecArgument(file);
      if (opts.plan) {
        for (const line of provisionPlan(spec, opts.id)) say(line);
        return;
      }
      const env = opts.taskQueue ? { ...process.env, DURABRICKS_TASK_QUEUE: opts.taskQueue } : process.env;
      await withTemporal(async (conn) => {
        const started = await startProvisioning(conn.client, spec, { taskQueue: conn.taskQueue, ...(opts.id ? { workflowId: opts.id } : {}) });
        await announceAndFollow(conn, started, `provisioning ${spec.name}`, opts.detach, {
          follow: (o) => followProvisioning(started.handle, o),
          formatResult: formatProvisionResult,
          formatFailure: formatProvisionFailure,
          stoppedNote: `stopped following; the saga keeps running. Cancel it (its resources are undone) with: durabricks cancel ${started.workflowId}`,
        });
      }, env);
    });
}
