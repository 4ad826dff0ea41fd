/**
 * The benchmark's worker, run as a child process (bench/worker/process.ts forks it) so its RSS and
 * CPU time are its own. It is the product's worker (createWorker + createActivities); when the
 * workspace clock is scaled it supplies the product's `pollTimeScale` seam with the emulator's speed,
 * so the waiters poll on the workspace's (virtual) time and a 5-minute cluster start at 20× is
 * polled as it would be at 1×. The only benchmark code around the activities is a measurement
 * wrapper (retry overhead, below). kind "noop" serves the ceiling workflow (bench/workflows) with a
 * no-op activity instead.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createActivities } from '../../src/activities/index.js';
import { FailureType } from '../../src/common/activity-policies.js';
import { createLogger } from '../../src/common/logger.js';
import { DatabricksClient } from '../../src/databricks/index.js';
import { createWorker } from '../../src/worker/create-worker.js';
import { BUNDLE_SOURCES } from './bundles.js';
import { installRuntime } from '../../src/worker/runtime.js';
import { loadWorkerConfig } from '../../src/worker/config.js';

export interface BenchWorkerConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  kind: 'etl' | 'noop';
  /** Prebuilt workflow bundle (bench/worker/bundles.ts); bundled here when absent. */
  bundlePath?: string;
  emulator?: { url: string; token: string };
  /** Waiters poll on the emulator's virtual time: pollTimeScale = its speed, read from /_emulator/clock. */
  rescaleWaiters?: boolean;
  maxConcurrentActivities: number;
  maxConcurrentWorkflowTasks: number;
  maxCachedWorkflows: number;
}

export type WorkerMessage =
  | { type: 'ready'; pid: number; bundleMs: number }
  | { type: 'error'; message: string }
  | { type: 'retry-overhead'; samplesMs: number[] };

/**
 * How much later than asked the engine ran each waiter retry (real ms): the gap between an attempt
 * failing with nextRetryDelay and the next attempt starting, minus that delay. At a clock speed of
 * S this overhead shows up S times larger in virtual-time latency.
 */
const retryOverheadMs: number[] = [];
const lastFailure = new Map<string, { at: number; delay: number }>();

function noteAttemptStart(): void {
  const info = Context.current().info;
  const key = `${info.workflowExecution?.workflowId ?? info.taskToken}/${info.activityId}`;
  const prev = lastFailure.get(key);
  if (prev) {
    lastFailure.delete(key);
    if (retryOverheadMs.length < 20_000) retryOverheadMs.push(Date.now() - prev.at - prev.delay);
  }
}

function noteRetry(delay: number): void {
  const info = Context.current().info;
  if (lastFailure.size > 50_000) lastFailure.clear();
  lastFailure.set(`${info.workflowExecution?.workflowId ?? info.taskToken}/${info.activityId}`, { at: Date.now(), delay });
}

const WAITERS = ['waitClusterRunning', 'waitClusterTerminated', 'waitRunTerminated', 'waitWarehouseRunning', 'waitWarehouseStopped', 'waitStatement', 'waitLibrariesInstalled'] as const;

/** The emulator's clock speed, read from its control API (not counted in its stats), cached briefly. */
export function speedReader(emulatorUrl: string): () => Promise<number> {
  let cached: { at: number; speed: number } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < 500) return cached.speed;
    const body = (await (await fetch(`${emulatorUrl}/_emulator/clock`)).json()) as { speed: number | string };
    const speed = typeof body.speed === 'number' ? body.speed : Infinity;
    cached = { at: Date.now(), speed };
    return speed;
  };
}

/** Measures the engine's retry overhead around a waiter; the waiter and its delays are the product's. */
export function measureRetries<F extends (input: Record<string, unknown>) => Promise<unknown>>(fn: F): F {
  const wrapped = async (input: Record<string, unknown>) => {
    noteAttemptStart();
    try {
      return await fn(input);
    } catch (err) {
      if (err instanceof ApplicationFailure && err.type === FailureType.StillWaiting && typeof err.nextRetryDelay === 'number') noteRetry(err.nextRetryDelay);
      throw err;
    }
  };
  return wrapped as F;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.env.BENCH_WORKER_CONFIG ?? '{}') as BenchWorkerConfig;
  const logger = createLogger({ name: 'bench-worker', level: 'error' });
  installRuntime({ logger });
  const config = loadWorkerConfig(
    { TEMPORAL_ADDRESS: cfg.address, TEMPORAL_NAMESPACE: cfg.namespace, DURABRICKS_LOG_LEVEL: 'error' },
    { taskQueue: cfg.taskQueue, maxConcurrentActivities: cfg.maxConcurrentActivities, maxConcurrentWorkflowTasks: cfg.maxConcurrentWorkflowTasks, maxCachedWorkflows: cfg.maxCachedWorkflows, shutdownGraceSeconds: 2 },
  );
  let activities: object;
  let databricks: DatabricksClient | undefined;
  if (cfg.kind === 'noop') {
    activities = {
      noop: async () => undefined,
      // The capacity baseline's waiter: never done, next check in 20–40 s (as the pipeline waiters at 0.05×).
      stillWaiting: async () => {
        throw ApplicationFailure.create({ type: FailureType.StillWaiting, message: 'not yet', nonRetryable: false, nextRetryDelay: 20_000 + Math.floor(Math.random() * 20_000) });
      },
    };
  } else {
    if (!cfg.emulator) throw new Error('etl worker needs emulator url and token');
    databricks = new DatabricksClient({ host: cfg.emulator.url, token: cfg.emulator.token, env: {}, rateLimitPerSecond: 0, retryBudgetMs: 10_000, logger });
    const acts = createActivities({ logger, databricks, ...(cfg.rescaleWaiters ? { pollTimeScale: speedReader(cfg.emulator.url) } : {}) }) as Record<string, unknown>;
    for (const name of WAITERS) acts[name] = measureRetries(acts[name] as (input: Record<string, unknown>) => Promise<unknown>);
    activities = acts;
  }
  const t0 = performance.now();
  const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const workflowBundle = cfg.bundlePath ? { codePath: cfg.bundlePath } : await bundleWorkflowCode({ ...BUNDLE_SOURCES[cfg.kind], logger: silent });
  const bundleMs = performance.now() - t0;
  const w = await createWorker({ config, activities, logger, workflowBundle });
  const running = w.worker.run();
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
    await running.catch(() => {});
    await w.close().catch(() => {});
    await databricks?.close().catch(() => {});
    process.exit(code);
  };
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'stop') void stop(0);
    if (m?.type === 'retry-overhead') process.send?.({ type: 'retry-overhead', samplesMs: retryOverheadMs.splice(0) } satisfies WorkerMessage);
  });
  // The parent died or closed the channel: never outlive it.
  process.on('disconnect', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  running.catch((err: unknown) => {
    process.send?.({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies WorkerMessage);
    void stop(1);
  });
  process.send?.({ type: 'ready', pid: process.pid, bundleMs } satisfies WorkerMessage);
}

if (process.env.BENCH_WORKER_CONFIG) {
  main().catch((err: unknown) => {
    process.send?.({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies WorkerMessage);
    process.exit(1);
  });
}
