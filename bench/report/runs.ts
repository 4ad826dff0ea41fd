/**
 * Full runs on record: each full run adds one line to bench/results/runs.jsonl, so the page (runRows
 * in render.ts) shows how the host-bound figures (items 4 and 5 measure rates on a shared VM) moved
 * from run to run rather than one run's reading alone.
 */
import { mean, round } from '../lib/stats.js';
import { THROUGHPUT_TARGET, type Report } from './report.js';

export interface RunRecord {
  startedAt: string;
  revision?: string;
  machine: { cores: number; node: string; loadAverage: number; busyAtStart?: number };
  /** Item 4: both kinds' rates, their ratio, and the spread of the per-round ratios. */
  throughput?: { pipelinesPerSecond: number; ceilingPerSecond: number; ratio: number; rounds: number; roundRatios?: [number, number] };
  /** Item 5: the emulator's runs/get requests per second. */
  emulatorRunsGetPerSecond?: number;
  /** Items of the judged targets this run missed (an item appears once per missed target). */
  missed: number[];
}

export function runRecord(r: Report): RunRecord {
  const t = r.throughput;
  const ratios = (t?.rounds ?? []).map((x) => x.ratio);
  const runsGet = r.clientEmulator?.emulator?.find((e) => e.endpoint.includes('runs/get'));
  return {
    startedAt: r.startedAt,
    ...(r.revision ? { revision: r.revision } : {}),
    machine: { cores: r.machine.cores, node: r.machine.node, loadAverage: r.machine.loadAverage, ...(r.machine.busyAtStart !== undefined ? { busyAtStart: r.machine.busyAtStart } : {}) },
    ...(t
      ? {
          throughput: {
            pipelinesPerSecond: t.pipeline.perSecond,
            ceilingPerSecond: t.ceiling.perSecond,
            ratio: t.ratio,
            rounds: ratios.length || 1,
            ...(ratios.length > 1 ? { roundRatios: [Math.min(...ratios), Math.max(...ratios)] as [number, number] } : {}),
          },
        }
      : {}),
    ...(runsGet ? { emulatorRunsGetPerSecond: runsGet.perSecond } : {}),
    missed: r.targets.filter((x) => !x.met && x.judged !== false).map((x) => x.item),
  };
}

/** Parses runs.jsonl; a line that is not a run record is an error naming the line. */
export function parseRuns(text: string, file = 'runs.jsonl'): RunRecord[] {
  const runs: RunRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let run: RunRecord;
    try {
      run = JSON.parse(line) as RunRecord;
    } catch (e) {
      throw new Error(`${file}:${i + 1}: not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (typeof run?.startedAt !== 'string' || !Array.isArray(run.missed) || typeof run.machine?.cores !== 'number') {
      throw new Error(`${file}:${i + 1}: not a run record (startedAt, machine and missed are required)`);
    }
    runs.push(run);
  });
  return runs;
}

/** The runs with `run` added, oldest first; a run already on record (same start) is replaced, not repeated. */
export function withRun(runs: RunRecord[], run: RunRecord): RunRecord[] {
  return [...runs.filter((x) => x.startedAt !== run.startedAt), run].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

export function formatRuns(runs: RunRecord[]): string {
  return runs.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/**
 * Item 4 over the runs on record from `since` (ISO time) on: how many, the mean ratio and its range,
 * and in how many the ratio and the absolute rate targets (THROUGHPUT_TARGET) were met. One run's
 * verdict swings with the host; this says how often the targets hold.
 */
export function throughputRecord(runs: RunRecord[], since: string): { runs: number; meanRatio: number; minRatio: number; maxRatio: number; ratioMet: number; rateMet: number } | undefined {
  const t = runs.filter((r) => r.startedAt >= since).flatMap((r) => (r.throughput ? [r.throughput] : []));
  if (t.length === 0) return undefined;
  const ratios = t.map((x) => x.ratio);
  return {
    runs: t.length,
    meanRatio: round(mean(ratios), 3),
    minRatio: Math.min(...ratios),
    maxRatio: Math.max(...ratios),
    ratioMet: ratios.filter((x) => x >= THROUGHPUT_TARGET.ratio).length,
    rateMet: t.filter((x) => x.pipelinesPerSecond >= THROUGHPUT_TARGET.perSecond).length,
  };
}
