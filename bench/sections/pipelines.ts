/**
 * Items 1 and 2 of issue 10. (1) API calls and detection latency of the reference pipeline for
 * durabricks (the real etlPipeline on a worker) and two polling baselines, side by side in one run,
 * each against its own emulator (same speed, same timings) so the stats API counts each alone.
 * (2) History events and bytes of one pipeline whose two waits last 1 minute and 10 hours.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { startWebhookReceiver } from '../../src/client/webhook-receiver.js';
import type { PipelineResult } from '../../src/workflows/lib/pipeline-types.js';
import { runBaselinePipeline, type WaitStrategy } from '../baselines/pipeline.js';
import { fixedPoll } from '../baselines/fixed-poll.js';
import { sdkBackoff } from '../baselines/sdk-backoff.js';
import type { Cleanup } from '../lib/cleanup.js';
import { startBenchEmulator, type BenchEmulator } from '../lib/emulator.js';
import { historyFigures, type HistoryFigures } from '../lib/history.js';
import { pipelineSpec, type ReferenceTimings, type SpecHints } from '../lib/reference.js';
import { mapLimit, mean, percentile, realToVirtual, round } from '../lib/stats.js';

export interface LatencyFigures {
  /** Virtual seconds from the state change to the poller/workflow noticing it, cluster and run waits together. */
  p50: number;
  p95: number;
  max: number;
  samples: number;
  clusterP50: number;
  runP50: number;
}

export interface VariantFigures {
  name: string;
  description: string;
  pipelines: number;
  failed: number;
  callsPerPipeline: number;
  /** Mean calls per pipeline by `METHOD path`, from the emulator's stats API. */
  callsByEndpoint: Record<string, number>;
  latency: LatencyFigures;
  wallSeconds: number;
  /** Each pipeline's latency samples (virtual s), in pipeline order (phase offset ascending). */
  samples?: Sample[];
}

/** Variant names; the targets of item 1 are judged on HINTED, PLAIN shows the defaults. */
export const HINTED = 'durabricks + hints + webhook';
export const PLAIN = 'durabricks';

export interface ApiLatencyFigures {
  speed: number;
  timings: ReferenceTimings;
  phaseSpreadSeconds: number;
  pipelines: number;
  variants: VariantFigures[];
  /**
   * The hinted variant's run events: notifications the webhook receiver got and turned into signals,
   * and how many run waits a signal ended (the rest were ended by the safety-net poll).
   */
  webhook?: { received: number; signalled: number; unmatched: number; runWaitsEndedBySignal: number; runWaits: number };
  /** History of one of the (plain) durabricks pipelines above. */
  history: { events: number; bytes: number; activities: number };
  /** Activities scheduled by one durabricks pipeline (the throughput ceiling chains as many). */
  activitiesPerPipeline: number;
  /**
   * How late the engine ran waiter retries compared with the nextRetryDelay asked for (real ms), and
   * what that adds to durabricks' latency in virtual seconds at this clock speed.
   */
  retryOverhead: { samples: number; p50Ms: number; p95Ms: number; p50VirtualS: number };
}

export interface HistoryRow {
  waitSeconds: number;
  speed: number;
  events: number;
  bytes: number;
  /** Waiter polls (emulator GETs on the waited resources) the history did not grow with. */
  polls: number;
  wallSeconds: number;
  /** Activities the pipeline scheduled, in order. */
  activities: string[];
  /** Local activities it ran (markers). */
  localActivities?: number;
}

export interface Sample {
  cluster: number;
  run: number;
}

/** Latency samples (virtual s) for one pipeline: the cluster's RUNNING event and the run's end_time vs noticing. */
async function stateChanges(be: BenchEmulator, clusterId: string, runId: number): Promise<{ runningAt: number; endedAt: number }> {
  let runningAt = NaN;
  for await (const e of be.client.clusters.events({ cluster_id: clusterId, event_types: ['RUNNING'], order: 'ASC', limit: 5 })) {
    runningAt = e.timestamp ?? NaN;
    break;
  }
  const run = await be.client.jobs.getRun({ run_id: runId });
  return { runningAt, endedAt: run.end_time ?? NaN };
}

function latencyOf(samples: Sample[]): LatencyFigures {
  const all = samples.flatMap((s) => [s.cluster, s.run]).filter((x) => Number.isFinite(x));
  return {
    p50: round(percentile(all, 50)),
    p95: round(percentile(all, 95)),
    max: round(Math.max(0, ...all)),
    samples: all.length,
    clusterP50: round(percentile(samples.map((s) => s.cluster), 50)),
    runP50: round(percentile(samples.map((s) => s.run), 50)),
  };
}

function perPipeline(calls: Record<string, number>, n: number): Record<string, number> {
  return Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, round(v / Math.max(1, n), 1)]));
}

/** Timings of pipeline i: the reference durations plus a phase offset spread evenly over [0, spread). */
function timingsOf(base: ReferenceTimings, i: number, n: number, spread: number): ReferenceTimings {
  const offset = (spread * i) / Math.max(1, n);
  return { clusterSeconds: base.clusterSeconds + offset, runSeconds: base.runSeconds + offset };
}

async function runDurabricks(client: Client, taskQueue: string, be: BenchEmulator, n: number, base: ReferenceTimings, spread: number, tag: string, hints?: SpecHints) {
  const toVirtual = realToVirtual(be.emu.clock);
  const t0 = performance.now();
  const ids = Array.from({ length: n }, (_, i) => `bench-${tag}-${i}-${Date.now()}`);
  const results = await mapLimit(ids, 50, async (workflowId, i) => {
    const handle = await client.workflow.start('etlPipeline', { taskQueue, workflowId, args: [{ spec: pipelineSpec(timingsOf(base, i, n, spread), `bench-${tag}-${i}`, be.warehouseId, hints) }] });
    return handle.result().then(
      (r) => r as PipelineResult,
      (err: unknown) => {
        process.stderr.write(`  durabricks pipeline ${workflowId} failed: ${err instanceof Error ? err.message : String(err)}\n`);
        return undefined;
      },
    );
  });
  const wallSeconds = (performance.now() - t0) / 1000;
  const stats = be.emu.stats.snapshot();
  const samples: Sample[] = [];
  let history: HistoryFigures | undefined;
  let endedBySignal = 0;
  for (const [i, r] of results.entries()) {
    if (!r?.cluster) continue;
    const h = await historyFigures(client, ids[i]!);
    history ??= h;
    const { runningAt, endedAt } = await stateChanges(be, r.cluster.id, r.run.runId);
    const clusterSeen = h.completed.waitClusterRunning?.[0];
    // The workflow learns the run ended from whichever comes first: its waiter completing, or a runEvent
    // signal carrying an end event (the wait is then cancelled; the signal's history event is the moment).
    const polled = h.completed.waitRunTerminated?.[0];
    const signalled = h.signaled.find((x) => x.name === 'runEvent' && x.event !== undefined && x.event !== 'run.started')?.at;
    const runSeen = polled !== undefined && (signalled === undefined || polled <= signalled) ? polled : signalled;
    if (runSeen !== undefined && runSeen === signalled) endedBySignal++;
    samples.push({
      cluster: clusterSeen !== undefined ? (toVirtual(clusterSeen) - runningAt) / 1000 : NaN,
      run: runSeen !== undefined ? (toVirtual(runSeen) - endedAt) / 1000 : NaN,
    });
  }
  return { results, stats, samples, wallSeconds, history, endedBySignal };
}

async function runBaseline(be: BenchEmulator, strategy: WaitStrategy, n: number, base: ReferenceTimings, spread: number, tag: string, seed: number) {
  let state = seed;
  // Deterministic jitter (mulberry32) so a rerun draws the same numbers.
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      runBaselinePipeline({ client: be.client, clock: be.emu.clock, strategy, timings: timingsOf(base, i, n, spread), name: `${tag}-${i}`, warehouseId: be.warehouseId, random }).catch((err: unknown) => {
        process.stderr.write(`  ${tag} pipeline ${i} failed: ${err instanceof Error ? err.message : String(err)}\n`);
        return undefined;
      }),
    ),
  );
  const wallSeconds = (performance.now() - t0) / 1000;
  const stats = be.emu.stats.snapshot();
  const samples: Sample[] = [];
  for (const r of results) {
    if (!r) continue;
    const { runningAt, endedAt } = await stateChanges(be, r.clusterId, r.runId);
    samples.push({ cluster: (r.clusterNoticedAt - runningAt) / 1000, run: (r.runNoticedAt - endedAt) / 1000 });
  }
  return { results, stats, samples, wallSeconds };
}

export interface PipelinesContext {
  cleanup: Cleanup;
  client: Client;
  /** Starts the durabricks worker against an emulator; resolves when it polls. */
  startWorker(emulator: BenchEmulator, taskQueue: string): Promise<{ retryOverhead(): Promise<number[]> }>;
}

/** The notification destination id the hinted variant's spec names; the emulator maps it to the receiver's URL. */
const WEBHOOK_DESTINATION = 'durabricks-webhook';

export async function apiCallsAndLatency(ctx: PipelinesContext, opts: { pipelines: number; speed: number; timings: ReferenceTimings; phaseSpreadSeconds: number; seed: number }): Promise<{ figures: ApiLatencyFigures; durabricksEmulator: BenchEmulator; taskQueue: string }> {
  const { pipelines: n, speed, timings, phaseSpreadSeconds: spread } = opts;
  const [hinted, dbx, fixed, sdk] = await Promise.all([4, 1, 2, 3].map((k) => startBenchEmulator(ctx.cleanup, { speed, seed: opts.seed + k })));
  const stamp = Date.now();
  const taskQueue = `bench-pipelines-${stamp}`;
  const hintedQueue = `bench-pipelines-hinted-${stamp}`;
  const [worker, hintedWorker] = await Promise.all([ctx.startWorker(dbx!, taskQueue), ctx.startWorker(hinted!, hintedQueue)]);
  // The product's webhook receiver (as `durabricks worker` runs it with DURABRICKS_WEBHOOK_PORT), fed by
  // the hinted emulator's notification destination: the run's end events, in Databricks' webhook shape.
  const receiver = await startWebhookReceiver({ client: ctx.client, log: (line) => process.stderr.write(`  ${line}\n`) });
  ctx.cleanup.push('webhook receiver', () => receiver.close());
  const configured = await fetch(`${hinted!.emu.url}/_emulator/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ destinations: { [WEBHOOK_DESTINATION]: receiver.url } }) });
  if (!configured.ok) throw new Error(`emulator notifications: HTTP ${configured.status}`);
  for (const be of [hinted!, dbx!, fixed!, sdk!]) be.emu.stats.reset();
  const hints: SpecHints = { expected: timings, webhookDestination: WEBHOOK_DESTINATION };
  const [h, d, f, s] = await Promise.all([
    runDurabricks(ctx.client, hintedQueue, hinted!, n, timings, spread, 'hinted', hints),
    runDurabricks(ctx.client, taskQueue, dbx!, n, timings, spread, 'dbx'),
    runBaseline(fixed!, fixedPoll(30), n, timings, spread, 'fixed30', opts.seed),
    runBaseline(sdk!, sdkBackoff(10), n, timings, spread, 'sdk', opts.seed),
  ]);
  const variant = (name: string, description: string, r: { results: unknown[]; stats: { total: number; calls: Record<string, number> }; samples: Sample[]; wallSeconds: number }): VariantFigures => ({
    name,
    description,
    pipelines: n,
    failed: r.results.filter((x) => x === undefined).length,
    callsPerPipeline: round(r.stats.total / n, 1),
    callsByEndpoint: perPipeline(r.stats.calls, n),
    latency: latencyOf(r.samples),
    wallSeconds: round(r.wallSeconds, 1),
    samples: r.samples.map((x) => ({ cluster: round(x.cluster), run: round(x.run) })),
  });
  const history = d.history;
  const overhead = [...(await worker.retryOverhead()), ...(await hintedWorker.retryOverhead())];
  return {
    figures: {
      speed,
      timings,
      phaseSpreadSeconds: spread,
      pipelines: n,
      variants: [
        variant(HINTED, `etlPipeline with the spec's expected durations (cluster_start ${timings.clusterSeconds} s, run ${timings.runSeconds} s: the reference's typical durations) and run_events: webhook (the run's end events reach the webhook receiver, which signals the pipeline; the run waiter polls only as a 5-minute safety net)`, h),
        variant(PLAIN, 'etlPipeline with the defaults (no hints, no webhook): waiter activities retried with the adaptive delay (~10% of the time waited, 1–60 s)', d),
        variant('fixed 30 s poll', 'Airflow operator style: poll every 30 s', f),
        variant('SDK backoff', 'official SDK waiter style: attempt n waits min(n, 10) s + up to 1 s jitter', s),
      ],
      webhook: { ...receiver.stats, runWaitsEndedBySignal: h.endedBySignal, runWaits: h.samples.length },
      history: { events: history?.events ?? 0, bytes: history?.bytes ?? 0, activities: history?.scheduled.length ?? 0 },
      activitiesPerPipeline: history?.scheduled.length ?? 0,
      retryOverhead: { samples: overhead.length, p50Ms: round(percentile(overhead, 50)), p95Ms: round(percentile(overhead, 95)), p50VirtualS: round((percentile(overhead, 50) * speed) / 1000) },
    },
    durabricksEmulator: dbx!,
    taskQueue,
  };
}

/**
 * One pipeline whose cluster start and job run each last `waitSeconds` (virtual); the clock runs at
 * `speed` (the worker re-times its waiter delays to virtual time, so the poll count is the real one).
 */
export async function historyForWait(ctx: { client: Client }, be: BenchEmulator, taskQueue: string, waitSeconds: number, speed: number): Promise<HistoryRow> {
  // Once the run has ended the clock goes back to 1× (the emulator's run notification tells us), so
  // the follow-up statement's 30 s synchronous wait is not squeezed into a fraction of a millisecond.
  const setSpeed = (x: number) => fetch(`${be.emu.url}/_emulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ speed: x }) }).then((r) => r.body?.cancel());
  const listener = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.end();
      try {
        if ((JSON.parse(body) as { event?: string }).event !== 'run.started') void setSpeed(1).catch(() => {});
      } catch {
        // not a notification
      }
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const notifications = (urls: string[]) => fetch(`${be.emu.url}/_emulator/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ urls }) }).then((r) => r.body?.cancel());
  try {
    await notifications([`http://127.0.0.1:${(listener.address() as AddressInfo).port}/`]);
    await setSpeed(speed);
    return await historyRun(ctx, be, taskQueue, waitSeconds, speed);
  } finally {
    await notifications([]).catch(() => {});
    listener.closeAllConnections();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  }
}

async function historyRun(ctx: { client: Client }, be: BenchEmulator, taskQueue: string, waitSeconds: number, speed: number): Promise<HistoryRow> {
  be.emu.stats.reset();
  const workflowId = `bench-history-${waitSeconds}-${Date.now()}`;
  const t0 = performance.now();
  const spec = pipelineSpec({ clusterSeconds: waitSeconds, runSeconds: waitSeconds }, `bench-history-${waitSeconds}`, be.warehouseId);
  await ctx.client.workflow.execute('etlPipeline', { taskQueue, workflowId, args: [{ spec }] });
  const wallSeconds = (performance.now() - t0) / 1000;
  const stats = be.emu.stats.snapshot();
  const polls = (stats.calls['GET /api/2.1/clusters/get'] ?? 0) + (stats.calls['GET /api/2.2/jobs/runs/get'] ?? stats.calls['GET /api/2.1/jobs/runs/get'] ?? 0);
  const h = await historyFigures(ctx.client, workflowId);
  return { waitSeconds, speed, events: h.events, bytes: h.bytes, polls, wallSeconds: round(wallSeconds, 1), activities: h.scheduled, localActivities: h.localActivities };
}

export const meanOf = mean;
