/**
 * One chaos environment: a real Temporal dev server (SQLite file, so it can be killed and restarted
 * with its state), the Databricks emulator in this process (its state is the ground truth the checks
 * read), and the durabricks worker as a child process. Everything registers its teardown on a
 * CleanupStack first, so any exit path — success, assertion, exception, SIGINT — stops all of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { dataConverterFromEnv } from '../../../src/common/codec/data-converter.js';
import type { CleanupStack } from '../../../src/dev/cleanup-stack.js';
import { StackRegistry } from './stack-registry.js';
import { startDevServer, type RunningDevServer } from '../../../src/dev/dev-server.js';
import { freePort, isPortFree } from '../../../src/dev/ports.js';
import { resolveTemporalCli } from '../../../src/dev/temporal-cli.js';
import type { ResolvedBinary } from '../../../src/dev/binary-resolver.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator/index.js';
import { tapCalls, type CallTap } from './calls.js';
import { WorkerProcess } from './worker-process.js';

export interface ChaosEnvOptions {
  /** Emulator virtual-clock speed (virtual seconds per real second). */
  speed: number;
  seed: number;
  /** The worker's PAT (the secrets scenario passes a canary). */
  token?: string;
  rateLimitPerSecond?: number;
  /** Extra env for the worker child (e.g. DURABRICKS_CODEC_KEYS). */
  workerEnv?: Record<string, string>;
  /** Start the worker child (default true). */
  worker?: boolean;
  emulator?: Partial<EmulatorOptions>;
  log?: (line: string) => void;
}

export interface ChaosEnv {
  dir: string;
  emu: RunningEmulator;
  tap: CallTap;
  worker: WorkerProcess;
  client: Client;
  taskQueue: string;
  server(): RunningDevServer;
  /** SIGKILL the Temporal dev server and start it again on the same port with the same SQLite file. */
  restartServer(): Promise<void>;
  serverRestarts: number;
  cleanup: CleanupStack;
  close(): Promise<string[]>;
}

let binary: Promise<ResolvedBinary> | undefined;
function temporalBinary(): Promise<ResolvedBinary> {
  // Tests get it from global-setup; the chaos CLI resolves it the project's way (cache / PATH / download).
  const path = process.env.TEMPORAL_CLI_PATH;
  binary ??= path ? Promise.resolve({ path, source: 'env', detail: 'TEMPORAL_CLI_PATH' }) : resolveTemporalCli({ requirePath: true });
  return binary;
}

const registry = new StackRegistry();

export function closeAllEnvs(): Promise<string[]> {
  return registry.closeAll();
}

export async function startChaosEnv(options: ChaosEnvOptions): Promise<ChaosEnv> {
  const log = options.log ?? (() => {});
  const cleanup = registry.open();
  try {
    return await build(options, cleanup, log);
  } catch (err) {
    await cleanup.runAll();
    registry.forget(cleanup);
    throw err;
  }
}

async function build(options: ChaosEnvOptions, cleanup: CleanupStack, log: (line: string) => void): Promise<ChaosEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'durabricks-chaos-'));
  registry.own(cleanup, 'chaos temp dir', () => rmSync(dir, { recursive: true, force: true }));
  const dbFile = join(dir, 'temporal.db');
  const bin = await temporalBinary();
  let server = await startDevServer({ binary: bin, port: await freePort(), uiPort: await freePort(), dbFile, logFile: join(dir, 'temporal.log') });
  registry.own(cleanup, 'Temporal dev server', () => server.stop());
  log(`dev server ${server.address} (db ${dbFile})`);

  const token = options.token ?? 'dapi-chaos-0123456789';
  const emu = await startEmulator({
    port: 0,
    tokens: [token],
    speed: options.speed,
    seed: options.seed,
    rateLimitPerSecond: options.rateLimitPerSecond ?? 30,
    ...options.emulator,
  });
  registry.own(cleanup, 'emulator', () => emu.close());
  const tap = tapCalls(emu);

  const taskQueue = `chaos-${options.seed}-${process.pid}`;
  const worker = new WorkerProcess({
    temporalAddress: server.address,
    taskQueue,
    databricksHost: emu.url,
    databricksToken: token,
    logFile: join(dir, 'worker.log'),
    ...(options.workerEnv ? { env: options.workerEnv } : {}),
  });
  registry.own(cleanup, 'worker child', () => worker.stop(5_000));

  const connection = await Connection.connect({ address: server.address });
  registry.own(cleanup, 'client connection', () => connection.close());
  const dataConverter = dataConverterFromEnv(options.workerEnv ?? {});
  const client = new Client({ connection, namespace: server.namespace, ...(dataConverter ? { dataConverter } : {}) });

  if (options.worker !== false) {
    await worker.start();
    if (registry.isStopped(cleanup)) {
      await worker.stop(1_000);
      throw new Error('stopping: the worker started after the stop signal and was stopped again');
    }
  }

  const env: ChaosEnv = {
    dir,
    emu,
    tap,
    worker,
    client,
    taskQueue,
    server: () => server,
    serverRestarts: 0,
    cleanup,
    async restartServer() {
      const address = server.address;
      const port = Number(address.split(':')[1]);
      const uiPort = Number(new URL(server.uiUrl).port);
      if (server.pid === undefined) throw new Error('dev server has no pid (SDK-managed): cannot SIGKILL it');
      process.kill(server.pid, 'SIGKILL');
      await server.exited;
      for (let i = 0; i < 100 && !(await isPortFree(port)); i++) await sleep(100);
      server = await startDevServer({ binary: bin, port, uiPort, dbFile, logFile: join(dir, 'temporal.log') });
      if (server.address !== address) throw new Error(`dev server came back on ${server.address}, not ${address}`);
      env.serverRestarts++;
      log(`dev server restarted on ${server.address}`);
    },
    close: async () => {
      const errors = await cleanup.runAll();
      registry.forget(cleanup);
      return errors;
    },
  };
  return env;
}
