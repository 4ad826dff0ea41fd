/**
 * The durabricks worker as a CHILD process (`bin/durabricks.js worker`) so crash scenarios can
 * SIGKILL it exactly as an OOM-killer or a node failure would, then start a fresh one.
 * Its stdout/stderr go to a log file the secrets scenario searches afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { settledOrAfter } from '../../../src/common/waits.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(REPO_ROOT, 'bin', 'durabricks.js');

export interface WorkerProcessOptions {
  temporalAddress: string;
  namespace?: string;
  taskQueue: string;
  databricksHost: string;
  databricksToken: string;
  logFile: string;
  /** Extra environment (e.g. DURABRICKS_CODEC_KEYS). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export class WorkerProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  /** How many times a worker was started / SIGKILLed. */
  starts = 0;
  kills = 0;

  constructor(private readonly o: WorkerProcessOptions) {
    mkdirSync(dirname(o.logFile), { recursive: true });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts a worker and resolves once it logged "worker started" (it polls the task queue). */
  async start(): Promise<void> {
    if (this.running) throw new Error('worker already running');
    // Only what the worker needs: no inherited DATABRICKS_* or TEMPORAL_* from the caller's shell.
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABRICKS_|TEMPORAL_|DURABRICKS_)/.test(k)));
    const env: NodeJS.ProcessEnv = {
      ...base,
      TEMPORAL_ADDRESS: this.o.temporalAddress,
      TEMPORAL_NAMESPACE: this.o.namespace ?? 'default',
      DURABRICKS_TASK_QUEUE: this.o.taskQueue,
      DATABRICKS_HOST: this.o.databricksHost,
      DATABRICKS_TOKEN: this.o.databricksToken,
      DATABRICKS_CONFIG_FILE: join(dirname(this.o.logFile), 'no-databrickscfg'),
      DURABRICKS_LOG_LEVEL: 'info',
      DURABRICKS_SHUTDOWN_GRACE_SECONDS: '2',
      ...this.o.env,
    };
    const child = spawn(process.execPath, [BIN, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO_ROOT });
    this.child = child;
    this.starts++;
    this.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let ready: () => void = () => {};
    const readyP = new Promise<void>((r) => (ready = r));
    let seen = '';
    const onData = (chunk: Buffer) => {
      appendFileSync(this.o.logFile, chunk);
      if (seen !== 'ready') {
        seen = (seen + chunk.toString('utf8')).slice(-4096);
        if (seen.includes('worker started')) {
          seen = 'ready';
          ready();
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const timeout = this.o.readyTimeoutMs ?? 120_000;
    // settledOrAfter clears its timer: a pending 2-minute sleep would hold the chaos run open after its report.
    const settled = Promise.race([readyP.then(() => 'ready' as const), this.exited.then(() => 'exited' as const)]);
    const outcome = (await settledOrAfter(settled, timeout)) ? await settled : 'timeout';
    if (outcome !== 'ready') {
      if (this.running) child.kill('SIGKILL');
      await this.exited;
      throw new Error(`worker child ${outcome === 'exited' ? `exited (code ${child.exitCode})` : `not ready within ${timeout} ms`}; see ${this.o.logFile}`);
    }
  }

  /** SIGKILL: no shutdown hooks, no graceful drain — in-flight activities and workflow tasks are lost. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill('SIGKILL');
    this.kills++;
    await this.exited;
  }

  /** Graceful stop (SIGTERM), SIGKILL after the grace period. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill('SIGTERM');
    const done = await settledOrAfter(this.exited!, graceMs);
    if (!done) {
      child.kill('SIGKILL');
      await this.exited;
    }
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }
}
