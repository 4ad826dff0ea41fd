/** Starts the in-process emulator once per test file and gives a client for it. */
import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { DatabricksClient, type DatabricksClientConfig, type ResponseEvent } from '../../../src/databricks/index.js';

export const TOKEN = 'dapi-integration-token-0123456789';

export interface EmulatorContext {
  emu: RunningEmulator;
  client: DatabricksClient;
  events: ResponseEvent[];
  /** A second client with its own config (closed after the file). */
  makeClient(config?: DatabricksClientConfig): DatabricksClient;
}

export function useEmulator(options: Parameters<typeof startEmulator>[0] = {}): EmulatorContext {
  const ctx = { events: [] as ResponseEvent[] } as EmulatorContext;
  const extra: DatabricksClient[] = [];
  beforeAll(async () => {
    ctx.emu = await startEmulator({ port: 0, tokens: [TOKEN, 'dapi-integration-user-2'], speed: Infinity, rateLimitPerSecond: 0, ...options });
    ctx.makeClient = (config = {}) => {
      const c = new DatabricksClient({ host: ctx.emu.url, token: TOKEN, env: {}, rateLimitPerSecond: 0, ...config });
      extra.push(c);
      return c;
    };
    ctx.client = ctx.makeClient({ hooks: { onResponse: (e) => ctx.events.push(e) } });
  });
  afterAll(async () => {
    await Promise.all(extra.map((c) => c.close()));
    await ctx.emu?.close();
  });
  return ctx;
}

/** Polls `get` until `done` holds (the emulator's state machines advance asynchronously even at speed Infinity). */
export async function until<T>(get: () => Promise<T>, done: (v: T) => boolean, tries = 200): Promise<T> {
  let v = await get();
  for (let i = 0; i < tries && !done(v); i++) {
    await new Promise((r) => setTimeout(r, 10));
    v = await get();
  }
  if (!done(v)) throw new Error(`condition not reached; last value ${JSON.stringify(v).slice(0, 300)}`);
  return v;
}
