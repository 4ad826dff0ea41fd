/** Command-line options of `npm run bench`; --quick picks small counts for a short run. */
import { parseArgs } from 'node:util';

export const SECTIONS = ['pipelines', 'history', 'capacity', 'throughput', 'client-emulator'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  quick: boolean;
  sections: Section[];
  /** Item 1: pipelines per variant, emulator speed, spread of phase offsets (virtual s). */
  pipelines: number;
  speed: number;
  phaseSpreadSeconds: number;
  /** Item 2: the waits (virtual s) and the clock speed for each. */
  historyWaits: { waitSeconds: number; speed: number }[];
  /** Item 3: in-flight pipelines for the capacity run, and the clock speed while they wait. */
  capacity: number;
  capacitySpeed: number;
  /** Worker workflow-cache sizes to hold them with (one capacity run each); ≥ capacity = all cached. */
  capacityCaches: number[];
  /** Item 4: pipelines (and noop chains) per throughput run. */
  throughput: number;
  /** Item 5: seconds per measurement of the reused scripts. */
  clientSeconds: number;
  /** CPU profile of the worker during the throughput run (--cpu-prof). */
  profile: boolean;
  /** Write docs/benchmarks.md and docs/benchmarks.svg. */
  write: boolean;
  /** Also write the report as JSON here. */
  json?: string;
  seed: number;
}

const FULL: Omit<BenchOptions, 'quick' | 'sections' | 'write' | 'json' | 'profile'> = {
  pipelines: 20,
  speed: 10,
  phaseSpreadSeconds: 30,
  historyWaits: [
    { waitSeconds: 60, speed: 30 },
    { waitSeconds: 36_000, speed: 3_600 },
  ],
  capacity: 2_000,
  capacitySpeed: 0.05,
  capacityCaches: [2_000, 250],
  // Rounds of 100 (bench.ts), so 8 ABBA rounds: on this shared 2-core VM one round's ratio swings by
  // about ±0.08, which leaves the mean of 8 rounds within about ±0.03 (4 rounds: ±0.04).
  throughput: 800,
  clientSeconds: 3,
  seed: 10,
};

const QUICK: typeof FULL = {
  pipelines: 3,
  speed: 120,
  phaseSpreadSeconds: 30,
  historyWaits: [
    { waitSeconds: 60, speed: 120 },
    { waitSeconds: 36_000, speed: 36_000 },
  ],
  capacity: 20,
  capacitySpeed: 0.05,
  capacityCaches: [20],
  throughput: 10,
  clientSeconds: 1,
  seed: 10,
};

export const USAGE = `npm run bench -- [--quick] [--only pipelines,history,capacity,throughput,client-emulator]
  [--pipelines N] [--speed X] [--capacity N] [--throughput N] [--client-seconds S]
  [--cache N,M] [--profile | --no-profile] [--no-write] [--json FILE]

--quick   small counts (a minute or two).
--quick and --only print only: they rewrite docs/benchmarks.md only when --write is given, and only a
full run (every section, no --quick) is added to bench/results/runs.jsonl.
npm run bench -- --render report.json   rewrites docs/benchmarks.md and .svg from a saved --json report.`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      pipelines: { type: 'string' },
      speed: { type: 'string' },
      capacity: { type: 'string' },
      cache: { type: 'string' },
      throughput: { type: 'string' },
      'client-seconds': { type: 'string' },
      profile: { type: 'boolean', default: false },
      'no-profile': { type: 'boolean', default: false },
      write: { type: 'boolean' },
      'no-write': { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const base = values.quick ? QUICK : FULL;
  const num = (v: string | undefined, fallback: number, name: string, min: number, max: number) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new RangeError(`--${name} must be a number between ${min} and ${max}`);
    return n;
  };
  const sections = values.only ? values.only.split(',').map((s) => s.trim()) : [...SECTIONS];
  for (const s of sections) if (!(SECTIONS as readonly string[]).includes(s)) throw new RangeError(`--only: unknown section "${s}" (one of ${SECTIONS.join(', ')})`);
  return {
    ...base,
    quick: values.quick === true,
    sections: sections as Section[],
    pipelines: Math.floor(num(values.pipelines, base.pipelines, 'pipelines', 1, 500)),
    speed: num(values.speed, base.speed, 'speed', 1, 100_000),
    capacity: Math.floor(num(values.capacity, base.capacity, 'capacity', 1, 20_000)),
    capacityCaches: values.cache !== undefined ? values.cache.split(',').map((c) => Math.floor(num(c, 1, 'cache', 0, 100_000))) : values.capacity !== undefined ? [Math.floor(Number(values.capacity))] : base.capacityCaches,
    throughput: Math.floor(num(values.throughput, base.throughput, 'throughput', 1, 5_000)),
    clientSeconds: num(values['client-seconds'], base.clientSeconds, 'client-seconds', 0.5, 60),
    profile: values.profile === true || (!values.quick && values['no-profile'] !== true),
    write: values['no-write'] ? false : (values.write ?? isFullRun({ quick: values.quick === true, sections: sections as Section[] })),
    ...(values.json ? { json: values.json } : {}),
  };
}

/** Every section, without --quick: the runs docs/benchmarks.md and bench/results/runs.jsonl are made of. */
export function isFullRun(o: Pick<BenchOptions, 'quick' | 'sections'>): boolean {
  return !o.quick && SECTIONS.every((s) => o.sections.includes(s));
}
