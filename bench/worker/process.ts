/** Parent side: forks bench/worker/main.ts and reads its RSS/CPU from /proc. Always stop() it. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { settledOrAfter } from '../../src/common/waits.js';
import { procSample, type ProcSample } from '../lib/proc.js';
import type { BenchWorkerConfig, WorkerMessage } from './main.js';

export interface WorkerProcess {
  pid: number;
  bundleMs: number;
  sample(): ProcSample | undefined;
  /** Waiter retry overhead samples (real ms) since the last call; see bench/worker/main.ts. */
  retryOverhead(): Promise<number[]>;
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

export async function startWorkerProcess(config: BenchWorkerConfig, options: { cpuProfileDir?: string } = {}): Promise<WorkerProcess> {
  const execArgv = ['--import', 'tsx', ...(options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [])];
  const child: ChildProcess = fork(MAIN, [], { execArgv, env: { ...process.env, BENCH_WORKER_CONFIG: JSON.stringify(config) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ type: 'stop' });
    const done = await settledOrAfter(exited, 15_000);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  try {
    const ready = await new Promise<Extract<WorkerMessage, { type: 'ready' }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bench worker did not become ready within 120 s')), 120_000);
      child.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          resolve(m);
        } else if (m.type === 'error') {
          clearTimeout(timer);
          reject(new Error(`bench worker failed: ${m.message}`));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`bench worker exited with ${code} before it was ready`));
      });
    });
    const retryOverhead = () =>
      new Promise<number[]>((resolve) => {
        if (!child.connected) return resolve([]);
        const timer = setTimeout(() => resolve([]), 5_000);
        const onMessage = (m: WorkerMessage) => {
          if (m.type !== 'retry-overhead') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(m.samplesMs);
        };
        child.on('message', onMessage);
        child.send({ type: 'retry-overhead' });
      });
    return { pid: ready.pid, bundleMs: ready.bundleMs, sample: () => procSample(ready.pid), retryOverhead, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
