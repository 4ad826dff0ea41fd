import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ResolvedBinary } from './binary-resolver.js';
import { settledOrAfter } from '../common/waits.js';
import { preferredOrFreePort } from './ports.js';

export interface DevServerOptions {
  binary: ResolvedBinary;
  ip?: string;
  /** Preferred gRPC port (default 7233); a free one is chosen when it is taken. */
  port?: number;
  /** Preferred UI port (default 8233); a free one is chosen when it is taken. */
  uiPort?: number;
  /** SQLite file that persists the server's state across restarts; in-memory when absent. */
  dbFile?: string;
  namespace?: string;
  /** Where the server's own output goes (kept out of our terminal). */
  logFile?: string;
  readyTimeoutMs?: number;
  extraArgs?: string[];
  /** Extra environment for the server process (e.g. Go runtime settings such as GOGC). */
  env?: Record<string, string>;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string;
  namespace: string;
  pid?: number;
  /** Resolves when the server process has exited (for any reason). */
  exited: Promise<void>;
  stop(): Promise<void>;
}

export class DevServerStartError extends Error {
  override name = 'DevServerStartError';
  /** The process exited during start-up (as opposed to never answering, or not starting at all). */
  readonly exitedEarly: boolean;
  constructor(message: string, options: { exitedEarly?: boolean } = {}) {
    super(message);
    this.exitedEarly = options.exitedEarly ?? false;
  }
}

/**
 * Starts `temporal server start-dev` and returns once a real gRPC call to it succeeds. A server that
 * exits during start-up is started once more (with ports chosen afresh): the dev server picks some
 * of its internal ports itself, and one taken between its choice and its bind makes it panic.
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  try {
    return await startOnce(options);
  } catch (err) {
    if (!(err instanceof DevServerStartError && err.exitedEarly && options.binary.path)) throw err;
    return startOnce(options).catch((again: unknown) => {
      throw again instanceof DevServerStartError ? new DevServerStartError(`${again.message} (second attempt; the first: ${err.message})`, { exitedEarly: true }) : again;
    });
  }
}

async function startOnce(options: DevServerOptions): Promise<RunningDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const port = await preferredOrFreePort(options.port ?? 7233, ip);
  const uiPort = await preferredOrFreePort(options.uiPort ?? 8233, ip, [port]);
  if (options.dbFile) mkdirSync(dirname(options.dbFile), { recursive: true });

  if (!options.binary.path) return startWithSdkDownload({ ...options, ip, port, uiPort, namespace });

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--ui-port', String(uiPort), '--namespace', namespace, '--log-level', 'warn', ...(options.dbFile ? ['--db-filename', options.dbFile] : []), ...(options.extraArgs ?? [])];
  const child = spawn(options.binary.path, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(options.env ? { env: { ...process.env, ...options.env } } : {}) });
  const output = captureOutput(child, options.logFile);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_, reject) => child.once('error', (err) => reject(new DevServerStartError(`could not start ${options.binary.path}: ${err.message}`))));
  spawnError.catch(() => {});

  const server: RunningDevServer = {
    address: `${ip}:${port}`,
    uiUrl: `http://${ip}:${uiPort}`,
    namespace,
    pid: child.pid,
    exited,
    stop: () => stopChild(child, exited),
  };
  try {
    await Promise.race([
      waitUntilServing(server.address, namespace, options.readyTimeoutMs ?? 60_000),
      spawnError,
      exited.then(() => {
        throw new DevServerStartError(`the Temporal dev server exited during start-up (code ${child.exitCode}): ${output.summary()}`, { exitedEarly: true });
      }),
    ]);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

/** SIGTERM, then SIGKILL if the server has not exited within the grace period. */
async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  // The grace timer is cleared once the server exits: left pending it held the process open for the rest of it.
  if (!(await settledOrAfter(exited, graceMs))) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** A line that names why the server stopped: a Go panic or fatal error, or an error-level log line. */
const CAUSE_LINE = /^(panic:|fatal error:|error:)|\blevel=(error|fatal)\b|"level":"(error|fatal)"/i;

/**
 * Keeps the server's output for a start-up failure's message: the first line that names the cause
 * (a panic's message comes before dozens of stack lines, so the last lines alone never show it)
 * and the last few lines.
 */
function captureOutput(child: ChildProcess, logFile?: string): { summary(): string } {
  const lines: string[] = [];
  let cause: string | undefined;
  const file = logFile ? (mkdirSync(dirname(logFile), { recursive: true }), createWriteStream(logFile, { flags: 'a' })) : undefined;
  const onData = (chunk: Buffer) => {
    file?.write(chunk);
    for (const raw of chunk.toString('utf8').split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      if (cause === undefined && CAUSE_LINE.test(line)) cause = line;
      lines.push(line);
    }
    if (lines.length > 20) lines.splice(0, lines.length - 20);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.once('exit', () => file?.end());
  return {
    summary: () => {
      const last = lines.slice(-5);
      const tail = last.join(' | ');
      if (cause === undefined) return tail || '(no output)';
      return last.includes(cause) ? tail : `${cause} … ${tail}`;
    },
  };
}

/** Readiness is a real gRPC round trip (health check + namespace describe), polled until the deadline. */
export async function waitUntilServing(address: string, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.healthService.check({});
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch (err) {
      lastError = err;
      await sleep(200);
    } finally {
      await connection?.close().catch(() => {});
    }
  }
  throw new DevServerStartError(`the Temporal server at ${address} did not become ready within ${Math.round(timeoutMs / 1000)} s (${lastError instanceof Error ? lastError.message : String(lastError)})`);
}

async function startWithSdkDownload(options: DevServerOptions & { ip: string; port: number; uiPort: number; namespace: string }): Promise<RunningDevServer> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'cached-download' }, ip: options.ip, port: options.port, ui: true, uiPort: options.uiPort, dbFilename: options.dbFile, namespace: options.namespace, extraArgs: options.extraArgs },
  });
  let stopped: Promise<void> | undefined;
  let markExited: () => void = () => {};
  const exited = new Promise<void>((resolve) => (markExited = resolve));
  // The SDK owns this process; it exits only when we tear the environment down.
  const stop = () => (stopped ??= env.teardown().finally(markExited));
  return { address: `${options.ip}:${options.port}`, uiUrl: `http://${options.ip}:${options.uiPort}`, namespace: options.namespace, exited, stop };
}
