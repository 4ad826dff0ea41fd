/**
 * An in-process rig for fault, secret and load scenarios: a real Temporal dev server (the SDK's
 * local environment on the resolved binary), the emulator, and an in-process worker whose
 * Databricks client reports every HTTP attempt (status, timing) to the rig. Production settings:
 * the same activity options as the workflows use and the worker's retry budget (10 s).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { ActivityOptions } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createActivities, databricksMetricsHooks } from '../../../src/activities/index.js';
import { dataConverterFromEnv, FAILURE_CONVERTER_PATH } from '../../../src/common/codec/data-converter.js';
import { createLogger, type Logger } from '../../../src/common/logger.js';
import type { CleanupStack } from '../../../src/dev/cleanup-stack.js';
import { StackRegistry } from './stack-registry.js';
import { DatabricksClient, type ResponseEvent } from '../../../src/databricks/index.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator/index.js';
import type { OAuthClient } from '../../../src/emulator/services/oauth/clients.js';
import type { PipelineSpecInput } from '../../../src/workflows/lib/pipeline-spec.js';
import { installRuntime } from '../../../src/worker/runtime.js';
import { resolveTemporalCli } from '../../../src/dev/temporal-cli.js';
import { tapCalls, type CallTap } from './calls.js';

const require = createRequire(import.meta.url);
const noop = () => {};
const silentWebpack = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

export interface RigOptions {
  speed: number;
  seed?: number;
  token?: string;
  rateLimitPerSecond?: number;
  /** Client-side token bucket (default 30, as in production). */
  clientRateLimit?: number;
  /** Per-attempt HTTP timeout of the worker's client (default 60 s). */
  timeoutMs?: number;
  oauthClients?: OAuthClient[];
  /** Worker env: DURABRICKS_CODEC_KEYS turns on the encrypting data converter. */
  codecEnv?: Record<string, string>;
  /** Where the worker's (pino) log lines go; default: dropped. */
  logger?: Logger;
  maxConcurrentActivities?: number;
  emulator?: Partial<EmulatorOptions>;
}

export interface Rig {
  env: TestWorkflowEnvironment;
  emu: RunningEmulator;
  tap: CallTap;
  databricks: DatabricksClient;
  /** Every HTTP attempt of the worker's client, with the time its response (or error) came back. */
  responses: (ResponseEvent & { at: number })[];
  taskQueue: string;
  /** Scratch directory, removed on close. */
  dataDir: string;
  callActivity(name: string, input: unknown, options: ActivityOptions, workflowId?: string): Promise<{ result?: unknown; error?: unknown; workflowId: string }>;
  startPipeline(workflowId: string, spec: PipelineSpecInput): Promise<void>;
  close(): Promise<string[]>;
}

let seq = 0;
const registry = new StackRegistry();

export function closeAllRigs(): Promise<string[]> {
  return registry.closeAll();
}

export async function startRig(o: RigOptions): Promise<Rig> {
  const cleanup = registry.open();
  try {
    return await build(o, cleanup);
  } catch (err) {
    await cleanup.runAll();
    registry.forget(cleanup);
    throw err;
  }
}

async function build(o: RigOptions, cleanup: CleanupStack): Promise<Rig> {
  installRuntime({ logger: createLogger({ name: 'rig', level: 'error' }) });
  const cliPath = process.env.TEMPORAL_CLI_PATH ?? (await resolveTemporalCli({ requirePath: true })).path!;
  const dataConverter = dataConverterFromEnv(o.codecEnv ?? {});
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: cliPath } },
    ...(dataConverter ? { client: { dataConverter } } : {}),
  });
  registry.own(cleanup, 'Temporal dev server', () => env.teardown());
  const dataDir = mkdtempSync(join(tmpdir(), 'durabricks-rig-'));
  registry.own(cleanup, 'rig data dir', () => rmSync(dataDir, { recursive: true, force: true }));
  const token = o.token ?? 'dapi-rig-0123456789';
  const emu = await startEmulator({
    port: 0,
    tokens: [token],
    speed: o.speed,
    seed: o.seed ?? 1,
    rateLimitPerSecond: o.rateLimitPerSecond ?? 0,
    ...(o.oauthClients ? { oauthClients: o.oauthClients } : {}),
    ...o.emulator,
  });
  registry.own(cleanup, 'emulator', () => emu.close());
  const tap = tapCalls(emu);
  const responses: (ResponseEvent & { at: number })[] = [];
  const logger = o.logger ?? createLogger({ level: 'silent' });
  const databricks = new DatabricksClient({
    host: emu.url,
    token,
    env: {},
    retryBudgetMs: 10_000,
    rateLimitPerSecond: o.clientRateLimit ?? 30,
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    logger,
    hooks: databricksMetricsHooks(undefined, { onResponse: (e) => responses.push({ ...e, at: Date.now() }) }),
  });
  registry.own(cleanup, 'Databricks client', () => databricks.close());
  const taskQueue = `rig-${process.pid}-${++seq}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows.ts'), logger: silentWebpack, ...(dataConverter ? { failureConverterPath: FAILURE_CONVERTER_PATH } : {}) }),
    activities: createActivities({ logger, databricks }),
    ...(dataConverter ? { dataConverter } : {}),
    ...(o.maxConcurrentActivities ? { maxConcurrentActivityTaskExecutions: o.maxConcurrentActivities } : {}),
  });
  const running = worker.run();
  running.catch(() => {});
  registry.own(cleanup, 'worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => {});
  });
  let calls = 0;
  return {
    env,
    emu,
    tap,
    databricks,
    responses,
    taskQueue,
    dataDir,
    async callActivity(name, input, options, workflowId = `act-${name}-${++calls}`) {
      try {
        const result = await env.client.workflow.execute('callActivity', { taskQueue, workflowId, args: [name, input, options] });
        return { result, workflowId };
      } catch (error) {
        return { error, workflowId };
      }
    },
    async startPipeline(workflowId, spec) {
      await env.client.workflow.start('etlPipeline', { taskQueue, workflowId, args: [{ spec }] });
    },
    close: async () => {
      const errors = await cleanup.runAll();
      registry.forget(cleanup);
      return errors;
    },
  };
}
