/** One emulator for a benchmark section: a running warehouse, rate limit off, stats reset. */
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { DatabricksClient } from '../../src/databricks/index.js';
import type { Cleanup } from './cleanup.js';

export interface BenchEmulator {
  emu: RunningEmulator;
  /** A client for the benchmark's own reads (and the baselines' calls); no rate limit, short retries. */
  client: DatabricksClient;
  warehouseId: string;
}

/**
 * The per-token rate limit is off: compressing time by `speed` multiplies request rates by as much,
 * which a real workspace would never see from the same pipelines.
 */
export async function startBenchEmulator(cleanup: Cleanup, options: { speed: number; seed: number }): Promise<BenchEmulator> {
  const emu = await startEmulator({ port: 0, speed: options.speed, seed: options.seed, rateLimitPerSecond: 0 });
  cleanup.push('emulator', () => emu.close());
  const client = new DatabricksClient({ host: emu.url, token: emu.token, env: {}, rateLimitPerSecond: 0, retryBudgetMs: 5_000 });
  cleanup.push('databricks client', () => client.close());
  const { id } = await client.warehouses.create({ name: 'bench', cluster_size: '2X-Small', max_num_clusters: 1, auto_stop_mins: 0 });
  for (let i = 0; i < 600; i++) {
    const w = await client.warehouses.get({ id });
    if (w.state === 'RUNNING') break;
    if (emu.clock.speed === 0 || emu.clock.speed < 100) await emu.advance(60);
    else await sleep(10);
  }
  if ((await client.warehouses.get({ id })).state !== 'RUNNING') throw new Error('bench warehouse did not start');
  emu.stats.reset();
  return { emu, client, warehouseId: id };
}
