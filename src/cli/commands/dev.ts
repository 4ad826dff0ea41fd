import type { Command } from 'commander';
import { createLogger } from '../../common/logger.js';
import { runDemo } from '../../dev/demo.js';
import { startStack } from '../../dev/stack.js';
import { parsePort } from '../errors.js';
import { onShutdownSignal } from '../shutdown-signals.js';

interface DevOptions {
  demo?: boolean;
  port?: number;
  uiPort?: number;
  persist: boolean;
}

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('Start the embedded stack: a real Temporal dev server (UI on 8233), the Databricks emulator (unless DATABRICKS_HOST is set) and a worker; prints their addresses; Ctrl-C stops everything')
    .option('--demo', 'run the demo workflow, print its result and exit')
    .option('--port <port>', 'preferred Temporal gRPC port (a free one is used if taken)', parsePort)
    .option('--ui-port <port>', 'preferred Temporal UI port (a free one is used if taken)', parsePort)
    .option('--no-persist', 'keep the dev server state in memory instead of .durabricks/temporal-dev.db')
    .action(async (opts: DevOptions) => {
      const say = (line: string) => process.stdout.write(`durabricks: ${line}\n`);
      const logger = createLogger({ name: 'durabricks-dev', level: process.env.DURABRICKS_LOG_LEVEL ?? 'warn' });
      // Listen before anything starts: a signal during start-up must still tear down what came up.
      // The finally block below shuts down; the signal only decides the outcome of the race.
      const signals = onShutdownSignal();
      let stack;
      try {
        stack = await startStack({ logger, say, port: opts.port, uiPort: opts.uiPort, persist: opts.persist });
      } catch (err) {
        signals.dispose();
        throw err;
      }
      try {
        const early = await Promise.race([signals.signalled, Promise.resolve(undefined)]);
        if (early !== undefined) {
          process.exitCode = early;
          return;
        }
        if (opts.demo) {
          const interrupted = await Promise.race([
            runDemo(stack, say).then(() => undefined),
            signals.signalled,
            stack.workerDone.then(() => Promise.reject(new Error('the worker stopped before the demo finished'))),
          ]);
          process.exitCode = interrupted ?? 0;
          return;
        }
        say(`ready. Temporal UI: ${stack.server.uiUrl}  (Ctrl-C to stop)`);
        const outcome = await Promise.race([
          signals.signalled.then((code) => ({ code })),
          stack.workerDone.then(
            () => ({ code: 1, error: 'the worker stopped unexpectedly' }),
            (err: unknown) => ({ code: 1, error: `the worker crashed: ${err instanceof Error ? err.message : String(err)}` }),
          ),
          stack.server.exited.then(() => ({ code: 1, error: 'the Temporal dev server exited unexpectedly' })),
        ]);
        if ('error' in outcome) process.stderr.write(`error: ${outcome.error}; stopping everything.\n`);
        process.exitCode = outcome.code;
      } finally {
        const errors = await stack.shutdown();
        signals.dispose();
        for (const e of errors) process.stderr.write(`warning: cleanup of ${e}\n`);
        say('stopped.');
      }
    });
}
