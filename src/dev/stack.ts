import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { dataConverterFromEnv } from '../common/codec/data-converter.js';
import type { Logger } from '../common/logger.js';
import { createActivities, databricksMetricsHooks } from '../activities/index.js';
import { createTemporalActivities } from '../client/temporal-activities.js';
import { DatabricksClient } from '../databricks/index.js';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { createWorker, installRuntime, loadWorkerConfig, type WorkerConfig } from '../worker/index.js';
import { CleanupStack } from './cleanup-stack.js';
import { startDevServer, type RunningDevServer } from './dev-server.js';
import { stateDir } from './paths.js';
import { resolveTemporalCli } from './temporal-cli.js';

export interface StackOptions {
  logger: Logger;
  /** Persist the dev server's state in .durabricks/temporal-dev.db (default true). */
  persist?: boolean;
  port?: number;
  uiPort?: number;
  /** Called for human-readable progress lines ("using temporal from pip", "server ready"). */
  say?: (line: string) => void;
  /**
   * The embedded Databricks emulator: its virtual-clock speed (60 = a 5-minute cluster start takes
   * 5 s). `false` uses the real workspace from DATABRICKS_* env / ~/.databrickscfg instead.
   * Default: the emulator at 60×, unless DATABRICKS_HOST is set.
   */
  emulator?: { speed?: number; port?: number } | false;
}

/** Where the worker's Databricks calls go: the embedded emulator, or a real workspace. */
export interface DatabricksTarget {
  kind: 'emulator' | 'workspace';
  /** Emulator URL; for a real workspace, resolved later by the client from env/profile. */
  host?: string;
  token?: string;
}

export interface RunningStack {
  server: RunningDevServer;
  emulator?: RunningEmulator;
  databricks: DatabricksTarget;
  client: Client;
  config: WorkerConfig;
  /** Settles when the worker stops; rejects if it crashed. */
  workerDone: Promise<void>;
  /** Stops the worker, then the server; idempotent. Resolves with any cleanup errors. */
  shutdown(): Promise<string[]>;
}

/**
 * The embedded dev stack behind `durabricks dev` and `npm start`: a real Temporal dev server from
 * the resolver, then a worker in this process. Every part registers its own cleanup first, so any
 * failure on the way up, a worker crash, or a signal tears everything down in reverse order.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const say = options.say ?? (() => {});
  const cleanup = new CleanupStack();
  try {
    const binary = await resolveTemporalCli({ log: say });
    const server = await startDevServer({
      binary,
      port: options.port,
      uiPort: options.uiPort,
      dbFile: options.persist === false ? undefined : join(stateDir(), 'temporal-dev.db'),
      logFile: join(stateDir(), 'logs', 'temporal-dev-server.log'),
    });
    cleanup.push('Temporal dev server', () => server.stop());
    say(`Temporal dev server ready at ${server.address} (UI ${server.uiUrl})`);

    const useEmulator = options.emulator !== undefined ? options.emulator !== false : !process.env.DATABRICKS_HOST;
    let emulator: RunningEmulator | undefined;
    if (useEmulator) {
      const emulatorOptions = options.emulator || {};
      emulator = await startEmulator({
        speed: emulatorOptions.speed ?? 60,
        port: emulatorOptions.port ?? 0,
        dataDir: options.persist === false ? undefined : join(stateDir(), 'emulator'),
        logger: options.logger.child({ component: 'emulator' }),
      });
      const running = emulator;
      cleanup.push('Databricks emulator', () => running.close());
      say(`Databricks emulator at ${emulator.url} (speed ${emulatorOptions.speed ?? 60}x)`);
    }
    const databricks: DatabricksTarget = emulator ? { kind: 'emulator', host: emulator.url, token: emulator.token } : { kind: 'workspace' };

    const config = loadWorkerConfig({ ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: server.namespace });
    installRuntime({ logger: options.logger, metricsAddress: config.metricsAddress });
    // Emulator: its URL and token; a real workspace: DATABRICKS_* env / ~/.databrickscfg. Short in-process
    // retries (10 s): longer waits (Retry-After, outages) are left to Temporal's durable retries.
    const databricksClient = new DatabricksClient({
      ...(emulator ? { host: emulator.url, token: emulator.token, env: {} } : {}),
      retryBudgetMs: 10_000,
      logger: options.logger,
      hooks: databricksMetricsHooks(),
    });
    cleanup.push('Databricks client', () => databricksClient.close());
    const connection = await Connection.connect({ address: server.address });
    cleanup.push('client connection', () => connection.close());
    const client = new Client({ connection, namespace: server.namespace, dataConverter: dataConverterFromEnv() });
    const activities = { ...createActivities({ logger: options.logger, databricks: databricksClient }), ...createTemporalActivities({ client }) };
    const durabricksWorker = await createWorker({ config, logger: options.logger, activities });
    cleanup.push('worker connection', () => durabricksWorker.close());
    const workerDone = durabricksWorker.worker.run();
    workerDone.catch(() => {});
    cleanup.push('worker', async () => {
      if (durabricksWorker.worker.getState() === 'RUNNING') durabricksWorker.worker.shutdown();
      await workerDone.catch(() => {});
    });
    say(`worker polling task queue "${config.taskQueue}"`);
    return { server, emulator, databricks, client, config, workerDone, shutdown: () => cleanup.runAll() };
  } catch (err) {
    await cleanup.runAll();
    throw err;
  }
}
