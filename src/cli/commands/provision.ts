import type { Command } from 'commander';
import { followProvisioning } from '../../client/follow.js';
import { formatProvisionFailure, formatProvisionResult } from '../../client/format.js';
import { loadProvisionSpecFile, SpecFileError } from '../../client/spec-file.js';
import { startProvisioning } from '../../client/provisioning.js';
import { temporalUiUrl } from '../../client/ui-url.js';
import { CliUsageError } from '../errors.js';
import { onShutdownSignal } from '../shutdown-signals.js';
import { withTemporal } from '../with-temporal.js';

interface ProvisionOptions {
  id?: string;
  detach?: boolean;
  taskQueue?: string;
}

export function registerProvision(program: Command): void {
  program
    .command('provision <spec>')
    .description('Provision workspace resources from a spec file (YAML or JSON) as a saga: anything that fails is undone')
    .option('--id <workflowId>', 'workflow id (default provision-<name>: re-running it adopts what an earlier run created)')
    .option('--detach', 'start and print the workflow id without following')
    .option('--task-queue <name>', 'task queue of the workers (default: $DURABRICKS_TASK_QUEUE or "durabricks")')
    .action(async (file: string, opts: ProvisionOptions) => {
      const say = (line: string) => process.stdout.write(`${line}\n`);
      // Validated before connecting: a bad spec starts nothing (exit 2).
      const spec = await loadProvisionSpecFile(file).catch((err: unknown) => {
        throw err instanceof SpecFileError ? new CliUsageError(err.message) : err;
      });
      const env = opts.taskQueue ? { ...process.env, DURABRICKS_TASK_QUEUE: opts.taskQueue } : process.env;
      await withTemporal(async (conn) => {
        const started = await startProvisioning(conn.client, spec, { taskQueue: conn.taskQueue, ...(opts.id ? { workflowId: opts.id } : {}) });
        say(`${started.started ? 'started' : 'already running, following'} provisioning ${spec.name} as workflow ${started.workflowId}`);
        const ui = temporalUiUrl(conn.address, conn.namespace, started.workflowId);
        if (ui) say(`Temporal UI: ${ui}`);
        if (opts.detach) return;
        const stop = new AbortController();
        const signals = onShutdownSignal(async () => stop.abort(new Error('stopped following')));
        try {
          const result = await followProvisioning(started.handle, { onLines: (lines) => lines.forEach((l) => say(l)), signal: stop.signal });
          say('');
          formatProvisionResult(result).forEach((l) => say(l));
        } catch (err) {
          if (stop.signal.aborted) {
            say(`stopped following; the saga keeps running. Cancel it (its resources are undone) with: durabricks cancel ${started.workflowId}`);
            process.exitCode = 130;
            return;
          }
          say('');
          formatProvisionFailure(err).forEach((l) => process.stderr.write(`${l}\n`));
          process.exitCode = 1;
        } finally {
          signals.dispose();
        }
      }, env);
    });
}
