/**
 * What a workflow needs to call the Databricks activities: failure type names to branch on, and
 * default retry policies / activity options per kind of activity. Plain data and type-only
 * imports, so workflow code may import it (lint forbids value imports from src/activities/**).
 *
 *   const reads = proxyActivities<Activities>(READ_ACTIVITY);
 *   const waits = proxyActivities<Activities>({ ...WAIT_ACTIVITY, scheduleToCloseTimeout: '12 hours' });
 *   try { await reads.clustersGet({ cluster_id }) }
 *   catch (e) { if (isFailureType(e, FailureType.NotFound)) … }
 */
import type { ActivityOptions, RetryPolicy } from '@temporalio/common';

/** `ApplicationFailure.type` values the activities produce (DatabricksError class names plus our own). */
export const FailureType = {
  // 4xx and client-side: never retried.
  BadRequest: 'BadRequestError',
  Unauthenticated: 'UnauthenticatedError',
  PermissionDenied: 'PermissionDeniedError',
  NotFound: 'NotFoundError',
  Conflict: 'ResourceConflictError',
  NotImplemented: 'NotImplementedError',
  Cancelled: 'CancelledError',
  Validation: 'ValidationError',
  Configuration: 'ConfigurationError',
  /**
   * An operation that is not safe to repeat (statements/execute, dbfs/add-block, runs/repair …) failed
   * after the request may have reached the server: it may or may not have been applied, so it is not
   * retried blindly. The workflow decides (check the resource, or fail).
   */
  OutcomeUnknown: 'OutcomeUnknown',
  // Retried by Temporal (429/503 with nextRetryDelay = Retry-After; the rest with backoff).
  TooManyRequests: 'TooManyRequestsError',
  TemporarilyUnavailable: 'TemporarilyUnavailableError',
  Internal: 'InternalError',
  DeadlineExceeded: 'DeadlineExceededError',
  Connection: 'ConnectionError',
  RequestTimeout: 'RequestTimeoutError',
  // Waiters.
  /** Retryable: the target state is not reached yet; details[0] is the last seen state. */
  StillWaiting: 'StillWaiting',
  /** Non-retryable: the resource reached a state from which the target cannot be reached. */
  ClusterFailed: 'ClusterFailed',
  RunFailed: 'RunFailed',
  WarehouseFailed: 'WarehouseFailed',
  StatementFailed: 'StatementFailed',
  LibraryInstallFailed: 'LibraryInstallFailed',
  /**
   * Non-retryable: the next check would fall after the activity's scheduleToCloseTimeout, so the
   * waiter gives up itself; details[0] is the last seen state (a server-side timeout would lose it).
   */
  WaitTimedOut: 'WaitTimedOut',
  /** Non-retryable: a DBFS transfer's result did not match the source. */
  TransferFailed: 'TransferFailed',
} as const;
export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];

/** Types no policy should retry (the activities already mark them non-retryable; this is belt and braces). */
export const NON_RETRYABLE_TYPES: string[] = [
  FailureType.BadRequest,
  FailureType.Unauthenticated,
  FailureType.PermissionDenied,
  FailureType.NotFound,
  FailureType.Conflict,
  FailureType.NotImplemented,
  FailureType.Cancelled,
  FailureType.Validation,
  FailureType.Configuration,
  FailureType.OutcomeUnknown,
  FailureType.ClusterFailed,
  FailureType.RunFailed,
  FailureType.WarehouseFailed,
  FailureType.StatementFailed,
  FailureType.LibraryInstallFailed,
  FailureType.WaitTimedOut,
  FailureType.TransferFailed,
];

/**
 * Reads: cheap and safe to repeat. A minute between tries at most; 10 tries covers a few minutes of
 * outage or throttling (429s wait exactly Retry-After via nextRetryDelay, whatever these intervals say).
 */
export const READ_RETRY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 10,
  nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
};

/**
 * Creates and other mutations: safe to retry because creates are exactly-once (idempotency token or
 * tag lookup) and the other mutations are idempotent or rejected with a 4xx on repeat. More patience
 * than reads: giving up half-way through a saga costs a compensation.
 */
export const CREATE_RETRY: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '2 minutes',
  maximumAttempts: 20,
  nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
};

/**
 * Waiters: every check is one attempt and "not yet" is a retryable `StillWaiting` whose
 * nextRetryDelay sets the poll interval, so attempts must be unlimited. The workflow bounds the
 * total wait with `scheduleToCloseTimeout`: when the next check would fall after it, the waiter
 * fails with a non-retryable `WaitTimedOut` whose details[0] is the last seen state. (Should the
 * deadline hit during a check, the workflow sees a TimeoutFailure instead.) Retries add no history events.
 */
export const WAIT_RETRY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  // Only retries without a nextRetryDelay get this backoff (a waiter's own delays are not capped by it:
  // checked on the dev server): in practice a check lost with its worker, noticed at heartbeatTimeout.
  // It grows with the attempt number, and every poll is an attempt, so deep into a wait it is always
  // this cap: 10 s puts the check back soon after a crash (5 minutes cost a crashed pipeline ~4½ minutes).
  maximumInterval: '10 seconds',
  // No maximumAttempts: unlimited. (The TS SDK rejects 0, the proto's "unlimited", as not positive.)
  nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
};

/** Transfers resume from their last heartbeat, so a retry costs little; a handful covers worker restarts. */
export const TRANSFER_RETRY: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 20,
  nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
};

/**
 * Every activity gets a heartbeat timeout: the activity wrapper (src/activities/define.ts) heartbeats
 * while a call is in flight, so a worker that dies mid-call is noticed within 30 s rather than at
 * startToCloseTimeout, and a cancellation reaches a running call. Calls shorter than ~10 s send no
 * heartbeat at all.
 */
const HEARTBEAT_TIMEOUT = '30 seconds';

/** proxyActivities options for reads (`clustersGet`, `jobsGetRun`, lists …). */
export const READ_ACTIVITY: ActivityOptions = { startToCloseTimeout: '2 minutes', heartbeatTimeout: HEARTBEAT_TIMEOUT, retry: READ_RETRY };
/** For creates and mutations (`clustersCreate`, `jobsRunNow`, `clustersDelete` …). */
export const CREATE_ACTIVITY: ActivityOptions = { startToCloseTimeout: '3 minutes', heartbeatTimeout: HEARTBEAT_TIMEOUT, retry: CREATE_RETRY };
/**
 * For waiters (`waitClusterRunning`, `waitRunTerminated` …). Override scheduleToCloseTimeout with the
 * longest the workflow is willing to wait; one check takes seconds, hence the short startToClose.
 */
export const WAIT_ACTIVITY: ActivityOptions = { startToCloseTimeout: '2 minutes', scheduleToCloseTimeout: '2 hours', heartbeatTimeout: HEARTBEAT_TIMEOUT, retry: WAIT_RETRY };
/**
 * For DBFS transfers: they heartbeat after every block; a missed heartbeat means the worker died, so
 * retry elsewhere. The SDK sends heartbeats at most every 80% of heartbeatTimeout, so after a crash the
 * retry resumes from up to ~24 s behind (a failure, by contrast, reports the very last heartbeat).
 */
export const TRANSFER_ACTIVITY: ActivityOptions = { startToCloseTimeout: '2 hours', heartbeatTimeout: HEARTBEAT_TIMEOUT, retry: TRANSFER_RETRY };

/**
 * True when `err` (an ActivityFailure from a proxied call, or its cause) is an ApplicationFailure of
 * the given type. Duck-typed so it needs no value import of @temporalio/common's classes.
 */
export function isFailureType(err: unknown, type: FailureTypeName | string): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { type?: unknown }).type === type) return true;
  }
  return false;
}

/**
 * True when a wait ended because its bound (scheduleToCloseTimeout) ran out: the waiter's own
 * `WaitTimedOut` (details[0] = last seen state), or the server's TimeoutFailure when the deadline
 * fell during a check.
 */
export function isWaitTimeout(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { type?: unknown }).type === FailureType.WaitTimedOut || (e as { name?: unknown }).name === 'TimeoutFailure') return true;
  }
  return false;
}
