import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '../common/logger.js';
import { EmulatorEngine } from './engine.js';
import { StatePersistence } from './persistence.js';
import { createEmulatorServer } from './server.js';
import type { VirtualClock } from './clock.js';
import type { Principals } from './auth.js';
import type { CallStats } from './stats.js';
import type { Faults } from './faults.js';
import { configureOAuthClients, forgetOAuthClients, type OAuthClient } from './services/oauth/clients.js';

export interface EmulatorOptions {
  /** 0 = free port (default 0). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Accepted PATs (default ['dapi-emulator-token']). The first acts as the workspace admin `admin@emulator.local`, the i-th as `user<i>@emulator.local`. */
  tokens?: string[];
  /** Virtual seconds per real second; default 1 (realistic); Infinity = instant; 0 = paused (advance through the clock API). */
  speed?: number;
  /** Deterministic ids (default: random). Cluster ids embed their creation time like real ones; pin `startTime` too for fully repeatable ids. */
  seed?: number;
  /** Virtual clock start, epoch ms (default: now). */
  startTime?: number;
  /** DBFS files and persisted state (state survives a restart). Default: a temp dir removed on close, nothing persisted. */
  dataDir?: string;
  /** Per token, default 30; 0 disables. */
  rateLimitPerSecond?: number;
  logger?: Logger;
  /** OAuth M2M clients accepted by /oidc/v1/token (client credentials); kept across resets. */
  oauthClients?: OAuthClient[];
}

export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:43123` */
  url: string;
  port: number;
  /** The first configured token (admin). */
  token: string;
  tokens: readonly string[];
  clock: VirtualClock;
  principals: Principals;
  stats: CallStats;
  faults: Faults;
  /** Same as POST /_emulator/reset. */
  reset(): void;
  /** Another service's api object, e.g. `service<JobsApi>('jobs')`. */
  service<T>(name: string): T | undefined;
  /** Fires due state transitions now. */
  tick(): void;
  /** Moves virtual time forward, firing each transition at its due time (as POST /_emulator/clock {advance_seconds}). */
  advance(seconds: number): Promise<void>;
  /** The full state snapshot (as GET /_emulator/state). */
  snapshot(): Record<string, unknown>;
  close(): Promise<void>;
}

export const DEFAULT_TOKEN = 'dapi-emulator-token';

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const tokens = options.tokens && options.tokens.length > 0 ? [...options.tokens] : [DEFAULT_TOKEN];
  const logger = options.logger ?? createLogger({ name: 'emulator', secrets: tokens, level: process.env.DURABRICKS_LOG_LEVEL ?? 'warn' });
  const persistent = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'durabricks-emulator-'));
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  configureOAuthClients(dataDir, options.oauthClients ?? []);

  let persistence: StatePersistence | undefined;
  const engine = new EmulatorEngine({
    tokens,
    speed: options.speed ?? 1,
    ...(options.startTime !== undefined ? { startTime: options.startTime } : {}),
    seed,
    dataDir,
    persistent,
    rateLimitPerSecond: options.rateLimitPerSecond ?? 30,
    logger,
    onDirty: () => persistence?.markDirty(),
  });
  if (persistent) {
    persistence = new StatePersistence(dataDir, () => engine.snapshot(), (err) => logger.error({ err }, 'could not persist emulator state'));
    const saved = persistence.load();
    if (saved !== undefined) engine.restore(saved);
  }

  const server = createEmulatorServer(engine, tokens);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  engine.baseUrl = url;

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    token: tokens[0] as string,
    tokens,
    get clock() {
      return engine.clock;
    },
    get principals() {
      return engine.principals;
    },
    get stats() {
      return engine.stats;
    },
    get faults() {
      return engine.faults;
    },
    reset: () => engine.reset(),
    service: <T>(name: string) => engine.service<T>(name),
    tick: () => engine.tick(),
    advance: (seconds) => engine.advanceClock(seconds * 1000),
    snapshot: () => engine.snapshot(),
    close() {
      closed ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        persistence?.flush();
        await engine.close();
        forgetOAuthClients(dataDir);
        if (!persistent) rmSync(dataDir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
