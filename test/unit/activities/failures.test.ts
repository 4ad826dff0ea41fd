import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { msToNumber } from '@temporalio/common/lib/time.js';
import { createActivities } from '../../../src/activities/index.js';
import { toFailure } from '../../../src/activities/failures.js';
import { FailureType } from '../../../src/common/activity-policies.js';
import { createLogger } from '../../../src/common/logger.js';
import { mockEnv } from './helpers.js';
import {
  BadRequestError,
  ConnectionError,
  DatabricksClient,
  InternalError,
  NotFoundError,
  PermissionDeniedError,
  RequestAbortedError,
  TemporarilyUnavailableError,
  TooManyRequestsError,
  type ResponseEvent,
} from '../../../src/databricks/index.js';

const logger = createLogger({ level: 'silent' });

/** Runs `toFailure` inside an activity context, as the wrapper does. */
async function mapped(err: unknown, env = mockEnv()): Promise<ApplicationFailure> {
  const out = await env.run(async () => toFailure(err, 'clusters.get'));
  if (!(out instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(out)}`);
  return out;
}

const delayMs = (f: ApplicationFailure) => (f.nextRetryDelay === undefined || f.nextRetryDelay === null ? undefined : msToNumber(f.nextRetryDelay));

describe('DatabricksError → ApplicationFailure', () => {
  it('429 is retryable after exactly the Retry-After the server sent, typed by class name', async () => {
    const f = await mapped(new TooManyRequestsError({ message: 'slow down', status: 429, errorCode: 'REQUEST_LIMIT_EXCEEDED', retryAfterMs: 7000, path: '/api/2.1/clusters/get' }));
    expect(f.type).toBe('TooManyRequestsError');
    expect(f.nonRetryable).toBe(false);
    expect(delayMs(f)).toBe(7000);
    expect(f.details?.[0]).toMatchObject({ status: 429, errorCode: 'REQUEST_LIMIT_EXCEEDED', retryAfterMs: 7000, operation: 'clusters.get' });
  });

  it('503 with Retry-After also sets nextRetryDelay; without one the policy backoff applies', async () => {
    const withHeader = await mapped(new TemporarilyUnavailableError({ message: 'busy', status: 503, retryAfterMs: 3000 }));
    expect(withHeader.nonRetryable).toBe(false);
    expect(delayMs(withHeader)).toBe(3000);
    const without = await mapped(new TemporarilyUnavailableError({ message: 'busy', status: 503 }));
    expect(without.nonRetryable).toBe(false);
    expect(delayMs(without)).toBeUndefined();
  });

  it('other 5xx and connection errors are retryable with backoff (no nextRetryDelay)', async () => {
    for (const err of [
      new InternalError({ message: 'boom', status: 500, retryAfterMs: 5000 }),
      new ConnectionError({ message: 'reset', errorCode: 'ECONNRESET', mayHaveReachedServer: true }),
    ]) {
      const f = await mapped(err);
      expect(f.type).toBe(err.name);
      expect(f.nonRetryable).toBe(false);
      expect(delayMs(f)).toBeUndefined();
    }
  });

  it('4xx are non-retryable; a missing resource is typed NotFoundError so workflows can branch', async () => {
    const bad = await mapped(new BadRequestError({ message: 'bad', status: 400, errorCode: 'INVALID_PARAMETER_VALUE' }));
    expect(bad).toMatchObject({ type: FailureType.BadRequest, nonRetryable: true });
    const denied = await mapped(new PermissionDeniedError({ message: 'no', status: 403 }));
    expect(denied).toMatchObject({ type: FailureType.PermissionDenied, nonRetryable: true });
    const missing = await mapped(new NotFoundError({ message: 'Cluster x does not exist', status: 400, errorCode: 'INVALID_PARAMETER_VALUE' }));
    expect(missing).toMatchObject({ type: FailureType.NotFound, nonRetryable: true });
  });

  it('an aborted request after the activity was cancelled becomes the cancellation, not a failure', async () => {
    const env = mockEnv();
    env.cancel();
    const out = await env.run(async () => toFailure(new RequestAbortedError({ message: 'aborted', errorCode: 'ABORTED' })));
    expect(out).toBeInstanceOf(CancelledFailure);
  });

  it('anything that is not a Databricks error passes through untouched', async () => {
    const err = new TypeError('bug');
    expect(await mockEnv().exec(async () => toFailure(err))).toBe(err);
  });
});

describe('activities built from the client (against an unreachable host: no request may be needed)', () => {
  function activities() {
    const events: ResponseEvent[] = [];
    // Port 9 (discard) on localhost: any request that is sent fails with a connection error.
    const databricks = new DatabricksClient({ host: 'http://127.0.0.1:9', token: 'dapi-unit', env: {}, rateLimitPerSecond: 0, retryBudgetMs: 0, hooks: { onResponse: (e) => events.push(e) } });
    return { acts: createActivities({ logger, databricks }), events, databricks };
  }

  it('invalid input fails non-retryably naming the field, and sends nothing', async () => {
    const { acts, events, databricks } = activities();
    const err = await mockEnv().exec(acts.clustersGet, { cluster_id: 42 } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: FailureType.Validation, nonRetryable: true });
    expect((err as ApplicationFailure).message).toContain("'cluster_id'");
    expect((err as ApplicationFailure).details?.[0]).toMatchObject({ argument: 'cluster_id' });
    expect(events).toHaveLength(0);
    await databricks.close();
  });

  it('waiter input is validated the same way', async () => {
    const { acts, events, databricks } = activities();
    const err = await mockEnv().exec(acts.waitRunTerminated, { run_id: 'x' } as never).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: FailureType.Validation, nonRetryable: true });
    expect((err as Error).message).toContain("'run_id'");
    expect(events).toHaveLength(0);
    await databricks.close();
  });

  it('a secret given as a value instead of a reference is refused without echoing it, and nothing is sent', async () => {
    const { acts, events, databricks } = activities();
    const secret = 'super-secret-value-123';
    const err = await mockEnv().exec(acts.secretsPut, { scope: 's', key: 'k', value: secret } as never).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: FailureType.Validation, nonRetryable: true });
    expect(JSON.stringify({ message: (err as Error).message, details: (err as ApplicationFailure).details })).not.toContain(secret);
    expect(events).toHaveLength(0);
    await databricks.close();
  });

  it('a connection failure is a retryable ConnectionError', async () => {
    const { acts, databricks } = activities();
    const err = await mockEnv().exec(acts.clustersGet, { cluster_id: 'c-1' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: FailureType.Connection, nonRetryable: false });
    await databricks.close();
  });

  it('a worker without a client fails Databricks activities non-retryably but still describes itself', async () => {
    const acts = createActivities({ logger });
    const err = await mockEnv().exec(acts.clustersGet, { cluster_id: 'c-1' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: FailureType.Configuration, nonRetryable: true });
    const me = await mockEnv({ taskQueue: 'q' }).exec(acts.describeWorker);
    expect(me.taskQueue).toBe('q');
  });
});
