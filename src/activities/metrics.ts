/**
 * Databricks call metrics through Temporal's metric meter, so they appear on the worker's
 * Prometheus endpoint next to the SDK's own metrics (with namespace/task queue/activity tags when
 * recorded inside an activity):
 * - `durabricks_databricks_requests` (counter): every HTTP attempt, by operation, status, retry
 * - `durabricks_activity_attempts` (counter): every activity attempt, by activity, outcome, retry
 * - `durabricks_wait_duration` (histogram, ms): how long a waiter waited, by waiter and outcome
 */
import { Context } from '@temporalio/activity';
import type { MetricMeter } from '@temporalio/common';
import type { ClientHooks, ResponseEvent } from '../databricks/index.js';

/** The meter of the current activity, else the fallback (e.g. the runtime's), else none. */
function currentMeter(fallback: MetricMeter | undefined): MetricMeter | undefined {
  try {
    return Context.current().metricMeter;
  } catch {
    return fallback;
  }
}

/** Inside an activity, a retry is either a later HTTP attempt or a later Temporal attempt. */
function temporalAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

/**
 * Client hooks that count every HTTP attempt. Pass them when building the worker's client:
 * `new DatabricksClient({ hooks: databricksMetricsHooks() })` — the client takes hooks only at
 * construction, so the activity layer cannot add them to a client it is given.
 */
export function databricksMetricsHooks(fallback?: MetricMeter, next?: ClientHooks): ClientHooks {
  return {
    onResponse(event: ResponseEvent) {
      next?.onResponse?.(event);
      const meter = currentMeter(fallback);
      if (!meter) return;
      meter.createCounter('durabricks_databricks_requests', 'requests', 'Databricks REST requests by operation, HTTP status and retry').add(1, {
        operation: event.operation,
        status: event.status !== undefined ? String(event.status) : (event.error?.errorCode ?? 'none'),
        retry: event.attempt > 1 || temporalAttempt() > 1 ? 'true' : 'false',
      });
    },
  };
}

export function recordActivityAttempt(meter: MetricMeter | undefined, activity: string, outcome: string, attempt: number): void {
  const m = currentMeter(meter);
  m?.createCounter('durabricks_activity_attempts', 'attempts', 'Databricks activity attempts by activity, outcome and retry').add(1, {
    activity,
    outcome,
    retry: attempt > 1 ? 'true' : 'false',
  });
}

export function recordWait(meter: MetricMeter | undefined, waiter: string, outcome: string, waitedMs: number): void {
  const m = currentMeter(meter);
  m?.createHistogram('durabricks_wait_duration', 'int', 'ms', 'Time from the first check of a waiter to its end').record(Math.max(0, Math.round(waitedMs)), { waiter, outcome });
}
