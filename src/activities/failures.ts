/**
 * DatabricksError → ApplicationFailure: the one place that decides whether Temporal retries a
 * Databricks call and when. `type` is the error class name (see FailureType), so workflows branch
 * on it and retry policies can list it. Details carry only safe, serializable fields (status, code,
 * path, request id) — never a request body, header or the error's `cause`.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { z } from 'zod';
import {
  ConnectionError,
  DatabricksError,
  RequestAbortedError,
  RequestTimeoutError,
  TemporarilyUnavailableError,
  TooManyRequestsError,
  ValidationError,
} from '../databricks/errors.js';
import { FailureType } from '../common/activity-policies.js';

/** What a failure's details[0] holds for a Databricks error. */
export interface DatabricksFailureDetails {
  operation?: string;
  status?: number;
  errorCode: string;
  method?: string;
  path?: string;
  requestId?: string;
  retryAfterMs?: number;
  /** ValidationError: the offending field. */
  argument?: string;
}

/** The activity's cancellation as the SDK expects it, when the error is a consequence of it. */
function cancellationOf(err: unknown): unknown {
  let signal: AbortSignal | undefined;
  try {
    signal = Context.current().cancellationSignal;
  } catch {
    return undefined; // not inside an activity (plain unit use)
  }
  if (!signal.aborted) return undefined;
  if (err instanceof RequestAbortedError || err instanceof CancelledFailure || (err instanceof Error && err.name === 'AbortError')) {
    return signal.reason ?? new CancelledFailure('Activity cancelled');
  }
  return undefined;
}

/**
 * Converts anything an activity body threw into what Temporal should see:
 * - 429 and 503: retryable, `nextRetryDelay` = Retry-After exactly (the server asked for it; earlier
 *   would be rejected again, later wastes time). Without a Retry-After the policy's backoff applies.
 * - other 5xx, timeouts, connection errors: retryable with the policy's backoff.
 * - 4xx (incl. not-found, conflicts, validation): non-retryable, so a bad call fails at once.
 * - cancellation: rethrown as the SDK's cancellation so the activity reports "cancelled".
 */
export function toFailure(err: unknown, operation?: string): unknown {
  const cancelled = cancellationOf(err);
  if (cancelled !== undefined) return cancelled;
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  if (!(err instanceof DatabricksError)) return err;

  const details: DatabricksFailureDetails = {
    ...(operation !== undefined ? { operation } : {}),
    ...(err.status !== undefined ? { status: err.status } : {}),
    errorCode: err.errorCode,
    ...(err.method !== undefined ? { method: err.method } : {}),
    ...(err.path !== undefined ? { path: err.path } : {}),
    ...(err.requestId !== undefined ? { requestId: err.requestId } : {}),
    ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    ...(err instanceof ValidationError ? { argument: err.argument } : {}),
  };
  const honoursRetryAfter = err instanceof TooManyRequestsError || err instanceof TemporarilyUnavailableError;
  return ApplicationFailure.create({
    type: err.name,
    message: err.message,
    nonRetryable: !err.retryable,
    details: [details],
    ...(honoursRetryAfter && err.retryAfterMs !== undefined ? { nextRetryDelay: err.retryAfterMs } : {}),
  });
}

/**
 * Invalid activity input (our own zod schemas, for the inputs the client does not validate):
 * non-retryable, names the field, and is thrown before any request is sent. The message never
 * contains the rejected value (it could be a secret pasted where a reference belongs).
 */
export function invalidInput(activity: string, error: z.ZodError): ApplicationFailure {
  const issue = error.issues[0];
  const argument = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
  return ApplicationFailure.create({
    type: FailureType.Validation,
    message: `${activity}: invalid argument '${argument}': ${issue?.message ?? 'invalid'}`,
    nonRetryable: true,
    details: [{ operation: activity, errorCode: 'INVALID_ARGUMENT', argument } satisfies DatabricksFailureDetails],
  });
}

/**
 * True when `err` came from an operation that is not safe to repeat and the request may have been
 * applied (the connection failed after sending, no response in time, or a 5xx answer). 429 means the
 * request was refused unprocessed, so it is not ambiguous.
 */
export function outcomeUnknown(err: unknown): err is DatabricksError {
  if (!(err instanceof DatabricksError) || err.safeToRepeat !== false) return false;
  if (err instanceof ConnectionError) return err.mayHaveReachedServer;
  return err instanceof RequestTimeoutError || (err.status !== undefined && err.status >= 500);
}

/**
 * For plain (non-create) operations that are not safe to repeat: an ambiguous failure becomes a
 * non-retryable OutcomeUnknown instead of a blind retry that could run a statement or append a DBFS
 * block twice. Creates do not need this: they look up their tagged resource before creating again.
 */
export function refuseBlindRetry(err: unknown): unknown {
  if (!outcomeUnknown(err)) return err;
  return ApplicationFailure.create({
    type: FailureType.OutcomeUnknown,
    message: `${err.operation ?? 'the call'} may or may not have been applied (${err.name}: ${err.message}); it is not safe to repeat, so it was not retried`,
    nonRetryable: true,
    details: [
      {
        ...(err.operation !== undefined ? { operation: err.operation } : {}),
        ...(err.status !== undefined ? { status: err.status } : {}),
        errorCode: err.errorCode,
        ...(err.method !== undefined ? { method: err.method } : {}),
        ...(err.path !== undefined ? { path: err.path } : {}),
        ...(err.requestId !== undefined ? { requestId: err.requestId } : {}),
      } satisfies DatabricksFailureDetails,
    ],
  });
}
