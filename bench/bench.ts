/** Runs the selected sections and returns the report (bench/run.ts prints and writes it). */
import { installRuntime } from '../src/worker/runtime.js';
import { createLogger } from '../src/common/logger.js';
import { withCleanup } from './lib/cleanup.js';
import { machine, revision } from './lib/machine.js';
import type { BenchOptions } from './lib/options.js';
import { startBenchServer } from './lib/temporal.js';
import { Bundles } from './worker/bundles.js';
import { startWorkerProcess } from './worker/process.js';
import { apiCallsAndLatency, historyForWait } from './sections/pipelines.js';
import { startBenchEmulator, type BenchEmulator } from './lib/emulator.js';
import { capacity } from './sections/capacity.js';
import { throughput } from './sections/throughput.js';
import { clientAndEmulator } from './sections/client-emulator.js';
import { targetsOf, type Report } from './report/report.js';

export const WORKER_TUNING = { maxConcurrentActivities: 200, maxConcurrentWorkflowTasks: 40, maxCachedWorkflows: 2_000 };

export async function runBench(options: BenchOptions, say: (line: string) => void): Promise<Report> {
  installRuntime({ logger: createLogger({ name: 'bench', level: 'error' }) });
  const report: Report = { version: 1, startedAt: new Date().toISOString(), quick: options.quick, machine: await machine(), revision: await revision(), options: { ...options }, targets: [] };
  say(`durabricks benchmarks${options.quick ? ' (quick)' : ''} on ${report.machine.cores} cores, ${report.machine.cpuModel}, Node ${report.machine.node}`);
  const has = (s: (typeof options.sections)[number]) => options.sections.includes(s);

  await withCleanup(async (cleanup) => {
    const bundles = new Bundles(cleanup);
    if (has('pipelines') || has('history')) {
      await withCleanup(async (section) => {
        const { client, server } = await startBenchServer(section);
        const ctx = {
          cleanup: section,
          client,
          startWorker: async (be: { emu: { url: string; token: string } }, taskQueue: string) => {
            const w = await startWorkerProcess({ address: server.address, namespace: server.namespace, taskQueue, kind: 'etl', bundlePath: await bundles.path('etl'), emulator: { url: be.emu.url, token: be.emu.token }, rescaleWaiters: true, ...WORKER_TUNING });
            section.push('worker', () => w.stop());
            return w;
          },
        };
        let durabricksEmulator: BenchEmulator;
        let taskQueue: string;
        if (has('pipelines')) {
          say(`[1] reference pipeline (cluster 300 s, run 600 s virtual) × ${options.pipelines} per variant at ${options.speed}× …`);
          const run = await apiCallsAndLatency(ctx, { pipelines: options.pipelines, speed: options.speed, timings: { clusterSeconds: 300, runSeconds: 600 }, phaseSpreadSeconds: options.phaseSpreadSeconds, seed: options.seed });
          report.apiLatency = run.figures;
          durabricksEmulator = run.durabricksEmulator;
          taskQueue = run.taskQueue;
          for (const v of run.figures.variants) say(`    ${v.name.padEnd(16)} ${v.callsPerPipeline} calls/pipeline, latency p50 ${v.latency.p50} s p95 ${v.latency.p95} s (${v.failed} failed, ${v.wallSeconds} s wall)`);
          const o = run.figures.retryOverhead;
          say(`    engine retry overhead p50 ${o.p50Ms} ms, p95 ${o.p95Ms} ms real over ${o.samples} retries`);
        } else {
          durabricksEmulator = await startBenchEmulator(section, { speed: options.speed, seed: options.seed });
          taskQueue = `bench-history-${Date.now()}`;
          await ctx.startWorker(durabricksEmulator, taskQueue);
        }
        if (has('history')) {
          report.history = [];
          for (const h of options.historyWaits) {
            say(`[2] history of a pipeline whose waits last ${h.waitSeconds} s (virtual, at ${h.speed}×) …`);
            const row = await historyForWait({ client }, durabricksEmulator, taskQueue, h.waitSeconds, h.speed);
            report.history.push(row);
            say(`    ${row.events} events, ${row.bytes} bytes, ${row.polls} polls, ${row.wallSeconds} s wall`);
          }
        }
      });
    }
    if (has('capacity')) {
      report.capacity = [];
      for (const cache of options.capacityCaches) {
        say(`[3] capacity: ${options.capacity} waiting pipelines on one worker, workflow cache ${cache} …`);
        const c = await capacity({ bundles, say }, { pipelines: options.capacity, speed: options.capacitySpeed, seed: options.seed, tuning: { ...WORKER_TUNING, maxCachedWorkflows: cache }, holdSeconds: options.quick ? 3 : 20 });
        say(`    ${c.waiting} waiting, worker RSS ${c.rssMiB} MiB (idle ${c.idleRssMiB} MiB, peak ${c.peakRssMiB} MiB), ${c.kibPerPipeline} KiB/pipeline`);
        report.capacity.push(c);
      }
      say(`[3] capacity baseline: ${options.capacity} minimal waiting workflows (bench/workflows minimalWait), all cached …`);
      const base = await capacity({ bundles, say }, { pipelines: options.capacity, speed: options.capacitySpeed, seed: options.seed, tuning: { ...WORKER_TUNING, maxCachedWorkflows: options.capacity }, holdSeconds: options.quick ? 3 : 20, minimal: true });
      say(`    ${base.waiting} waiting, worker RSS ${base.rssMiB} MiB (idle ${base.idleRssMiB} MiB), ${base.kibPerPipeline} KiB/workflow`);
      report.capacity.push(base);
    }
    if (has('throughput')) {
      say(`[4] throughput: ${options.throughput} pipelines with instant timings vs ${options.throughput} no-op chains …`);
      report.throughput = await throughput({ bundles, say }, { pipelines: options.throughput, rounds: options.quick ? 1 : Math.max(1, Math.round(options.throughput / 100)), seed: options.seed, profile: options.profile, compareUntuned: !options.quick, tuning: WORKER_TUNING });
    }
  });
  if (has('client-emulator')) {
    say(`[5] client vs raw undici, emulator req/s (bench/client.ts, bench/emulator.ts) …`);
    report.clientEmulator = await clientAndEmulator({ seconds: options.clientSeconds });
  }
  report.targets = targetsOf(report);
  report.finishedAt = new Date().toISOString();
  return report;
}
