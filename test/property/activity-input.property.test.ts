/**
 * Bad input, activities: hundreds of invalid inputs to the activities the workflows call. Each is
 * refused before any request leaves the worker: a non-retryable ValidationError naming the
 * argument, never echoing a secret value, and the emulator records zero API calls.
 */
import fc from 'fast-check';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../src/activities/index.js';
import { FailureType } from '../../src/common/activity-policies.js';
import { createLogger } from '../../src/common/logger.js';
import { DatabricksClient } from '../../src/databricks/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { tapCalls, type CallTap } from '../chaos/lib/calls.js';
import { badActivityInput } from './bad-input-cases.js';

const noop = () => {};
let emu: RunningEmulator;
let tap: CallTap;
let client: DatabricksClient;
let acts: Activities;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, tokens: ['dapi-property-0123'], speed: Infinity, rateLimitPerSecond: 0, seed: 3 });
  tap = tapCalls(emu);
  client = new DatabricksClient({ host: emu.url, token: emu.token, env: {}, retryBudgetMs: 0 });
  acts = createActivities({ logger: createLogger({ level: 'silent' }), databricks: client });
});
afterAll(async () => {
  await client?.close();
  await emu?.close();
});

describe('activity input validation (property)', () => {
  it('refuses every invalid input non-retryably, naming the argument, with zero API calls', async () => {
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(badActivityInput, async ({ activity, input, argument }) => {
        tried++;
        const fn = (acts as unknown as Record<string, (i: unknown) => Promise<unknown>>)[activity];
        expect(fn, `no activity ${activity}`).toBeTypeOf('function');
        const env = new MockActivityEnvironment({}, { logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop } });
        const err = await env.run(fn!, input).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, `${activity}(${JSON.stringify(input)}) was accepted`).toBeInstanceOf(ApplicationFailure);
        const failure = err as ApplicationFailure;
        expect(failure.type).toBe(FailureType.Validation);
        expect(failure.nonRetryable).toBe(true);
        expect(failure.message).toContain(`'${argument}`);
        // A value in the wrong place may be a secret: the message never repeats it.
        if (activity === 'secretsPut' && typeof (input as { value?: unknown }).value === 'string') {
          expect(failure.message).not.toContain((input as { value: string }).value);
        }
        expect(tap.calls).toEqual([]);
      }),
      { numRuns: 300, seed: 17 },
    );
    expect(tried).toBe(300);
    expect(emu.stats.snapshot().total).toBe(0);
  });
});
