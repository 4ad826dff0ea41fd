/**
 * `npm run bench` — issue 10's benchmarks against a real Temporal dev server and the emulator:
 *   1. API calls + detection latency: durabricks vs a fixed 30 s poll vs an SDK-style backoff waiter
 *   2. history events/bytes for waits of 1 minute and 10 hours
 *   3. capacity: in-flight waiting pipelines on one worker (child process) and its RSS
 *   4. throughput: pipelines/s with instant timings vs a no-op activity chain (the engine's ceiling)
 *   5. client vs raw undici, emulator req/s (bench/client.ts, bench/emulator.ts)
 * Prints every figure with the machine and the same-run baselines, and (full run) writes
 * docs/benchmarks.md + docs/benchmarks.svg. `--quick` is a short version; see bench/lib/options.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isFullRun, parseOptions, USAGE } from './lib/options.js';
import { runBench } from './bench.js';
import { notesOf } from './report/notes.js';
import type { Report } from './report/report.js';
import { renderMarkdown, renderSvg, renderText } from './report/render.js';
import { formatRuns, parseRuns, runRecord, withRun, type RunRecord } from './report/runs.js';

const RESULTS = (name: string) => fileURLToPath(new URL(`./results/${name}`, import.meta.url));
const RUNS_FILE = RESULTS('runs.jsonl');

async function main(): Promise<void> {
  // `--render report.json`: rewrite docs/benchmarks.md and .svg from a saved report, no measuring.
  const render = process.argv.indexOf('--render');
  if (render >= 0) {
    const file = process.argv[render + 1];
    if (!file || file.startsWith('--')) {
      process.stderr.write('--render needs the report to render, e.g. --render bench/results/latest.json\n');
      process.exitCode = 2;
      return;
    }
    const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
    writeDocs(report, readRuns());
    return;
  }
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exit(2);
  }
  // Read before measuring: a damaged runs file stops the run now, not after minutes of measurements.
  const onRecord = options.write ? readRuns() : [];
  const report = await runBench(options, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`\n${renderText(report)}\n`);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  if (options.write) {
    const full = isFullRun(options);
    const runs = full ? withRun(onRecord, runRecord(report)) : onRecord;
    writeDocs(report, runs);
    // The raw figures behind the page, so it can be re-rendered (--render) and checked later.
    writeFileSync(RESULTS('latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    if (full) writeFileSync(RUNS_FILE, formatRuns(runs));
    process.stdout.write(`wrote bench/results/latest.json${full ? ' and added the run to bench/results/runs.jsonl' : ' (not a full run: not added to bench/results/runs.jsonl)'}\n`);
  }
}

function readRuns(): RunRecord[] {
  return existsSync(RUNS_FILE) ? parseRuns(readFileSync(RUNS_FILE, 'utf8'), 'bench/results/runs.jsonl') : [];
}

function writeDocs(report: Report, runs: RunRecord[]): void {
  const docs = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));
  writeFileSync(docs('benchmarks.svg'), renderSvg(report));
  writeFileSync(docs('benchmarks.md'), renderMarkdown(report, notesOf(report), runs));
  process.stdout.write('wrote docs/benchmarks.md and docs/benchmarks.svg\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
