/** MockActivityEnvironment without log noise, and activities against the in-process emulator. */
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Info } from '@temporalio/activity';
import type { MetricMeter } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createActivities, databricksMetricsHooks, type Activities } from '../../../src/activities/index.js';
import { createLogger } from '../../../src/common/logger.js';
import { DatabricksClient, type ResponseEvent } from '../../../src/databricks/index.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';

const noop = () => {};
export const silentTemporalLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

/** MockActivityEnvironment whose `exec` keeps the activity's input and result types (`run` infers unknown). */
export class TypedMockEnv extends MockActivityEnvironment {
  exec<A extends unknown[], O>(fn: (...args: A) => Promise<O>, ...args: A): Promise<O> {
    return (this.run as (f: unknown, ...a: unknown[]) => Promise<unknown>)(fn, ...args) as Promise<O>;
  }
}

export function mockEnv(info: Partial<Info> = {}, metricMeter?: MetricMeter): TypedMockEnv {
  // The default info has a 1 s scheduleToClose, which would make every waiter give up at once.
  return new TypedMockEnv({ scheduleToCloseTimeoutMs: 0, ...info }, { logger: silentTemporalLogger, ...(metricMeter ? { metricMeter } : {}) });
}

/** The rejection of a promise (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & { type?: string; nonRetryable?: boolean; details?: unknown[]; nextRetryDelay?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

export interface EmulatorActivities {
  emu: RunningEmulator;
  client: DatabricksClient;
  acts: Activities;
  events: ResponseEvent[];
}

/** One emulator (instant state machines) per test file, reset before each test. */
export function useEmulatorActivities(): EmulatorActivities {
  const ctx = { events: [] as ResponseEvent[] } as EmulatorActivities;
  beforeAll(async () => {
    ctx.emu = await startEmulator({ port: 0, tokens: ['dapi-activities-unit-0123'], speed: Infinity, rateLimitPerSecond: 0, seed: 7 });
    ctx.client = new DatabricksClient({
      host: ctx.emu.url,
      token: ctx.emu.token,
      env: {},
      rateLimitPerSecond: 0,
      retryBudgetMs: 0,
      hooks: databricksMetricsHooks(undefined, { onResponse: (e) => ctx.events.push(e) }),
    });
    ctx.acts = createActivities({ logger: createLogger({ level: 'silent' }), databricks: ctx.client });
  });
  beforeEach(() => {
    ctx.emu.reset();
    ctx.events.length = 0;
  });
  afterAll(async () => {
    await ctx.client?.close();
    await ctx.emu?.close();
  });
  return ctx;
}
