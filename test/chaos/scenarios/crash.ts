/**
 * Crash matrix: N pipelines run against the dev server + emulator while the worker child is
 * SIGKILLed at deterministic points derived from the seed, and restarted:
 * - mid-activity: when the k-th call of an endpoint reaches the emulator (the request is applied but
 *   its response is held back by a latency fault, so the worker dies before seeing it);
 * - between activities: a moment after the k-th cluster poll, while the waiter sleeps on its retry timer;
 * - at a step boundary: when a pipeline's `progress` query first reports a step as current;
 * - optionally the Temporal dev server itself (SIGKILL, then restart on the same SQLite file).
 * At the end every workflow must have ended as planned and the emulator must hold exactly one
 * cluster and one run per pipeline, none running.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { progressQuery } from '../../../src/workflows/lib/pipeline-types.js';
import { startChaosEnv, type ChaosEnv } from '../lib/chaos-env.js';
import { DatabricksClient } from '../../../src/databricks/index.js';
import { startDeprovisioning } from '../../../src/client/deprovisioning.js';
import { awaitOutcomes, inspectSagaCatalog, inspectSagas, outcomeProblems, settledState, type WorkflowOutcome } from '../lib/checks.js';
import { emptyFigures, type ScenarioFigures } from '../lib/figures.js';
import { pipelineMix, planPipeline, planSaga, SAGA_SECRET_ENV, seeded, type PipelineKind, type PlannedPipeline, type PlannedSaga } from '../lib/specs.js';

export type KillPoint =
  | { kind: 'mid-call'; method: string; path: RegExp; nth: number; label: string }
  | { kind: 'after-call'; method: string; path: RegExp; nth: number; delayMs: number; label: string }
  | { kind: 'step'; step: 'cluster' | 'run' | 'wait' | 'cleanup'; label: string }
  | { kind: 'server'; afterCall: { method: string; path: RegExp; nth: number }; label: string };

export interface CrashOptions {
  seed: number;
  pipelines: number;
  /** Explicit pipeline kinds (overrides `pipelines`); default: a seeded mix. */
  kinds?: PipelineKind[];
  /** Provisioning sagas run alongside (alternately succeeding and failing at the cluster); default 0. */
  sagas?: number;
  /** Explicit kill points; default: derived from the seed. */
  kills?: KillPoint[];
  /** Also SIGKILL + restart the Temporal dev server once (default false). */
  serverRestart?: boolean;
  speed?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

const CREATE = /\/clusters\/create$/;
const SUBMIT = /\/jobs\/runs\/submit$/;
const GET_CLUSTER = /\/clusters\/get$/;
const DELETE_CLUSTER = /\/clusters\/delete$/;
const REPAIR = /\/jobs\/runs\/repair$/;

/**
 * The seed's kill points, in the order a pipeline meets them: one mid-activity point (the seed picks
 * clusters/create, runs/submit or clusters/delete — each costs a heartbeat timeout, 30 s, of waiting),
 * one between cluster polls, mid runs/repair when a pipeline repairs its run, one step boundary, and
 * optionally the dev server.
 */
export function seededKills(seed: number, pipelines: number, serverRestart: boolean, repairs = false): KillPoint[] {
  const rand = seeded(seed * 7919 + 1);
  const pick = (max: number) => 1 + Math.floor(rand() * Math.max(1, max));
  const mid = (['create', 'submit', 'delete'] as const)[seed % 3]!;
  const steps = ['run', 'wait', 'cleanup'] as const;
  const kills: KillPoint[] = [];
  if (mid === 'create') kills.push({ kind: 'mid-call', method: 'POST', path: CREATE, nth: pick(pipelines), label: 'mid clusters/create' });
  kills.push({ kind: 'after-call', method: 'GET', path: GET_CLUSTER, nth: pick(2 * pipelines), delayMs: 300 + Math.floor(rand() * 400), label: 'between cluster polls' });
  if (serverRestart) kills.push({ kind: 'server', afterCall: { method: 'GET', path: GET_CLUSTER, nth: 2 * pipelines + pick(2 * pipelines) }, label: 'dev server SIGKILL mid-pipeline' });
  if (mid === 'submit') kills.push({ kind: 'mid-call', method: 'POST', path: SUBMIT, nth: pick(pipelines), label: 'mid runs/submit' });
  // The repair is applied but its answer never seen: the retried repair must find it, not repair again.
  if (repairs) kills.push({ kind: 'mid-call', method: 'POST', path: REPAIR, nth: 1, label: 'mid runs/repair' });
  kills.push({ kind: 'step', step: steps[Math.floor(rand() * steps.length)]!, label: 'step boundary' });
  if (mid === 'delete') kills.push({ kind: 'mid-call', method: 'POST', path: DELETE_CLUSTER, nth: pick(Math.max(1, Math.floor(pipelines / 2))), label: 'mid clusters/delete (cleanup)' });
  return kills;
}

/**
 * Resolves true when the n-th call matching method+path (counted from the start of the scenario)
 * arrives, false at once if it already happened — the pipelines are past that point.
 */
function callArrives(env: ChaosEnv, method: string, path: RegExp, nth: number, onHit?: () => void): Promise<boolean> {
  let seen = env.tap.matching(method, path).length;
  if (seen >= nth) return Promise.resolve(false);
  return new Promise((resolve) => {
    const off = env.tap.onCall((c) => {
      if (c.method !== method || !path.test(c.path)) return;
      if (++seen === nth) {
        off();
        onHit?.();
        resolve(true);
      }
    });
  });
}

async function runningCount(env: ChaosEnv, ids: string[]): Promise<number> {
  let n = 0;
  for (const id of ids) {
    const d = await env.client.workflow.getHandle(id).describe().catch(() => undefined);
    if (d?.status.name === 'RUNNING') n++;
  }
  return n;
}

/** True when some pipeline's progress query reports `step` as current; false once all are past it. */
async function stepReached(env: ChaosEnv, pipelines: PlannedPipeline[], step: string, deadline: number): Promise<boolean> {
  const order = ['files', 'cluster', 'run', 'wait', 'cleanup', 'sql'];
  while (Date.now() < deadline) {
    let before = 0;
    for (const p of pipelines) {
      try {
        const progress = await env.client.workflow.getHandle(p.workflowId).query(progressQuery);
        if (progress.phase === 'running' && progress.currentStep === step) return true;
        if (progress.phase === 'running' && order.indexOf(progress.currentStep ?? '') < order.indexOf(step)) before++;
      } catch {
        before++; // no answer (worker starting): it may still get there
      }
    }
    if (before === 0) return false;
    await sleep(100);
  }
  return false;
}

export async function crashScenario(o: CrashOptions): Promise<ScenarioFigures> {
  const started = Date.now();
  const serverRestart = o.serverRestart ?? false;
  const f = emptyFigures(serverRestart ? 'crash matrix + server restart' : 'crash matrix', o.seed);
  const log = o.log ?? (() => {});
  const env = await startChaosEnv({ speed: o.speed ?? 30, seed: o.seed, log, workerEnv: { [SAGA_SECRET_ENV]: `saga-secret-${o.seed}` } });
  try {
    const rand = seeded(o.seed);
    const pipelines = o.kinds ? o.kinds.map((k, i) => planPipeline(`crash-s${o.seed}-${i}-${k}`, k, 60 + Math.floor(rand() * 240))) : pipelineMix(`crash-s${o.seed}`, o.pipelines, rand);
    const sagas = Array.from({ length: o.sagas ?? 0 }, (_, i) => planSaga(`saga-s${o.seed}-${i}`, i % 2 === 0 ? 'saga-ok' : 'saga-cluster-error'));
    // With sagas, the first kills land while a saga's create is held — its group POST with even seeds, its
    // repo POST with odd ones, then its storage credential POST: the retry must adopt what the killed
    // attempt made (by key, by path, by name) as its own, so that an undo would delete it.
    const nth = 1 + (Math.floor(o.seed / 2) % Math.max(1, Math.ceil(sagas.length / 2)));
    const sagaKills: KillPoint[] = [
      o.seed % 2 === 0
        ? { kind: 'mid-call', method: 'POST', path: /\/preview\/scim\/v2\/Groups$/, nth, label: 'mid SCIM Groups create (saga)' }
        : { kind: 'mid-call', method: 'POST', path: /\/api\/2\.0\/repos$/, nth, label: 'mid Repos create (saga)' },
      { kind: 'mid-call', method: 'POST', path: /\/api\/2\.1\/unity-catalog\/storage-credentials$/, nth, label: 'mid storage credential create (saga)' },
    ];
    const kills = o.kills ?? [...(sagas.length > 0 ? sagaKills : []), ...seededKills(o.seed, pipelines.length, serverRestart, pipelines.some((p) => p.repairs > 0))];
    f.workflows = pipelines.length + sagas.length;
    // Started once the first kill point is armed, so even the very first calls can be crash points. The
    // saga kill points are armed with only the sagas started: the pipelines start at the next point, so the
    // sagas' late creates (a repo or storage comes after its cluster) do not let the pipelines run past theirs.
    let startedSagas = false;
    let startedPipelines = false;
    const startSagas = async () => {
      if (startedSagas) return;
      startedSagas = true;
      for (const g of sagas) {
        await env.client.workflow.start('provisionWorkspace', { taskQueue: env.taskQueue, workflowId: g.workflowId, args: [{ spec: g.spec }] });
      }
      if (sagas.length) log(`started ${sagas.length} sagas`);
    };
    const startAll = async () => {
      await startSagas();
      if (startedPipelines) return;
      startedPipelines = true;
      for (const p of pipelines) {
        await env.client.workflow.start('etlPipeline', { taskQueue: env.taskQueue, workflowId: p.workflowId, args: [{ spec: p.spec }] });
      }
      log(`started ${pipelines.length} pipelines (${pipelines.map((p) => p.kind).join(', ')})`);
    };
    const deadline = started + (o.timeoutMs ?? 15 * 60_000);

    for (const k of kills) {
      const armedAt = Date.now();
      const left = () => Math.max(0, deadline - Date.now());
      let hit = false;
      if (k.kind === 'mid-call') {
        // Hold the response back so the worker is surely dead before it could read it.
        env.emu.faults.add({ action: 'latency', method: k.method, path_regex: k.path.source, latency_ms: 1500, times: 1_000_000 });
        const arrived = callArrives(env, k.method, k.path, k.nth, () => void env.worker.kill());
        await (sagaKills.includes(k) ? startSagas() : startAll());
        hit = await Promise.race([arrived, sleep(Math.min(left(), 240_000), false, { ref: false })]);
        env.emu.faults.clear();
        if (hit) await env.worker.kill();
      } else if (k.kind === 'after-call') {
        const arrived = callArrives(env, k.method, k.path, k.nth);
        await startAll();
        hit = await Promise.race([arrived, sleep(Math.min(left(), 240_000), false, { ref: false })]);
        if (hit) {
          await sleep(k.delayMs);
          await env.worker.kill();
        }
      } else if (k.kind === 'step') {
        await startAll();
        hit = await stepReached(env, pipelines, k.step, Math.min(deadline, Date.now() + 240_000));
        if (hit) await env.worker.kill();
      } else {
        const arrived = callArrives(env, k.afterCall.method, k.afterCall.path, k.afterCall.nth);
        await startAll();
        hit = await Promise.race([arrived, sleep(Math.min(left(), 240_000), false, { ref: false })]);
        if (hit) {
          const running = await runningCount(env, [...pipelines, ...sagas].map((p) => p.workflowId));
          await env.restartServer();
          // Only a restart while workflows are in flight tests resumption.
          if (running > 0) f.crashes++;
          else hit = false;
          log(`dev server SIGKILLed with ${running} workflow(s) running`);
        }
      }
      if (k.kind !== 'server' && hit) f.crashes++;
      log(`${k.label}: ${hit ? `killed after ${((Date.now() - armedAt) / 1000).toFixed(1)} s` : 'point not reached (pipelines already past it)'}`);
      // The worker may also have died with the server; either way bring one back after a seeded pause.
      await sleep(Math.floor(rand() * 1500));
      if (!env.worker.running) await env.worker.start();
    }

    await startAll();
    const all = [...pipelines, ...sagas];
    const outcomes = await awaitOutcomes(env.client, all.map((p) => p.workflowId), Math.max(30_000, deadline - Date.now()));
    const problems = outcomeProblems(all, outcomes);
    f.asExpected = all.length - problems.length;
    const state = await settledState(() => env.emu.snapshot(), pipelines);
    const sagaState = inspectSagas(env.emu.snapshot(), sagas);
    f.apiCalls = env.tap.calls.length; // before the checks' own reads below
    const sagaCatalog = sagas.length ? await inspectSagaCatalog(new DatabricksClient({ host: env.emu.url, token: env.emu.token, env: {} }), env.client, sagas, outcomes) : undefined;
    f.duplicates = state.duplicates.length + sagaState.duplicates.length;
    f.leaks = state.leaks.length + sagaState.leaks.length + (sagaCatalog?.leaks.length ?? 0);
    f.problems.push(...problems, ...state.duplicates, ...state.leaks, ...state.missing, ...sagaState.duplicates, ...sagaState.leaks, ...sagaState.missing, ...(sagaCatalog ? [...sagaCatalog.leaks, ...sagaCatalog.missing] : []));
    if (sagas.length) await deprovisionSagas(env, sagas, outcomes, f, rand, log);
    if (f.crashes === 0) f.problems.push('no crash was injected');
  } finally {
    await env.close();
    f.seconds = (Date.now() - started) / 1000;
  }
  return f;
}

/** A storage credential's DELETE (its name in the path). */
const DELETE_CREDENTIAL = /\/api\/2\.1\/unity-catalog\/storage-credentials\/[^/]+$/;

/**
 * Then the completed sagas are deprovisioned, the worker SIGKILLed while the first one's storage
 * credential DELETE is held (applied, its answer never seen): the retried delete meets 404 and counts
 * as already gone. Every deprovisioning must complete and nothing a saga made may remain.
 */
async function deprovisionSagas(env: ChaosEnv, sagas: PlannedSaga[], outcomes: WorkflowOutcome[], f: ScenarioFigures, rand: () => number, log: (line: string) => void): Promise<void> {
  const done = sagas.filter((g) => outcomes.find((o) => o.workflowId === g.workflowId)?.status === 'COMPLETED');
  if (!done.length) return;
  env.emu.faults.add({ action: 'latency', method: 'DELETE', path_regex: DELETE_CREDENTIAL.source, latency_ms: 1500, times: 1_000_000 });
  const arrived = callArrives(env, 'DELETE', DELETE_CREDENTIAL, env.tap.matching('DELETE', DELETE_CREDENTIAL).length + 1, () => void env.worker.kill());
  const ids: string[] = [];
  for (const g of done) ids.push((await startDeprovisioning(env.client, g.spec, { taskQueue: env.taskQueue, provisionWorkflowId: g.workflowId })).workflowId);
  log(`started deprovisioning ${done.length} saga(s)`);
  const hit = await Promise.race([arrived, sleep(120_000, false, { ref: false })]);
  env.emu.faults.clear();
  if (hit) {
    await env.worker.kill();
    f.crashes++;
  }
  log(`mid storage credential delete (deprovisioning): ${hit ? 'killed' : 'point not reached'}`);
  await sleep(Math.floor(rand() * 1500));
  if (!env.worker.running) await env.worker.start();
  const ended = await awaitOutcomes(env.client, ids, 5 * 60_000);
  f.workflows += ids.length;
  f.asExpected += ended.filter((o) => o.status === 'COMPLETED').length;
  f.problems.push(...ended.filter((o) => o.status !== 'COMPLETED').map((o) => `${o.workflowId} ended ${o.status}${o.message ? `: ${o.message}` : ''}`));
  const state = inspectSagas(env.emu.snapshot(), done, 'deprovisioned');
  const catalog = await inspectSagaCatalog(new DatabricksClient({ host: env.emu.url, token: env.emu.token, env: {} }), env.client, done, ended, 'deprovisioned');
  f.leaks += state.leaks.length + catalog.leaks.length;
  f.problems.push(...state.leaks, ...catalog.leaks);
}
