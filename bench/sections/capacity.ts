/**
 * Item 3: how many pipelines one worker holds while they all wait, and its RSS. The worker runs in
 * a child process (its RSS alone is read from /proc); every pipeline sits in waitClusterRunning on a
 * cluster that takes 10 hours. All of them stay in the worker's workflow cache (maxCachedWorkflows ≥
 * the count), the worst case for memory.
 *
 * The workspace clock runs slowly (default 0.05×) and the worker re-times the waiter's delays to it,
 * so each waiter polls about every 20 s to 20 min of real time — the rate of long waits in steady
 * state — instead of every second as freshly started waits do; at 2,000 pipelines that start-up rate
 * would be 2,000 requests/s on two shared cores. Memory does not depend on the poll rate.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { withCleanup } from '../lib/cleanup.js';
import { startBenchEmulator } from '../lib/emulator.js';
import { pipelineSpec } from '../lib/reference.js';
import { mapLimit, round } from '../lib/stats.js';
import { startBenchServer } from '../lib/temporal.js';
import type { Bundles } from '../worker/bundles.js';
import { startWorkerProcess } from '../worker/process.js';

export interface CapacityFigures {
  pipelines: number;
  /** Pipelines seen waiting (open workflows whose cluster has been polled). */
  waiting: number;
  running: number;
  idleRssMiB: number;
  rssMiB: number;
  peakRssMiB: number;
  /** (rss − idle) / waiting. */
  kibPerPipeline: number;
  startSeconds: number;
  holdSeconds: number;
  /** Waiter polls per second while holding (emulator stats). */
  pollsPerSecond: number;
  workerCpuPercentWhileHolding: number;
  speed: number;
  maxCachedWorkflows: number;
  /** What was held: the pipeline, or the engine baseline (bench/workflows minimalWait). */
  workflow: 'etlPipeline' | 'minimalWait';
}

const MiB = 2 ** 20;

export async function capacity(
  ctx: { bundles: Bundles; say: (line: string) => void },
  opts: { pipelines: number; speed: number; seed: number; tuning: { maxConcurrentActivities: number; maxConcurrentWorkflowTasks: number; maxCachedWorkflows: number }; holdSeconds?: number; minimal?: boolean },
): Promise<CapacityFigures> {
  return withCleanup(async (cleanup) => {
    const { client, server } = await startBenchServer(cleanup);
    const be = await startBenchEmulator(cleanup, { speed: opts.speed, seed: opts.seed });
    const taskQueue = `bench-capacity-${Date.now()}`;
    const kind = opts.minimal ? 'noop' : 'etl';
    const worker = await startWorkerProcess({ address: server.address, namespace: server.namespace, taskQueue, kind, bundlePath: await ctx.bundles.path(kind), emulator: { url: be.emu.url, token: be.emu.token }, rescaleWaiters: true, ...opts.tuning });
    cleanup.push('worker', () => worker.stop());
    await sleep(1000);
    const idle = worker.sample();
    const n = opts.pipelines;
    const t0 = performance.now();
    const spec = (i: number) => pipelineSpec({ clusterSeconds: 36_000, runSeconds: 600 }, `cap-${i}`, be.warehouseId);
    await mapLimit(
      Array.from({ length: n }, (_, i) => i),
      32,
      (i) =>
        opts.minimal
          ? client.workflow.start('minimalWait', { taskQueue, workflowId: `bench-cap-min-${i}-${Date.now()}`, args: [] })
          : client.workflow.start('etlPipeline', { taskQueue, workflowId: `bench-cap-${i}-${Date.now()}`, args: [{ spec: spec(i) }] }),
    );
    // The baseline makes no API calls: wait until the server reports every one of them running.
    const countRunning = () => client.workflow.count(`TaskQueue="${taskQueue}" AND ExecutionStatus="Running"`).then((c) => c.count, () => -1);
    // Bounded wait until every pipeline has created its cluster and polled it at least once.
    const deadline = Date.now() + Math.max(120_000, n * 300);
    let polled = 0;
    for (;;) {
      const s = be.emu.stats.snapshot();
      const created = s.calls['POST /api/2.1/clusters/create'] ?? 0;
      polled = s.calls['GET /api/2.1/clusters/get'] ?? 0;
      if (opts.minimal ? (await countRunning()) >= n : created >= n && polled >= n) break;
      if (Date.now() > deadline) break;
      await sleep(500);
    }
    // Every workflow task done (the starts above may still be in the worker's queue for the baseline).
    if (opts.minimal) await sleep(3000);
    const startSeconds = (performance.now() - t0) / 1000;
    ctx.say(`    ${n} started and waiting after ${round(startSeconds)} s; holding …`);
    const holdSeconds = opts.holdSeconds ?? (n >= 500 ? 60 : 5);
    const before = be.emu.stats.snapshot().calls['GET /api/2.1/clusters/get'] ?? 0;
    const cpuBefore = worker.sample()?.cpuSeconds ?? 0;
    let peak = 0;
    for (let i = 0; i < holdSeconds; i++) {
      await sleep(1000);
      peak = Math.max(peak, worker.sample()?.rssBytes ?? 0);
    }
    const end = worker.sample();
    const after = be.emu.stats.snapshot().calls['GET /api/2.1/clusters/get'] ?? 0;
    const running = await countRunning();
    const waiting = opts.minimal ? Math.max(0, running) : Math.min(running < 0 ? n : running, be.emu.stats.snapshot().calls['POST /api/2.1/clusters/create'] ?? 0);
    const idleRss = idle?.rssBytes ?? 0;
    const rss = end?.rssBytes ?? 0;
    return {
      pipelines: n,
      waiting,
      running,
      idleRssMiB: round(idleRss / MiB),
      rssMiB: round(rss / MiB),
      peakRssMiB: round(Math.max(peak, end?.peakRssBytes ?? 0) / MiB),
      kibPerPipeline: round((rss - idleRss) / 1024 / Math.max(1, waiting)),
      startSeconds: round(startSeconds),
      holdSeconds,
      pollsPerSecond: round((after - before) / holdSeconds),
      workerCpuPercentWhileHolding: round((((end?.cpuSeconds ?? 0) - cpuBefore) / holdSeconds) * 100),
      speed: opts.speed,
      maxCachedWorkflows: opts.tuning.maxCachedWorkflows,
      workflow: opts.minimal ? 'minimalWait' : 'etlPipeline',
    };
  });
}
