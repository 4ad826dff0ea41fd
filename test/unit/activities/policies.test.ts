import { compileRetryPolicy } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { Activities } from '../../../src/activities/index.js';
import { CREATE_ACTIVITY, FailureType, isFailureType, isWaitTimeout, READ_ACTIVITY, TRANSFER_ACTIVITY, WAIT_ACTIVITY } from '../../../src/common/activity-policies.js';

describe('exported activity options', () => {
  it.each([
    ['read', READ_ACTIVITY],
    ['create', CREATE_ACTIVITY],
    ['wait', WAIT_ACTIVITY],
    ['transfer', TRANSFER_ACTIVITY],
  ])('%s options compile as the workflow SDK compiles them', (_kind, options) => {
    expect(() => compileRetryPolicy(options.retry ?? {})).not.toThrow();
    expect(options.retry?.nonRetryableErrorTypes).toContain(FailureType.BadRequest);
    // StillWaiting and throttling must stay retryable under every policy.
    expect(options.retry?.nonRetryableErrorTypes).not.toContain(FailureType.StillWaiting);
    expect(options.retry?.nonRetryableErrorTypes).not.toContain(FailureType.TooManyRequests);
  });

  it('waiters retry without an attempt limit and are bounded by scheduleToClose; transfers heartbeat', () => {
    expect(compileRetryPolicy(WAIT_ACTIVITY.retry ?? {}).maximumAttempts ?? 0).toBe(0);
    expect(WAIT_ACTIVITY.scheduleToCloseTimeout).toBeDefined();
    expect(TRANSFER_ACTIVITY.heartbeatTimeout).toBeDefined();
  });

  it('isFailureType finds the type on an ActivityFailure cause chain', () => {
    const err = { name: 'ActivityFailure', cause: { name: 'ApplicationFailure', type: 'NotFoundError' } };
    expect(isFailureType(err, FailureType.NotFound)).toBe(true);
    expect(isFailureType(err, FailureType.BadRequest)).toBe(false);
    expect(isFailureType(undefined, FailureType.NotFound)).toBe(false);
  });

  it("isWaitTimeout recognises the waiter's own give-up and the server's timeout", () => {
    expect(isWaitTimeout({ name: 'ActivityFailure', cause: { name: 'ApplicationFailure', type: 'WaitTimedOut' } })).toBe(true);
    expect(isWaitTimeout({ name: 'ActivityFailure', cause: { name: 'TimeoutFailure' } })).toBe(true);
    expect(isWaitTimeout({ name: 'ActivityFailure', cause: { name: 'ApplicationFailure', type: 'RunFailed' } })).toBe(false);
  });
});

describe('activity signatures', () => {
  it('activities whose API call takes no input can be called without one (type-level, checked by tsc)', () => {
    const calls: ((a: Activities) => Promise<unknown>)[] = [(a) => a.clustersSparkVersions(), (a) => a.clustersList(), (a) => a.warehousesCreate(), (a) => a.tokensCreate(), (a) => a.clustersGet({ cluster_id: 'x' })];
    expect(calls).toHaveLength(5);
  });
});
