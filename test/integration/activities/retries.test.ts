/**
 * Activities on a real Temporal dev server against the in-process emulator with injected faults:
 * Temporal (not the client — its in-process retry budget is 0 here) retries, and the timing of each
 * HTTP attempt is read from the client's response hook.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure, type ActivityOptions } from '@temporalio/common';
import { ActivityFailure, WorkflowFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities, databricksMetricsHooks } from '../../../src/activities/index.js';
import { CREATE_ACTIVITY, CREATE_RETRY, FailureType, READ_ACTIVITY, TRANSFER_ACTIVITY, TRANSFER_RETRY, WAIT_ACTIVITY } from '../../../src/common/activity-policies.js';
import { createLogger } from '../../../src/common/logger.js';
import { DatabricksClient, type ResponseEvent } from '../../../src/databricks/index.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { freePort } from '../../../src/dev/ports.js';
import { installRuntime } from '../../../src/worker/runtime.js';
import { temporalCliPath } from '../../support/temporal.js';

const require = createRequire(import.meta.url);
const TASK_QUEUE = 'activities-retries';
const noop = () => {};
const silentWebpackLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

let env: TestWorkflowEnvironment;
let emu: RunningEmulator;
let client: DatabricksClient;
let worker: Worker;
let running: Promise<void>;
const events: (ResponseEvent & { at: number })[] = [];
let seq = 0;
let metricsUrl: string;

beforeAll(async () => {
  // Error level only: the retries below make the SDK warn about every failed attempt, by design.
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  metricsUrl = `http://${metricsAddress}/metrics`;
  installRuntime({ logger: createLogger({ name: 'test', level: 'error' }), metricsAddress });
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: temporalCliPath() } } });
  emu = await startEmulator({ port: 0, tokens: ['dapi-activities-int-0123'], speed: Infinity, rateLimitPerSecond: 0 });
  client = new DatabricksClient({
    host: emu.url,
    token: emu.token,
    env: {},
    rateLimitPerSecond: 0,
    // No in-process retries: every retry below is a Temporal retry with its own activity attempt.
    retryBudgetMs: 0,
    hooks: databricksMetricsHooks(undefined, { onResponse: (e) => events.push({ ...e, at: Date.now() }) }),
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('../../fixtures/workflows/activity-harness.ts'), logger: silentWebpackLogger }),
    activities: createActivities({ logger: createLogger({ level: 'silent' }), databricks: client }),
  });
  running = worker.run();
}, 180_000);

afterAll(async () => {
  if (worker && worker.getState() === 'RUNNING') worker.shutdown();
  await running?.catch(() => {});
  await env?.teardown();
  await client?.close();
  await emu?.close();
});

beforeEach(() => {
  emu.reset();
  events.length = 0;
});

async function call(name: string, input: unknown, options: ActivityOptions): Promise<{ result?: unknown; error?: unknown; workflowId: string }> {
  const workflowId = `act-${name}-${++seq}`;
  try {
    const result = await env.client.workflow.execute('callActivity', { taskQueue: TASK_QUEUE, workflowId, args: [name, input, options] });
    return { result, workflowId };
  } catch (error) {
    return { error, workflowId };
  }
}

async function history(workflowId: string) {
  return (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

/** The attempt number of the (only) activity, as the server recorded it. */
async function attempts(workflowId: string): Promise<number> {
  const started = (await history(workflowId)).find((e) => e.activityTaskStartedEventAttributes);
  return started?.activityTaskStartedEventAttributes?.attempt ?? 0;
}

function applicationFailure(error: unknown): ApplicationFailure {
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const activity = (error as WorkflowFailedError).cause;
  expect(activity).toBeInstanceOf(ActivityFailure);
  const app = (activity as ActivityFailure).cause;
  expect(app).toBeInstanceOf(ApplicationFailure);
  return app as ApplicationFailure;
}

const fastCreate: ActivityOptions = { ...CREATE_ACTIVITY, retry: { ...CREATE_RETRY, initialInterval: '200 ms' } };
const newCluster = async () => (await client.clusters.create({ spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 0 })).cluster_id;

describe('retries decided by Temporal', () => {
  it('429 with Retry-After 7 s: the next attempt is sent no earlier than 7 s later, scheduled with exactly that delay', async () => {
    const cluster_id = await newCluster();
    events.length = 0;
    emu.faults.add({ action: 'respond', method: 'GET', path: '/api/2.1/clusters/get', status: 429, retry_after: 7, times: 1, body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'Rate limit exceeded.' } });
    const { result, workflowId } = await call('clustersGet', { cluster_id }, READ_ACTIVITY);
    expect(result).toMatchObject({ cluster_id });

    const gets = events.filter((e) => e.operation === 'clusters.get');
    expect(gets.map((e) => e.status)).toEqual([429, 200]);
    const secondSentAt = gets[1]!.at - gets[1]!.durationMs;
    expect(secondSentAt - gets[0]!.at).toBeGreaterThanOrEqual(7000);
    expect(await attempts(workflowId)).toBe(2);
    // The retry was scheduled with the server's delay, not the policy's backoff (1 s).
    const started = (await history(workflowId)).find((e) => e.activityTaskStartedEventAttributes);
    const last = started?.activityTaskStartedEventAttributes?.lastFailure;
    expect(last?.applicationFailureInfo?.type).toBe(FailureType.TooManyRequests);
    expect(Number(last?.applicationFailureInfo?.nextRetryDelay?.seconds ?? 0)).toBe(7);
  }, 60_000);

  it('a call slower than the heartbeat timeout stays alive: the wrapper heartbeats while it is in flight', async () => {
    const cluster_id = await newCluster();
    events.length = 0;
    emu.faults.add({ action: 'latency', method: 'GET', path: '/api/2.1/clusters/get', latency_ms: 4_500, times: 1 });
    // Ticks every max(1 s, timeout / 3); without them the 2 s heartbeat timeout would end attempt 1.
    const { result, workflowId } = await call('clustersGet', { cluster_id }, { ...READ_ACTIVITY, heartbeatTimeout: '2 seconds' });
    expect(result).toMatchObject({ cluster_id });
    const gets = events.filter((e) => e.operation === 'clusters.get');
    expect(gets).toHaveLength(1);
    expect(gets[0]!.durationMs).toBeGreaterThanOrEqual(4_000);
    expect(await attempts(workflowId)).toBe(1);
  }, 60_000);

  it('503 then success: one retry, and the activity succeeds', async () => {
    const cluster_id = await newCluster();
    events.length = 0;
    emu.faults.add({ action: 'respond', method: 'GET', path: '/api/2.1/clusters/get', status: 503, times: 1 });
    const { result, workflowId } = await call('clustersGet', { cluster_id }, READ_ACTIVITY);
    expect(result).toMatchObject({ cluster_id });
    expect(events.filter((e) => e.operation === 'clusters.get').map((e) => e.status)).toEqual([503, 200]);
    expect(await attempts(workflowId)).toBe(2);
  });

  it('400: one attempt only, a non-retryable BadRequestError', async () => {
    emu.faults.add({ action: 'respond', method: 'GET', path: '/api/2.1/clusters/get', status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Bad cluster id.' } });
    const { error, workflowId } = await call('clustersGet', { cluster_id: 'whatever' }, READ_ACTIVITY);
    const failure = applicationFailure(error);
    expect(failure.type).toBe(FailureType.BadRequest);
    expect(failure.nonRetryable).toBe(true);
    expect(events.filter((e) => e.operation === 'clusters.get')).toHaveLength(1);
    expect(await attempts(workflowId)).toBe(1);
  });

  it('a missing cluster is a NotFoundError the workflow can branch on', async () => {
    const { error } = await call('clustersGet', { cluster_id: '0101-000000-missing0' }, READ_ACTIVITY);
    expect(applicationFailure(error).type).toBe(FailureType.NotFound);
  });
});

describe('exactly-once creates when the response is lost', () => {
  it('cluster create applied but its connection dropped: the retry finds it — exactly one cluster', async () => {
    emu.faults.add({ action: 'drop_after_apply', method: 'POST', path: '/api/2.1/clusters/create', times: 1 });
    const { result, workflowId, error } = await call('clustersCreate', { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 0 }, fastCreate);
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ adopted: true });
    expect(await attempts(workflowId)).toBe(2);
    const clusters = await client.clusters.list().toArray();
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.cluster_id).toBe((result as { cluster_id: string }).cluster_id);
  });

  it('run-now applied but its connection dropped: the retry sends the same idempotency token — exactly one run', async () => {
    const { job_id } = await client.jobs.create({ name: 'once', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/etl' } }] });
    emu.faults.add({ action: 'drop_after_apply', method: 'POST', path: '/api/2.2/jobs/run-now', times: 1 });
    const { result, workflowId, error } = await call('jobsRunNow', { job_id }, fastCreate);
    expect(error).toBeUndefined();
    expect(await attempts(workflowId)).toBe(2);
    const runs = await client.jobs.listRuns({ job_id }).toArray();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.run_id).toBe((result as { run_id: number }).run_id);
  });
});

describe('waiters', () => {
  it('a wait that polls many times writes no more history events than one that succeeds at once', async () => {
    const quick = await newCluster();
    // Instant clock: already RUNNING (or nearly) — one or two checks.
    const fast = await call('waitClusterRunning', { cluster_id: quick, minPollSeconds: 0.5, maxPollSeconds: 1 }, WAIT_ACTIVITY);
    expect(fast.result).toMatchObject({ state: 'RUNNING' });

    emu.clock.setSpeed(0);
    try {
      const slow = await newCluster();
      events.length = 0;
      const pending = call('waitClusterRunning', { cluster_id: slow, minPollSeconds: 0.5, maxPollSeconds: 1 }, WAIT_ACTIVITY);
      const deadline = Date.now() + 30_000;
      while (events.filter((e) => e.operation === 'clusters.get').length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      emu.clock.advance(3600_000);
      emu.tick();
      const done = await pending;
      expect(done.result).toMatchObject({ cluster_id: slow, state: 'RUNNING' });
      expect(await attempts(done.workflowId)).toBeGreaterThanOrEqual(5);
      expect((await history(done.workflowId)).length).toBe((await history(fast.workflowId)).length);
    } finally {
      emu.clock.setSpeed(Infinity);
    }
  }, 60_000);
});

describe('waiters deep into a wait', () => {
  /** Starts a wait on a cluster that stays PENDING (paused clock) and resolves once it has polled `polls` times. */
  async function pendingWait(polls: number, options: ActivityOptions = WAIT_ACTIVITY) {
    const cluster_id = await newCluster();
    events.length = 0;
    const pending = call('waitClusterRunning', { cluster_id, minPollSeconds: 0.5, maxPollSeconds: 1 }, options);
    const deadline = Date.now() + 30_000;
    while (gets().length < polls && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(gets().length).toBeGreaterThanOrEqual(polls);
    return { cluster_id, pending };
  }
  const gets = () => events.filter((e) => e.operation === 'clusters.get');
  /** The time (ms) from sending the first clusters/get that `matches` to sending the next one. */
  async function gapAfter(matches: (e: ResponseEvent) => boolean): Promise<number> {
    const deadline = Date.now() + 60_000;
    const index = () => gets().findIndex(matches);
    while ((index() < 0 || gets().length <= index() + 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const [a, b] = [gets()[index()]!, gets()[index() + 1]!];
    return b.at - b.durationMs - (a.at - a.durationMs);
  }
  async function finish(pending: Promise<{ result?: unknown; workflowId: string }>, cluster_id: string) {
    emu.clock.advance(3600_000);
    emu.tick();
    expect((await pending).result).toMatchObject({ cluster_id, state: 'RUNNING' });
  }

  it('a 500 after many polls is checked again on the poll schedule, not after a backoff that grew with every poll', async () => {
    emu.clock.setSpeed(0);
    try {
      const { cluster_id, pending } = await pendingWait(8);
      emu.faults.add({ action: 'respond', method: 'GET', path: '/api/2.1/clusters/get', status: 500, times: 1, body: { error_code: 'INTERNAL_ERROR', message: 'boom' } });
      const gap = await gapAfter((e) => e.status === 500);
      // The schedule polls every 0.5–1 s here; the policy's backoff at attempt 9 or later is its 10 s cap (5 min before).
      expect(gap).toBeLessThan(3000);
      await finish(pending, cluster_id);
    } finally {
      emu.clock.setSpeed(Infinity);
    }
  }, 60_000);

  it('a check that times out after many polls is retried within the policy\'s 10 s cap', async () => {
    emu.clock.setSpeed(0);
    try {
      const { cluster_id, pending } = await pendingWait(8, { ...WAIT_ACTIVITY, startToCloseTimeout: '2 seconds' });
      // Like a worker that died mid-check: the attempt ends by timeout, with no delay of its own.
      emu.faults.add({ action: 'latency', method: 'GET', path: '/api/2.1/clusters/get', latency_ms: 3000, times: 1 });
      const gap = await gapAfter((e) => e.durationMs >= 2500);
      // 2 s timeout + at most 10 s backoff (+ dispatch); with a 5-minute cap it was 2 s + 5 min.
      expect(gap).toBeLessThan(14_000);
      await finish(pending, cluster_id);
    } finally {
      emu.clock.setSpeed(Infinity);
    }
  }, 60_000);
});

describe('bounded waits', () => {
  it('scheduleToCloseTimeout ends a wait; the failure the workflow sees carries the last seen state', async () => {
    emu.clock.setSpeed(0);
    try {
      const cluster_id = await newCluster();
      const { error } = await call('waitClusterRunning', { cluster_id, minPollSeconds: 0.5, maxPollSeconds: 1 }, { ...WAIT_ACTIVITY, scheduleToCloseTimeout: '5 seconds' });
      const failure = applicationFailure(error);
      expect(failure.type).toBe(FailureType.WaitTimedOut);
      expect(failure.nonRetryable).toBe(true);
      expect(failure.details?.[0]).toMatchObject({ cluster_id, state: 'PENDING' });
    } finally {
      emu.clock.setSpeed(Infinity);
    }
  }, 30_000);
});

describe('transfers', () => {
  it('a download that fails part-way is retried by Temporal and resumes from the last recorded heartbeat', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 99);
    await client.dbfs.upload('/tmp/int-down.bin', data, { overwrite: true });
    const dir = mkdtempSync(join(tmpdir(), 'durabricks-int-'));
    try {
      events.length = 0;
      // The third chunk read fails once: attempt 1 has written and heartbeated two chunks.
      emu.faults.add({ action: 'respond', method: 'GET', path: '/api/2.0/dbfs/read', status: 503, nth: 3 });
      const options: ActivityOptions = { ...TRANSFER_ACTIVITY, retry: { ...TRANSFER_RETRY, initialInterval: '200 ms' } };
      const { result, error, workflowId } = await call('dbfsDownload', { path: '/tmp/int-down.bin', localPath: join(dir, 'out.bin'), chunkSize: 1024 * 1024 }, options);
      expect(error).toBeUndefined();
      expect(await attempts(workflowId)).toBe(2);
      // The worker reports the last heartbeat with the failure, so the retry starts after the two chunks.
      expect((result as { resumedFrom: number }).resumedFrom).toBe(2 * 1024 * 1024);
      expect(Buffer.compare(readFileSync(join(dir, 'out.bin')), data)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('metrics', () => {
  /** Prometheus lines of a metric that carry all the given labels. */
  const lines = (text: string, name: string, labels: Record<string, string>) =>
    text.split('\n').filter((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));

  it('Databricks calls (by operation, status, retry) and wait durations are on the worker\'s Prometheus endpoint', async () => {
    // Runs after the tests above in this file: their calls must be visible.
    const text = await (await fetch(metricsUrl)).text();
    expect(lines(text, 'durabricks_databricks_requests_total', { operation: 'clusters.get', status: '429', retry: 'false', activityType: 'clustersGet', namespace: 'default' })).toHaveLength(1);
    expect(lines(text, 'durabricks_databricks_requests_total', { operation: 'clusters.get', status: '200', retry: 'true' }).length).toBeGreaterThan(0);
    expect(lines(text, 'durabricks_databricks_requests_total', { operation: 'clusters.create', status: 'ECONNRESET' })).toHaveLength(1);
    expect(lines(text, 'durabricks_wait_duration_bucket', { waiter: 'waitClusterRunning', outcome: 'reached' }).length).toBeGreaterThan(0);
  });
});
