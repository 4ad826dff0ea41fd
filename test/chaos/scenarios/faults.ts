/**
 * Fault matrix: each case injects one kind of failure through the emulator's fault API (or its
 * directives) and asserts the expected outcome — retried and succeeded, or failed fast with a typed
 * failure and cleaned up — plus exactly-once effects and "no retry before Retry-After", read from
 * the emulator's own request arrival times.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CREATE_ACTIVITY, READ_ACTIVITY } from '../../../src/common/activity-policies.js';
import { IDEMPOTENCY_TAG } from '../../../src/activities/creates.js';
import { createActivities } from '../../../src/activities/index.js';
import { createLogger } from '../../../src/common/logger.js';
import { DatabricksClient } from '../../../src/databricks/index.js';
import type { OAuthApi } from '../../../src/emulator/services/oauth/index.js';
import { MockActivityEnvironment } from '@temporalio/testing';
import { awaitOutcomes, inspectState, outcomeProblems } from '../lib/checks.js';
import { emptyFigures, type ScenarioFigures } from '../lib/figures.js';
import { startRig, type Rig } from '../lib/rig.js';
import { tapCalls } from '../lib/calls.js';
import { startEmulator } from '../../../src/emulator/index.js';
import { planPipeline, type PlannedPipeline } from '../lib/specs.js';

export const OAUTH_CLIENT = { clientId: 'chaos-sp', clientSecret: 'chaos-sp-secret-0123', admin: true };

export interface FaultCase {
  name: string;
  /** What must happen, in one line (printed in docs/reliability.md). */
  expected: string;
  /** Problems found; empty = the expected outcome happened. */
  run(rig: Rig): Promise<string[]>;
}

const noop = () => {};
const CLUSTER = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 0 };

async function newCluster(rig: Rig): Promise<string> {
  return (await rig.databricks.clusters.create(CLUSTER)).cluster_id;
}

/** Calls to method+path (regex on the route) that arrived after index `from` of the tap. */
function callsSince(rig: Rig, from: number, method: string, path: RegExp) {
  return rig.tap.calls.slice(from).filter((c) => c.method === method && path.test(c.path));
}

/** Every gap after a throttled/unavailable answer must be at least its Retry-After. */
function retryAfterProblems(arrivals: number[], retryAfterS: number, throttled: number): string[] {
  const problems: string[] = [];
  for (let i = 0; i < throttled && i + 1 < arrivals.length; i++) {
    const gap = arrivals[i + 1]! - arrivals[i]!;
    if (gap < retryAfterS * 1000) problems.push(`attempt ${i + 2} came ${gap} ms after a 429 with Retry-After ${retryAfterS} s`);
  }
  return problems;
}

function expectOk(r: { result?: unknown; error?: unknown }): string[] {
  return r.error === undefined ? [] : [`activity failed: ${(r.error as { cause?: { cause?: Error } }).cause?.cause?.message ?? String(r.error)}`];
}

async function pipelineCase(rig: Rig, plans: PlannedPipeline[], timeoutMs = 90_000): Promise<string[]> {
  for (const p of plans) await rig.startPipeline(p.workflowId, p.spec);
  const outcomes = await awaitOutcomes(rig.env.client, plans.map((p) => p.workflowId), timeoutMs);
  const problems = outcomeProblems(plans, outcomes);
  // Terminations are instant at this speed; a short settle covers the last scheduler tick.
  await sleep(200);
  const state = inspectState(rig.emu.snapshot(), plans);
  return [...problems, ...state.duplicates, ...state.leaks, ...state.missing];
}

let n = 0;
const id = (name: string) => `fault-${name}-${++n}`;

export const faultCases: FaultCase[] = [
  {
    name: '429 burst with Retry-After 2 s (3 in a row)',
    expected: 'retried and succeeded; every retry ≥ Retry-After after the 429',
    async run(rig) {
      const cluster_id = await newCluster(rig);
      const from = rig.tap.calls.length;
      rig.emu.faults.add({ action: 'respond', method: 'GET', path: '/api/2.1/clusters/get', status: 429, retry_after: 2, times: 3, body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'Too many requests.' } });
      const r = await rig.callActivity('clustersGet', { cluster_id }, READ_ACTIVITY);
      const gets = callsSince(rig, from, 'GET', /\/clusters\/get$/).map((c) => c.at);
      return [...expectOk(r), ...(gets.length === 4 ? [] : [`expected 4 calls, saw ${gets.length}`]), ...retryAfterProblems(gets, 2, 3)];
    },
  },
  {
    name: '429 with Retry-After 11 s (beyond the 10 s in-process budget)',
    expected: 'handed to Temporal with nextRetryDelay = 11 s; next attempt ≥ 11 s later; succeeded',
    async run(rig) {
      const cluster_id = await newCluster(rig);
      const from = rig.tap.calls.length;
      rig.emu.faults.add({ action: 'respond', method: 'GET', path: '/api/2.1/clusters/get', status: 429, retry_after: 11, times: 1, body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'Too many requests.' } });
      const r = await rig.callActivity('clustersGet', { cluster_id }, READ_ACTIVITY);
      const gets = callsSince(rig, from, 'GET', /\/clusters\/get$/).map((c) => c.at);
      const history = await rig.env.client.workflow.getHandle(r.workflowId).fetchHistory();
      const started = history.events?.find((e) => e.activityTaskStartedEventAttributes)?.activityTaskStartedEventAttributes;
      const problems = [...expectOk(r), ...retryAfterProblems(gets, 11, 1)];
      if (gets.length !== 2) problems.push(`expected 2 calls, saw ${gets.length}`);
      if (started?.attempt !== 2) problems.push(`expected the retry to be Temporal's attempt 2, history says attempt ${started?.attempt}`);
      if (Number(started?.lastFailure?.applicationFailureInfo?.nextRetryDelay?.seconds ?? 0) !== 11) problems.push('lastFailure.nextRetryDelay is not 11 s');
      return problems;
    },
  },
  {
    name: '500 streak (4 in a row) on a read',
    expected: 'retried with backoff and succeeded',
    async run(rig) {
      const cluster_id = await newCluster(rig);
      const from = rig.tap.calls.length;
      rig.emu.faults.add({ action: 'respond', method: 'GET', path: '/api/2.1/clusters/get', status: 500, times: 4, body: { error_code: 'INTERNAL_ERROR', message: 'boom' } });
      const r = await rig.callActivity('clustersGet', { cluster_id }, READ_ACTIVITY);
      const gets = callsSince(rig, from, 'GET', /\/clusters\/get$/);
      return [...expectOk(r), ...((r.result as { cluster_id?: string })?.cluster_id === cluster_id ? [] : ['wrong result']), ...(gets.length === 5 ? [] : [`expected 5 calls, saw ${gets.length}`])];
    },
  },
  {
    name: '503 streak (3) on runs/submit inside a pipeline',
    expected: 'pipeline completed; exactly one run; cluster terminated',
    async run(rig) {
      rig.emu.faults.add({ action: 'respond', method: 'POST', path_regex: '/jobs/runs/submit$', status: 503, times: 3 });
      return pipelineCase(rig, [planPipeline(id('503'), 'ok')]);
    },
  },
  {
    name: 'latency spike (3 s, twice) over a 2 s client timeout',
    expected: 'timed-out attempts retried; succeeded',
    async run(rig) {
      const cluster_id = await newCluster(rig);
      const from = rig.tap.calls.length;
      rig.emu.faults.add({ action: 'latency', method: 'GET', path: '/api/2.1/clusters/get', latency_ms: 3000, times: 2 });
      const r = await rig.callActivity('clustersGet', { cluster_id }, READ_ACTIVITY);
      const gets = callsSince(rig, from, 'GET', /\/clusters\/get$/);
      const timedOut = rig.responses.filter((e) => e.operation === 'clusters.get' && e.status === undefined).length;
      return [...expectOk(r), ...(gets.length === 3 ? [] : [`expected 3 calls, saw ${gets.length}`]), ...(timedOut >= 2 ? [] : [`expected 2 timed-out attempts, saw ${timedOut}`])];
    },
  },
  {
    name: 'connection reset before apply (twice) on clusters/create',
    expected: 'retried; exactly one cluster created',
    async run(rig) {
      const from = rig.tap.calls.length;
      rig.emu.faults.add({ action: 'reset_before_apply', method: 'POST', path: '/api/2.1/clusters/create', times: 2 });
      const r = await rig.callActivity('clustersCreate', CLUSTER, CREATE_ACTIVITY);
      const key = (r.result as { idempotency_key?: string })?.idempotency_key;
      const clusters = (await rig.databricks.clusters.list().toArray()).filter((c) => c.custom_tags?.[IDEMPOTENCY_TAG] === key);
      const creates = callsSince(rig, from, 'POST', /\/clusters\/create$/);
      return [...expectOk(r), ...(clusters.length === 1 ? [] : [`${clusters.length} clusters carry key ${key}`]), ...(creates.length === 3 ? [] : [`expected 3 create calls, saw ${creates.length}`])];
    },
  },
  {
    name: 'response lost after apply on clusters/create',
    expected: 'the retry adopts the first cluster; exactly one',
    async run(rig) {
      rig.emu.faults.add({ action: 'drop_after_apply', method: 'POST', path: '/api/2.1/clusters/create', times: 1 });
      const r = await rig.callActivity('clustersCreate', CLUSTER, CREATE_ACTIVITY);
      const res = r.result as { idempotency_key?: string; adopted?: boolean } | undefined;
      const clusters = (await rig.databricks.clusters.list().toArray()).filter((c) => c.custom_tags?.[IDEMPOTENCY_TAG] === res?.idempotency_key);
      return [...expectOk(r), ...(res?.adopted === true ? [] : ['the retry did not adopt the cluster']), ...(clusters.length === 1 ? [] : [`${clusters.length} clusters for one create`])];
    },
  },
  {
    name: 'response lost after apply on runs/submit inside a pipeline',
    expected: 'pipeline completed; the idempotency token gives exactly one run',
    async run(rig) {
      rig.emu.faults.add({ action: 'drop_after_apply', method: 'POST', path_regex: '/jobs/runs/submit$', times: 1 });
      return pipelineCase(rig, [planPipeline(id('drop-submit'), 'ok')]);
    },
  },
  {
    name: 'expired OAuth access token (expired server-side before the client expected)',
    expected: 'the 401 triggers one token refresh; the activity succeeds',
    async run() {
      // Its own emulator on a paused clock: the token dies when virtual time is moved past it,
      // while the client's cache (real time) still believes it valid — the 401 path.
      const emu = await startEmulator({ port: 0, speed: 0, seed: 5, rateLimitPerSecond: 0, oauthClients: [OAUTH_CLIENT] });
      const tap = tapCalls(emu);
      const client = new DatabricksClient({ host: emu.url, clientId: OAUTH_CLIENT.clientId, clientSecret: OAUTH_CLIENT.clientSecret, env: {}, retryBudgetMs: 10_000 });
      try {
        emu.service<OAuthApi>('oauth')!.setTokenLifetime(120);
        const acts = createActivities({ logger: createLogger({ level: 'silent' }), databricks: client });
        const mock = new MockActivityEnvironment({}, { logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop } });
        const { cluster_id } = (await mock.run(acts.clustersCreate, CLUSTER)) as { cluster_id: string };
        await emu.advance(600);
        const got = (await mock.run(acts.clustersGet, { cluster_id })) as { cluster_id: string };
        const tokenCalls = tap.matching('POST', /\/oidc\/v1\/token$/).length;
        const gets = tap.matching('GET', /\/clusters\/get$/).length;
        const problems: string[] = [];
        if (got.cluster_id !== cluster_id) problems.push('wrong cluster returned');
        if (tokenCalls !== 2) problems.push(`expected 2 token requests (initial + refresh after the 401), saw ${tokenCalls}`);
        if (gets !== 2) problems.push(`expected 2 clusters/get (401, then ok), saw ${gets}`);
        return problems;
      } catch (err) {
        return [`failed: ${err instanceof Error ? err.message : String(err)}`];
      } finally {
        await client.close();
        await emu.close();
      }
    },
  },
  {
    name: 'cluster launch ends in ERROR',
    expected: 'pipeline fails fast as ClusterStartFailed; no run started; cluster not left running',
    run: (rig) => pipelineCase(rig, [planPipeline(id('cluster-error'), 'cluster-error')]),
  },
  {
    name: 'run ends INTERNAL_ERROR',
    expected: 'pipeline fails as PipelineTaskFailed; cluster terminated; run terminal',
    run: (rig) => pipelineCase(rig, [planPipeline(id('internal-error'), 'internal-error')]),
  },
  {
    name: 'task FAILED',
    expected: 'pipeline fails as PipelineTaskFailed naming the task; cluster terminated',
    run: (rig) => pipelineCase(rig, [planPipeline(id('task-failed'), 'task-failed')]),
  },
  {
    name: 'run SKIPPED (max concurrent runs reached, queueing off)',
    expected: 'second pipeline fails as PipelineTaskFailed; first completes; no run left active',
    async run(rig) {
      const { job_id } = await rig.databricks.jobs.create({
        name: `skip-${++n}`,
        max_concurrent_runs: 1,
        queue: { enabled: false },
        tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/x' }, existing_cluster_id: await newCluster(rig) }],
      });
      const mk = (name: string, expectStatus: PlannedPipeline['expect']): PlannedPipeline => ({ workflowId: id(name), kind: 'ok', spec: { name, job: { job_id } }, expect: expectStatus, createsCluster: false, startsRun: false, repairs: 0 });
      const first = mk('skip-first', { status: 'COMPLETED' });
      const second = mk('skip-second', { status: 'FAILED', failureType: 'PipelineTaskFailed' });
      rig.emu.clock.setSpeed(0); // hold the first run in RUNNING
      try {
        await rig.startPipeline(first.workflowId, first.spec);
        for (let i = 0; i < 300 && (await rig.databricks.jobs.listRuns({ job_id }).toArray()).length === 0; i++) await sleep(100);
        await rig.startPipeline(second.workflowId, second.spec);
        const [o2] = await awaitOutcomes(rig.env.client, [second.workflowId], 60_000);
        rig.emu.clock.setSpeed(Infinity);
        rig.emu.tick();
        const [o1] = await awaitOutcomes(rig.env.client, [first.workflowId], 60_000);
        const problems = outcomeProblems([first, second], [o1!, o2!]);
        const runs = await rig.databricks.jobs.listRuns({ job_id }).toArray();
        const skipped = runs.filter((r) => r.state?.life_cycle_state === 'SKIPPED').length;
        if (runs.length !== 2 || skipped !== 1) problems.push(`expected 2 runs, one SKIPPED; saw ${runs.length} (${skipped} skipped)`);
        if (runs.some((r) => !['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR'].includes(r.state?.life_cycle_state ?? ''))) problems.push('a run is still active');
        return problems;
      } finally {
        rig.emu.clock.setSpeed(Infinity);
      }
    },
  },
  {
    name: '400 on clusters/create inside a pipeline',
    expected: 'fails fast (one attempt) as PipelineStepFailed; nothing created',
    async run(rig) {
      const from = rig.tap.calls.length;
      rig.emu.faults.add({ action: 'respond', method: 'POST', path: '/api/2.1/clusters/create', status: 400, times: 1, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Node type i3.xlarge is not supported.' } });
      const plan = { ...planPipeline(id('bad-request'), 'ok'), expect: { status: 'FAILED' as const, failureType: 'PipelineStepFailed' }, createsCluster: false, startsRun: false };
      const problems = await pipelineCase(rig, [plan]);
      const creates = callsSince(rig, from, 'POST', /\/clusters\/create$/).length;
      if (creates !== 1) problems.push(`expected exactly one create attempt, saw ${creates}`);
      return problems;
    },
  },
];

export function faultRigOptions() {
  return { speed: Infinity, seed: 11, rateLimitPerSecond: 0, timeoutMs: 2_000 };
}

/** Runs every case on one rig (faults and state reset between cases). */
export async function faultScenario(options: { log?: (line: string) => void; only?: RegExp } = {}): Promise<ScenarioFigures> {
  const started = Date.now();
  const f = emptyFigures('fault matrix');
  const rig = await startRig(faultRigOptions());
  try {
    for (const c of faultCases.filter((x) => !options.only || options.only.test(x.name))) {
      rig.emu.faults.clear();
      rig.emu.reset();
      const t0 = Date.now();
      let problems: string[];
      try {
        problems = await c.run(rig);
      } catch (err) {
        problems = [`threw: ${err instanceof Error ? err.message : String(err)}`];
      }
      f.workflows++;
      if (problems.length === 0) f.asExpected++;
      f.problems.push(...problems.map((p) => `${c.name}: ${p}`));
      options.log?.(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${c.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${problems.length ? `: ${problems.join('; ')}` : ''}`);
    }
    f.apiCalls = rig.tap.calls.length;
    f.throttled = rig.responses.filter((e) => e.status === 429).length;
  } finally {
    await rig.close();
    f.seconds = (Date.now() - started) / 1000;
  }
  return f;
}
