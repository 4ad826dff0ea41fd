import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll } from 'vitest';
import { quietRuntime, timeSkippingEnv } from './temporal.js';

/** One time-skipping test server for the test file; read `ctx.env` inside tests and their helpers. */
export function useTimeSkippingEnv(): { env: TestWorkflowEnvironment } {
  const ctx = {} as { env: TestWorkflowEnvironment };
  beforeAll(async () => {
    quietRuntime();
    ctx.env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await ctx.env?.teardown();
  });
  return ctx;
}
