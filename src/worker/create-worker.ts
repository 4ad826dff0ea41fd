import { createRequire } from 'node:module';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { dataConverterFromEnv } from '../common/codec/data-converter.js';
import type { Logger } from '../common/logger.js';
import type { WorkerConfig } from './config.js';
import { tracingPlugin } from './tracing.js';

const require = createRequire(import.meta.url);

/** Path of the workflows entry point; the worker bundles it (webpack) into its sandbox. */
export const WORKFLOWS_PATH = require.resolve('../workflows/index.ts');

/**
 * Modules evaluated once per sandbox context and shared by every workflow in it, instead of once
 * per workflow: the whole workflows tree (and, through the spec validators, zod). The sandbox
 * otherwise evaluates every module a workflow imports again for each workflow, and a cached
 * workflow keeps its own copy. Preloading the spec validators alone took workflow-thread CPU per
 * pipeline down by ~20 % and most of a cached pipeline's memory; preloading the rest saves the
 * re-evaluation of ~20 modules per workflow (about 0.3 ms) and a tenth to a quarter of a cached
 * pipeline's memory (206 KiB each in the capacity benchmark, against 231-282 KiB in runs before).
 * Safe because the modules keep no per-workflow state: state lives in the workflow function and its
 * class instances; lint forbids module-level let/var in src/workflows, module-level Sets are typed
 * ReadonlySet, and the SDK deep-freezes the shared exports (exported schemas would break: a frozen
 * zod schema cannot bind its methods lazily, so the spec modules export only functions).
 */
export const PRELOADED_WORKFLOW_MODULES = [WORKFLOWS_PATH];

/** Options for every bundle of the product's workflows (the worker's own and prebuilt ones). */
export const WORKFLOW_BUNDLE_OPTIONS = { workflowsPath: WORKFLOWS_PATH, preloadModules: PRELOADED_WORKFLOW_MODULES };

export interface CreateWorkerOptions {
  config: WorkerConfig;
  activities: object;
  logger: Logger;
  /** Reuse a connection (tests, the embedded stack); otherwise one is opened from config.temporal. */
  connection?: NativeConnection;
  /** Prebuilt bundle to skip webpack (tests that start many workers). */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Default: encrypted payloads when DURABRICKS_CODEC_KEYS is set (must match the clients'). */
  dataConverter?: DataConverter;
}

export interface DurabricksWorker {
  worker: Worker;
  connection: NativeConnection;
  /** Closes the connection if this module opened it. */
  close(): Promise<void>;
}

export class TemporalUnreachableError extends Error {
  override name = 'TemporalUnreachableError';
}

/** Opens a connection with a clear, single-sentence error when the server cannot be reached. */
export async function connectToTemporal(config: WorkerConfig): Promise<NativeConnection> {
  const address = config.temporal.connectionOptions.address ?? 'localhost:7233';
  try {
    return await NativeConnection.connect({ ...config.temporal.connectionOptions, grpcCompression: { codec: config.grpcCompression } });
  } catch (err) {
    throw new TemporalUnreachableError(
      `cannot reach the Temporal server at ${address} (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); check TEMPORAL_ADDRESS, or run "durabricks dev" for a local server.`,
    );
  }
}

export async function createWorker(options: CreateWorkerOptions): Promise<DurabricksWorker> {
  const { config } = options;
  const ownsConnection = !options.connection;
  const connection = options.connection ?? (await connectToTemporal(config));
  const plugin = tracingPlugin(config);
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace ?? 'default',
      taskQueue: config.taskQueue,
      activities: options.activities,
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: PRELOADED_WORKFLOW_MODULES } }),
      maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities,
      maxConcurrentWorkflowTaskExecutions: config.maxConcurrentWorkflowTasks,
      maxCachedWorkflows: config.maxCachedWorkflows,
      shutdownGraceTime: `${config.shutdownGraceSeconds}s`,
      dataConverter: options.dataConverter ?? dataConverterFromEnv(),
      plugins: plugin ? [plugin] : [],
    });
    return { worker, connection, close: async () => (ownsConnection ? connection.close() : undefined) };
  } catch (err) {
    if (ownsConnection) await connection.close().catch(() => {});
    throw err;
  }
}
