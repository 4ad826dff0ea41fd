/**
 * Item 4: completed pipelines per second with instant emulator timings, next to the engine's own
 * ceiling on the same server in the same run: a workflow chaining as many no-op activities as one
 * pipeline schedules (bench/workflows). Each kind has its own worker child (same tuning) and the
 * two kinds run in alternating rounds, never at the same time; per-process CPU time (/proc) says
 * where the time goes, and --profile adds a V8 CPU profile of the pipeline worker by area.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { withCleanup } from '../lib/cleanup.js';
import { startBenchEmulator } from '../lib/emulator.js';
import { historyFigures } from '../lib/history.js';
import { cpuMeter } from '../lib/proc.js';
import { pipelineSpec } from '../lib/reference.js';
import { mapLimit, ratePerSecond, rateRatio, round } from '../lib/stats.js';
import { startBenchServer, TUNED_SERVER_ENV } from '../lib/temporal.js';
import type { Bundles } from '../worker/bundles.js';
import { startWorkerProcess } from '../worker/process.js';
import { summariseProfile, topFunctions, type CpuProfile, type ProfileArea } from '../report/profile.js';
import { resolveGrpcCompression } from '../../src/worker/grpc-compression.js';

export interface PhaseFigures {
  name: string;
  completed: number;
  failed: number;
  seconds: number;
  perSecond: number;
  /** CPU seconds per process during the phase, and as % of the phase's wall time × cores. */
  cpuSeconds: Record<string, number>;
  cpuPercentOfMachine: Record<string, number>;
  /** API calls per pipeline (emulator stats); 0 for the no-op chain. */
  callsPerItem: number;
}

export interface ThroughputFigures {
  pipelines: number;
  activitiesPerPipeline: number;
  /** Local activities per pipeline (markers in its history); the ceiling chains as many. */
  localActivitiesPerPipeline?: number;
  /** All rounds together. */
  pipeline: PhaseFigures;
  ceiling: PhaseFigures;
  ratio: number;
  /** Each round's pipelines/s and no-op chains/s, measured back to back (absent in reports before rounds existed). */
  rounds?: { pipelinesPerSecond: number; ceilingPerSecond: number; ratio: number }[];
  /** The pipeline run again on a fresh dev server with default settings (same worker tuning). */
  untunedServer?: PhaseFigures;
  /**
   * The same on a fresh tuned server, right after: with `untunedServer`, what the server tuning buys. (The
   * rounds ran on a server already holding every earlier workflow, and a dev server slows as they pile up,
   * so they are no fair match for a fresh one. Absent in reports before 26 November 2026.)
   */
  tunedFreshServer?: PhaseFigures;
  profile?: ProfileArea[];
  /** Functions with the most self time in that profile. */
  profileTop?: ProfileArea[];
  tuning: Record<string, number | string>;
  /** Workflows of each kind run before the measured rounds (absent in older reports: 4). */
  warmUp?: number;
}

const STARTS_IN_FLIGHT = 64;

/** Warm-up workflows per kind: a quarter of one round, at least 4, at most 50. */
export function warmUpCount(pipelines: number, rounds: number): number {
  return Math.max(4, Math.min(50, Math.round(pipelines / Math.max(1, rounds) / 4)));
}

/** Starts `n` workflows, `STARTS_IN_FLIGHT` at a time, waits for each to finish, and returns their ids (warm-ups, the profiled run). */
async function runToCompletion(n: number, start: (i: number) => Promise<{ workflowId: string; result(): Promise<unknown> }>): Promise<string[]> {
  return mapLimit(Array.from({ length: n }, (_, i) => i), STARTS_IN_FLIGHT, async (i) => {
    const h = await start(i);
    await h.result();
    return h.workflowId;
  });
}

/** "message ← cause ← cause" of a WorkflowFailedError, so a failure says what really failed. */
export function causeChain(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 6; e = (e as { cause?: unknown }).cause, depth++) parts.push(e.message);
  return parts.join(' ← ') || String(err);
}

async function phase(name: string, client: Client, n: number, start: (i: number) => Promise<{ result(): Promise<unknown> }>, pids: Record<string, number | undefined>, calls: () => number): Promise<PhaseFigures> {
  const callsBefore = calls();
  const meter = cpuMeter(pids);
  const t0 = performance.now();
  let failed = 0;
  await mapLimit(
    Array.from({ length: n }, (_, i) => i),
    STARTS_IN_FLIGHT,
    async (i) => {
      const h = await start(i);
      await h.result().catch((err: unknown) => {
        failed++;
        if (failed <= 3) process.stderr.write(`  ${name} ${i} failed: ${causeChain(err)}\n`);
      });
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = meter();
  const cores = cpus().length;
  void client;
  return {
    name,
    completed: n - failed,
    failed,
    seconds: round(seconds, 2),
    perSecond: round(ratePerSecond({ completed: n - failed, seconds }), 1),
    cpuSeconds: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v, 2)])),
    cpuPercentOfMachine: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round((v / (seconds * cores)) * 100)])),
    callsPerItem: round((calls() - callsBefore) / Math.max(1, n), 1),
  };
}

/** Several rounds of one kind as one phase: counts, seconds and CPU add up; rates follow from them. */
export function combinePhases(rounds: PhaseFigures[], cores: number): PhaseFigures {
  const first = rounds[0]!;
  const completed = rounds.reduce((n, p) => n + p.completed, 0);
  const failed = rounds.reduce((n, p) => n + p.failed, 0);
  const seconds = rounds.reduce((n, p) => n + p.seconds, 0);
  const cpuSeconds = Object.fromEntries(Object.keys(first.cpuSeconds).map((k) => [k, round(rounds.reduce((n, p) => n + (p.cpuSeconds[k] ?? 0), 0), 2)]));
  const items = completed + failed;
  return {
    name: first.name,
    completed,
    failed,
    seconds: round(seconds, 2),
    perSecond: round(ratePerSecond({ completed, seconds }), 1),
    cpuSeconds,
    cpuPercentOfMachine: Object.fromEntries(Object.entries(cpuSeconds).map(([k, v]) => [k, round((v / Math.max(0.001, seconds * cores)) * 100)])),
    callsPerItem: round(rounds.reduce((n, p) => n + p.callsPerItem * (p.completed + p.failed), 0) / Math.max(1, items), 1),
  };
}

export async function throughput(
  ctx: { bundles: Bundles; say: (line: string) => void },
  opts: { pipelines: number; rounds?: number; seed: number; profile: boolean; compareUntuned?: boolean; tuning: { maxConcurrentActivities: number; maxConcurrentWorkflowTasks: number; maxCachedWorkflows: number } },
): Promise<ThroughputFigures> {
  return withCleanup(async (cleanup) => {
    const { client, server } = await startBenchServer(cleanup);
    const be = await startBenchEmulator(cleanup, { speed: Infinity, seed: opts.seed });
    const stamp = Date.now();
    // BENCH_PROFILE_DIR keeps the raw .cpuprofile files (open them in Chrome DevTools) instead of a temp dir.
    const keptDir = process.env.BENCH_PROFILE_DIR;
    const profileDir = opts.profile ? (keptDir ? (mkdirSync(keptDir, { recursive: true }), keptDir) : mkdtempSync(join(tmpdir(), 'durabricks-bench-prof-'))) : undefined;
    if (profileDir && !keptDir) cleanup.push('profile dir', async () => rmSync(profileDir, { recursive: true, force: true }));

    // Both workers live for the whole section; the phases alternate (pipelines, no-op chains, no-op
    // chains, pipelines, …) so a slow spell of this shared machine hits both sides of the ratio alike.
    const etlQueue = `bench-tp-etl-${stamp}`;
    const etlConfig = { address: server.address, namespace: server.namespace, kind: 'etl' as const, bundlePath: await ctx.bundles.path('etl'), emulator: { url: be.emu.url, token: be.emu.token }, ...opts.tuning };
    const etl = await startWorkerProcess({ ...etlConfig, taskQueue: etlQueue });
    cleanup.push('etl worker', () => etl.stop());
    const noopQueue = `bench-tp-noop-${stamp}`;
    const noop = await startWorkerProcess({ address: server.address, namespace: server.namespace, taskQueue: noopQueue, kind: 'noop', bundlePath: await ctx.bundles.path('noop'), ...opts.tuning });
    cleanup.push('noop worker', () => noop.stop());
    const spec = (i: number) => pipelineSpec({ clusterSeconds: 0, runSeconds: 0 }, `tp-${i}`, be.warehouseId);
    const startEtl = (i: number) => client.workflow.start('etlPipeline', { taskQueue: etlQueue, workflowId: `bench-tp-etl-${stamp}-${i}`, args: [{ spec: spec(i) }] });
    // Warm-up (JIT, connections, DuckDB) and the activity count the ceiling chains. A few workflows
    // leave most of either worker's code unoptimised, which weighs on the heavier pipeline more: both
    // kinds first run a quarter of a round's count (up to 50) at the measured concurrency.
    const warmUp = warmUpCount(opts.pipelines, opts.rounds ?? 1);
    const warm = await runToCompletion(warmUp, (i) => client.workflow.start('etlPipeline', { taskQueue: etlQueue, workflowId: `bench-tp-warm-${stamp}-${i}`, args: [{ spec: spec(-1 - i) }] }));
    const warmHistory = await historyFigures(client, warm[0]!);
    const activities = warmHistory.scheduled.length;
    const localActivities = warmHistory.localActivities;
    const startNoop = (i: number) => client.workflow.start('noopChain', { taskQueue: noopQueue, workflowId: `bench-tp-noop-${stamp}-${i}`, args: [activities, localActivities] });
    await runToCompletion(warmUp, (i) => client.workflow.start('noopChain', { taskQueue: noopQueue, workflowId: `bench-tp-noop-warm-${stamp}-${i}`, args: [activities, localActivities] }));
    const self = process.pid;
    const calls = () => be.emu.stats.snapshot().total;
    const rounds = Math.max(1, Math.min(opts.rounds ?? 1, opts.pipelines));
    const pipelineRounds: PhaseFigures[] = [];
    const ceilingRounds: PhaseFigures[] = [];
    for (let r = 0, done = 0; r < rounds; r++) {
      const n = Math.round((opts.pipelines * (r + 1)) / rounds) - done;
      const offset = done;
      done += n;
      const pipelinesRound = () => phase('pipelines', client, n, (i) => startEtl(offset + i), { server: server.pid, worker: etl.pid, 'bench + emulator': self }, calls);
      const ceilingRound = () => phase('no-op chain', client, n, (i) => startNoop(offset + i), { server: server.pid, worker: noop.pid, 'bench + emulator': self }, () => 0);
      // ABBA order (r from 0: pipelines first in even r, no-op chains first in odd r): the dev server
      // slows as completed workflows pile up in its database, and this cancels that drift between the two.
      if (r % 2 === 0) {
        pipelineRounds.push(await pipelinesRound());
        ceilingRounds.push(await ceilingRound());
      } else {
        ceilingRounds.push(await ceilingRound());
        pipelineRounds.push(await pipelinesRound());
      }
      ctx.say(`    round ${r + 1}/${rounds}: pipelines ${pipelineRounds[r]!.perSecond}/s, no-op chain ${ceilingRounds[r]!.perSecond}/s`);
    }
    const pipeline = combinePhases(pipelineRounds, cpus().length);
    const ceiling = combinePhases(ceilingRounds, cpus().length);
    ctx.say(`    pipelines: ${pipeline.perSecond}/s (${pipeline.completed} in ${pipeline.seconds} s, ${pipeline.failed} failed)`);
    ctx.say(`    ceiling (${activities} no-op activities + ${localActivities} local, chained): ${ceiling.perSecond}/s`);
    await Promise.all([etl.stop(), noop.stop()]);
    let profile: ProfileArea[] | undefined;
    let profileTop: ProfileArea[] | undefined;
    if (profileDir) {
      // The profiler slows what it watches, so the measured rounds ran without it: a separate
      // profiled worker runs the warm-up and one round's worth of pipelines, only to say where the time goes.
      const profQueue = `bench-tp-prof-${stamp}`;
      const profiled = await startWorkerProcess({ ...etlConfig, taskQueue: profQueue }, { cpuProfileDir: profileDir });
      cleanup.push('profiled etl worker', () => profiled.stop());
      const n = warmUp + Math.round(opts.pipelines / rounds);
      await runToCompletion(n, (i) => client.workflow.start('etlPipeline', { taskQueue: profQueue, workflowId: `bench-tp-prof-${stamp}-${i}`, args: [{ spec: spec(i) }] }));
      await profiled.stop();
      // CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile: thread 0 is the main thread, the others run workflows.
      const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
      const profiles = files.map((f) => ({ profile: JSON.parse(readFileSync(join(profileDir, f), 'utf8')) as CpuProfile, thread: f.split('.')[4] === '0' ? 'main thread' : 'workflow threads' }));
      if (profiles.length > 0) {
        profile = summariseProfile(profiles);
        profileTop = topFunctions(profiles);
      }
    }

    let untunedServer: PhaseFigures | undefined;
    let tunedFreshServer: PhaseFigures | undefined;
    if (opts.compareUntuned) {
      // Both on fresh servers, one after the other, so neither carries the rounds' completed workflows.
      const freshServer = (tuned: boolean) =>
        withCleanup(async (c2) => {
          const fresh = await startBenchServer(c2, { tuned });
          const label = tuned ? 'tuned' : 'untuned';
          const queue = `bench-tp-${label}-${stamp}`;
          const w = await startWorkerProcess({ ...etlConfig, address: fresh.server.address, namespace: fresh.server.namespace, taskQueue: queue });
          c2.push(`${label} etl worker`, () => w.stop());
          const startFresh = (i: number) => fresh.client.workflow.start('etlPipeline', { taskQueue: queue, workflowId: `bench-tp-${label}-${stamp}-${i}`, args: [{ spec: spec(i) }] });
          await runToCompletion(warmUp, (i) => fresh.client.workflow.start('etlPipeline', { taskQueue: queue, workflowId: `bench-tp-${label}-warm-${stamp}-${i}`, args: [{ spec: spec(-1 - i) }] }));
          return phase(tuned ? 'pipelines, fresh tuned dev server' : 'pipelines, fresh default dev server', fresh.client, opts.pipelines, startFresh, { server: fresh.server.pid, worker: w.pid, 'bench + emulator': self }, calls);
        });
      untunedServer = await freshServer(false);
      tunedFreshServer = await freshServer(true);
      ctx.say(`    same pipelines on fresh dev servers: ${untunedServer.perSecond}/s with default settings, ${tunedFreshServer.perSecond}/s tuned`);
    }
    return {
      pipelines: opts.pipelines,
      activitiesPerPipeline: activities,
      localActivitiesPerPipeline: localActivities,
      pipeline,
      ceiling,
      ratio: rateRatio(pipeline, ceiling),
      rounds: pipelineRounds.map((p, i) => ({ pipelinesPerSecond: p.perSecond, ceilingPerSecond: ceilingRounds[i]!.perSecond, ratio: rateRatio(p, ceilingRounds[i]!) })),
      ...(profile ? { profile } : {}),
      ...(profileTop ? { profileTop } : {}),
      ...(untunedServer ? { untunedServer } : {}),
      ...(tunedFreshServer ? { tunedFreshServer } : {}),
      warmUp,
      tuning: { ...opts.tuning, startsInFlight: STARTS_IN_FLIGHT, grpcCompression: `${resolveGrpcCompression('auto', server.address)} (DURABRICKS_GRPC_COMPRESSION=auto)`, server: `in-memory SQLite, journal_mode=memory, synchronous=off, 1 task-queue partition, GOGC=${TUNED_SERVER_ENV.GOGC}` },
    };
  });
}
