/** The benchmark report: every figure of issue 10, the machine, and each target met or missed. */
import type { Machine } from '../lib/machine.js';
import type { BenchOptions } from '../lib/options.js';
import { HINTED, PLAIN, type ApiLatencyFigures, type HistoryRow } from '../sections/pipelines.js';
import type { CapacityFigures } from '../sections/capacity.js';
import type { ThroughputFigures } from '../sections/throughput.js';
import type { ClientEmulatorFigures } from '../sections/client-emulator.js';

export interface Target {
  item: number;
  what: string;
  value: number;
  unit: string;
  /** e.g. "≤ 25". */
  target: string;
  met: boolean;
  /** false: shown for comparison next to the judged figure, not a verdict (rendered as "(not judged)"). */
  judged?: boolean;
}

export interface Report {
  version: 1;
  startedAt: string;
  finishedAt?: string;
  quick: boolean;
  machine: Machine;
  /** git commit measured (see bench/lib/machine.ts revision()). */
  revision?: string;
  options: BenchOptions;
  apiLatency?: ApiLatencyFigures;
  history?: HistoryRow[];
  /** One run per workflow-cache size. */
  capacity?: CapacityFigures[];
  throughput?: ThroughputFigures;
  clientEmulator?: ClientEmulatorFigures;
  targets: Target[];
}

const atMost = (item: number, what: string, value: number, unit: string, limit: number): Target => ({ item, what, value, unit, target: `≤ ${limit.toLocaleString('en-US')}`, met: value <= limit });
const atLeast = (item: number, what: string, value: number, unit: string, limit: number): Target => ({ item, what, value, unit, target: `≥ ${limit.toLocaleString('en-US')}`, met: value >= limit });

/** Item 4's targets: pipelines per second, and pipelines per second over the no-op chain's. */
export const THROUGHPUT_TARGET = { perSecond: 20, ratio: 0.8 } as const;

export function targetsOf(r: Report): Target[] {
  const t: Target[] = [];
  // Item 1 is judged on the variant with hints + webhook (what a user who knows the pipeline writes);
  // the defaults are shown next to it. Reports from before the hinted variant judge the plain one.
  const variants = r.apiLatency?.variants ?? [];
  const hinted = variants.find((v) => v.name === HINTED);
  const plain = variants.find((v) => v.name === PLAIN);
  for (const [v, label] of [
    [hinted, ' (hints + webhook)'],
    [plain, hinted ? ' (defaults, shown only)' : ''],
  ] as const) {
    if (!v) continue;
    const shownOnly = hinted !== undefined && v === plain;
    const calls = atMost(1, `API calls per reference pipeline${label}`, v.callsPerPipeline, 'calls', 25);
    const p95 = atMost(1, `detection latency p95${label}`, v.latency.p95, 's', 10);
    t.push(shownOnly ? { ...calls, judged: false } : calls, shownOnly ? { ...p95, judged: false } : p95);
  }
  for (const h of r.history ?? []) {
    t.push(atMost(2, `history events, waits of ${duration(h.waitSeconds)}`, h.events, 'events', 60));
    t.push(atMost(2, `history size, waits of ${duration(h.waitSeconds)}`, Math.round((h.bytes / 1024) * 10) / 10, 'KiB', 64));
  }
  for (const c of (r.capacity ?? []).filter((x) => x.workflow !== 'minimalWait')) {
    const cache = c.maxCachedWorkflows >= c.pipelines ? 'all cached' : `cache ${c.maxCachedWorkflows}`;
    t.push(atLeast(3, `in-flight waiting pipelines on one worker (${cache})`, c.waiting, 'pipelines', 2000));
    t.push(atMost(3, `worker RSS holding them (${cache})`, c.rssMiB, 'MiB', 1024));
  }
  if (r.throughput) {
    t.push(atLeast(4, 'pipelines/s with instant timings', r.throughput.pipeline.perSecond, '/s', THROUGHPUT_TARGET.perSecond));
    t.push(atLeast(4, 'pipelines/s ÷ no-op chain/s (same run)', r.throughput.ratio, '×', THROUGHPUT_TARGET.ratio));
  }
  const c = r.clientEmulator;
  if (c?.client) t.push(atLeast(5, 'DatabricksClient ÷ raw undici req/s', c.client.ratio, '×', 0.8));
  const runsGet = c?.emulator?.find((e) => e.endpoint.includes('runs/get'));
  if (runsGet) t.push(atLeast(5, 'emulator runs/get req/s', runsGet.perSecond, 'req/s', 5000));
  return t;
}

export function duration(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
