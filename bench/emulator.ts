/**
 * Emulator throughput: starts the emulator in this process, then drives GET runs/get and
 * GET clusters/get from a second process over loopback (so load generation does not steal the
 * emulator's event loop) and prints requests/s and latency percentiles.
 *
 *   npm run bench:emulator -- [--seconds 5] [--concurrency 32]
 *
 * Target: ≥ 5,000 req/s for runs/get on a 2-core machine. Both endpoints are warmed up first;
 * figures vary with whatever else runs on the machine.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

interface LoadResult {
  label: string;
  requests: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** Child: hammer one URL with `concurrency` requests in flight for `seconds`. */
async function load(url: string, path: string, token: string, seconds: number, concurrency: number, label: string): Promise<LoadResult> {
  const origin = new URL(url).origin;
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  const warmupEnd = performance.now() + 250;
  const end = warmupEnd + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const res = await pool.request({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } });
      await res.body.text();
      if (res.statusCode !== 200) errors++;
      if (t0 >= warmupEnd) latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await pool.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { label, requests: latencies.length, errors, seconds, p50: pct(50), p99: pct(99), max: latencies[latencies.length - 1] ?? 0 };
}

async function child(): Promise<void> {
  const [url, token, runId, clusterId, seconds, concurrency] = process.argv.slice(3);
  const s = Number(seconds);
  const c = Number(concurrency);
  const runsPath = `/api/2.2/jobs/runs/get?run_id=${runId}`;
  const clustersPath = `/api/2.1/clusters/get?cluster_id=${clusterId}`;
  // Warm both processes' JITs on both endpoints first, so neither measurement pays for it.
  await load(url as string, runsPath, token as string, 1, c, 'warm-up');
  await load(url as string, clustersPath, token as string, 1, c, 'warm-up');
  const results = [
    await load(url as string, runsPath, token as string, s, c, 'GET /api/2.2/jobs/runs/get'),
    await load(url as string, clustersPath, token as string, s, c, 'GET /api/2.1/clusters/get'),
  ];
  process.send?.(results);
}

async function main(): Promise<void> {
  const { startEmulator } = await import('../src/emulator/index.js');
  const seconds = arg('seconds', 5);
  const concurrency = arg('concurrency', 32);
  const emu = await startEmulator({ speed: Infinity, rateLimitPerSecond: 0, seed: 1 });
  try {
    const post = async (path: string, body: unknown) =>
      (await (await fetch(`${emu.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as Record<string, unknown>;
    const cluster = await post('/api/2.1/clusters/create', { cluster_name: 'bench', spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 4 });
    const job = await post('/api/2.2/jobs/create', {
      name: 'bench',
      tasks: [
        { task_key: 'a', notebook_task: { notebook_path: '/bench/a' } },
        { task_key: 'b', depends_on: [{ task_key: 'a' }], spark_python_task: { python_file: '/bench/b.py' } },
        { task_key: 'c', depends_on: [{ task_key: 'b' }], notebook_task: { notebook_path: '/bench/c' } },
      ],
    });
    const run = await post('/api/2.2/jobs/run-now', { job_id: job.job_id });

    const results = await new Promise<LoadResult[]>((resolve, reject) => {
      const proc = fork(fileURLToPath(import.meta.url), ['--load', emu.url, emu.token, String(run.run_id), String(cluster.cluster_id), String(seconds), String(concurrency)], {
        execArgv: ['--import', 'tsx'],
      });
      proc.once('message', (m) => resolve(m as LoadResult[]));
      proc.once('error', reject);
      proc.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load generator exited with ${code}`))));
    });
    const stats = (await (await fetch(`${emu.url}/_emulator/stats`)).json()) as { total: number };
    process.stdout.write(`emulator benchmark: ${seconds} s per endpoint, ${concurrency} requests in flight, load from a second process over loopback\n`);
    for (const r of results) {
      const rps = r.requests / r.seconds;
      process.stdout.write(
        `${r.label.padEnd(30)} ${rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms   max ${r.max.toFixed(1)} ms   errors ${r.errors}${r.label.includes('runs/get') ? (rps >= 5000 ? '   (target ≥ 5,000: met)' : '   (target ≥ 5,000: NOT met)') : ''}\n`,
      );
    }
    process.stdout.write(`emulator counted ${stats.total} API calls\n`);
  } finally {
    await emu.close();
  }
}

if (process.argv[2] === '--load') {
  child().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
