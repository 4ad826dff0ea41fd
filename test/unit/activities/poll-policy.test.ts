/**
 * The waiters' poll schedule (pollDelayMs): without a hint exactly the adaptive policy; with an
 * expected duration a sleep to just before it, dense polls around it, then the adaptive backoff.
 * Property tests for the bounds and determinism, a simulation for the figures the hint is for, and
 * the `pollTimeScale` seam (workspace time vs real time) on a real waiter.
 */
import fc from 'fast-check';
import { msToNumber } from '@temporalio/common/lib/time.js';
import { describe, expect, it } from 'vitest';
import { createActivities } from '../../../src/activities/index.js';
import { EXPECTED_WINDOW, nextPollDelayMs, pollDelayMs, type PollPolicy } from '../../../src/activities/waiters.js';
import { FailureType } from '../../../src/common/activity-policies.js';
import { createLogger } from '../../../src/common/logger.js';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

const delayOf = (e: { nextRetryDelay?: unknown }) => msToNumber(e.nextRetryDelay as number);

/** Deterministic random (mulberry32). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks a wait that ends at `endMs` gets under `policy` (first check at 0): how many, and how late the one that saw it was. */
function simulate(endMs: number, policy: PollPolicy): { polls: number; lateMs: number } {
  let t = 0;
  let polls = 0;
  for (;;) {
    polls++;
    if (t >= endMs) return { polls, lateMs: t - endMs };
    t += pollDelayMs(t, policy);
  }
}

const arbPolicy = fc.record({
  waitedMs: fc.double({ min: 0, max: 40 * 24 * 3600_000, noNaN: true }),
  minMs: fc.integer({ min: 500, max: 3600_000 }),
  maxMs: fc.integer({ min: 1000, max: 3600_000 }),
  expectedMs: fc.option(fc.integer({ min: 1, max: 30 * 24 * 3600_000 }), { nil: undefined }),
  seed: fc.integer(),
});

describe('pollDelayMs (property)', () => {
  it('never below minPoll, never above maxPoll (max lifted to min when they cross)', () => {
    fc.assert(
      fc.property(arbPolicy, ({ waitedMs, minMs, maxMs, expectedMs, seed }) => {
        const d = pollDelayMs(waitedMs, { minMs, maxMs, random: seeded(seed), ...(expectedMs !== undefined ? { expectedMs } : {}) });
        expect(d).toBeGreaterThanOrEqual(minMs);
        expect(d).toBeLessThanOrEqual(Math.max(minMs, maxMs));
        expect(Number.isInteger(d)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('with a lifted sleep cap only the sleep before the window exceeds maxPoll, and it never passes the window', () => {
    fc.assert(
      fc.property(arbPolicy, ({ waitedMs, minMs, maxMs, expectedMs, seed }) => {
        const max = Math.max(minMs, maxMs);
        const d = pollDelayMs(waitedMs, { minMs, maxMs, sleepMaxMs: Infinity, random: seeded(seed), ...(expectedMs !== undefined ? { expectedMs } : {}) });
        expect(d).toBeGreaterThanOrEqual(minMs);
        if (d > max) {
          expect(expectedMs).toBeDefined();
          const opens = EXPECTED_WINDOW.opens * expectedMs!;
          expect(waitedMs).toBeLessThan(opens);
          // Lands in the window: at most one jitter (≤ 10 % of the window step) past its opening.
          expect(waitedMs + d).toBeLessThanOrEqual(opens + 0.1 * Math.min(max, Math.max(minMs, expectedMs! / 60)) + 1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is deterministic for an injected random, and without a hint is exactly the adaptive policy', () => {
    fc.assert(
      fc.property(arbPolicy, ({ waitedMs, minMs, maxMs, expectedMs, seed }) => {
        const policy = { minMs, maxMs, ...(expectedMs !== undefined ? { expectedMs } : {}) };
        expect(pollDelayMs(waitedMs, { ...policy, random: seeded(seed) })).toBe(pollDelayMs(waitedMs, { ...policy, random: seeded(seed) }));
        if (minMs <= maxMs) expect(pollDelayMs(waitedMs, { minMs, maxMs, random: seeded(seed) })).toBe(nextPollDelayMs(waitedMs, minMs, maxMs, seeded(seed)));
      }),
      { numRuns: 1000 },
    );
  });

  it('past the window (1.5 × expected) falls back to the adaptive backoff', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 10 * 3600_000 }), fc.double({ min: 1.5, max: 20, noNaN: true }), fc.integer(), (expectedMs, factor, seed) => {
        const waited = expectedMs * factor;
        expect(pollDelayMs(waited, { minMs: 1000, maxMs: 60_000, expectedMs, random: seeded(seed) })).toBe(nextPollDelayMs(waited, 1000, 60_000, seeded(seed)));
      }),
    );
  });
});

describe('pollDelayMs: what the hint buys', () => {
  const defaults = { minMs: 1000, maxMs: 60_000, sleepMaxMs: Infinity };

  it('a 5-minute cluster start up to 30 s late: ≤ 11 checks, seen within ~5 s; without the hint ~50 checks', () => {
    const random = seeded(1);
    for (let late = 0; late <= 30_000; late += 500) {
      const hinted = simulate(300_000 + late, { ...defaults, expectedMs: 300_000, random });
      expect(hinted.polls).toBeLessThanOrEqual(11);
      expect(hinted.lateMs).toBeLessThanOrEqual(5_500);
      const plain = simulate(300_000 + late, { minMs: 1000, maxMs: 60_000, random });
      expect(plain.polls).toBeGreaterThan(40);
    }
  });

  it('the first sleep goes straight to the window; with an explicit maxPoll it comes in steps of at most that', () => {
    const zero = () => 0;
    expect(pollDelayMs(0, { ...defaults, expectedMs: 300_000, random: zero })).toBe(285_000);
    expect(pollDelayMs(285_000, { ...defaults, expectedMs: 300_000, random: zero })).toBe(5_000);
    expect(pollDelayMs(0, { minMs: 1000, maxMs: 60_000, expectedMs: 300_000, random: zero })).toBe(60_000);
    // A 10-hour hint polls at most once a minute in its window (the cap), not every 10 minutes.
    expect(pollDelayMs(9.6 * 3600_000, { ...defaults, expectedMs: 10 * 3600_000, random: zero })).toBe(60_000);
  });

  it('a wait that ends long before the hint is still seen at the window, with no polls in between', () => {
    const r = simulate(30_000, { ...defaults, expectedMs: 300_000, random: seeded(2) });
    expect(r.polls).toBe(2);
  });
});

describe('waiters on workspace time (deps.pollTimeScale)', () => {
  const ctx = useEmulatorActivities();

  it('the schedule runs on workspace time: at 10× a hinted 5-minute wait sleeps 28.5 s of real time, then polls every 0.5 s', async () => {
    ctx.emu.clock.setSpeed(0);
    try {
      const acts = createActivities({ logger: createLogger({ level: 'silent' }), databricks: ctx.client, pollTimeScale: async () => 10 });
      const { cluster_id } = await ctx.client.clusters.create({ spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 0 });
      const first = await rejection(mockEnv({ scheduledTimestampMs: Date.now() }).exec(acts.waitClusterRunning, { cluster_id, expectedSeconds: 300 }));
      expect(first).toMatchObject({ type: FailureType.StillWaiting });
      expect(delayOf(first)).toBeGreaterThanOrEqual(28_000);
      expect(delayOf(first)).toBeLessThanOrEqual(28_600);
      // 29 s real = 290 s of workspace time: inside the window, every 5 s of workspace time = 0.5 s real.
      const inWindow = await rejection(mockEnv({ scheduledTimestampMs: Date.now() - 29_000 }).exec(acts.waitClusterRunning, { cluster_id, expectedSeconds: 300 }));
      expect(delayOf(inWindow)).toBeGreaterThanOrEqual(500);
      expect(delayOf(inWindow)).toBeLessThanOrEqual(560);
      // No hint: the adaptive policy, on workspace time (1 s floor = 0.1 s real).
      const plain = await rejection(mockEnv({ scheduledTimestampMs: Date.now() }).exec(acts.waitClusterRunning, { cluster_id }));
      expect(delayOf(plain)).toBeGreaterThanOrEqual(100);
      expect(delayOf(plain)).toBeLessThanOrEqual(110);
      // A scale that cannot be read counts as 1 (a real workspace).
      const broken = createActivities({ logger: createLogger({ level: 'silent' }), databricks: ctx.client, pollTimeScale: () => Promise.reject(new Error('no clock')) });
      const unscaled = await rejection(mockEnv({ scheduledTimestampMs: Date.now() }).exec(broken.waitClusterRunning, { cluster_id }));
      expect(delayOf(unscaled)).toBeGreaterThanOrEqual(1000);
      expect(delayOf(unscaled)).toBeLessThanOrEqual(1100);
    } finally {
      ctx.emu.clock.setSpeed(Infinity);
    }
  });

  it('a hinted sleep that would pass scheduleToClose becomes one last check before it; then the waiter gives up', async () => {
    ctx.emu.clock.setSpeed(0);
    try {
      const { cluster_id } = await ctx.client.clusters.create({ spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 0 });
      const scheduled = Date.now();
      const before = Date.now();
      const last = await rejection(mockEnv({ scheduledTimestampMs: scheduled, scheduleToCloseTimeoutMs: 60_000 }).exec(ctx.acts.waitClusterRunning, { cluster_id, expectedSeconds: 600 }));
      expect(last).toMatchObject({ type: FailureType.StillWaiting });
      expect(delayOf(last)).toBeGreaterThan(50_000);
      // The activity computed the delay at or after `before`: the check lands before the margin.
      expect(before + delayOf(last)).toBeLessThan(scheduled + 60_000 - 2000);
      const gaveUp = await rejection(mockEnv({ scheduledTimestampMs: Date.now() - 58_000, scheduleToCloseTimeoutMs: 60_000 }).exec(ctx.acts.waitClusterRunning, { cluster_id, expectedSeconds: 600 }));
      expect(gaveUp).toMatchObject({ type: FailureType.WaitTimedOut, nonRetryable: true });
    } finally {
      ctx.emu.clock.setSpeed(Infinity);
    }
  });

  it('a bad hint is refused before any request, naming the field', async () => {
    const err = await rejection(mockEnv().exec(ctx.acts.waitClusterRunning, { cluster_id: 'c-1', expectedSeconds: -5 }));
    expect(err).toMatchObject({ type: FailureType.Validation, nonRetryable: true });
    expect(err.message).toContain('expectedSeconds');
  });
});
