// Engine baselines for the benchmarks, bundled on their own (not part of src/workflows) so the
// product's worker never registers them:
// - noopChain: the throughput ceiling, N no-op activities chained;
// - minimalWait: the capacity baseline, one activity that "waits" by retrying, like a pipeline's waiter.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

export interface NoopActivities {
  noop(): Promise<void>;
  stillWaiting(): Promise<void>;
}

/** Same options shape as the pipeline's reads: a timeout and a small retry policy. */
const { noop } = proxyActivities<NoopActivities>({ startToCloseTimeout: '2 minutes', retry: { maximumAttempts: 10 } });
const local = proxyLocalActivities<NoopActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 10 } });
/** Unlimited attempts; the activity sets each retry's delay, as the product's waiters do. */
const { stillWaiting } = proxyActivities<NoopActivities>({ startToCloseTimeout: '1 minute', scheduleToCloseTimeout: '24 hours', retry: { initialInterval: '1 second', maximumInterval: '1 hour' } });

/** `activities` no-op activities one after another, then `localActivities` no-op local activities (the pipeline's mix). */
export async function noopChain(activities: number, localActivities = 0): Promise<number> {
  const n = Math.max(0, Math.min(1000, Math.floor(activities)));
  const l = Math.max(0, Math.min(1000, Math.floor(localActivities)));
  for (let i = 0; i < n; i++) await noop();
  for (let i = 0; i < l; i++) await local.noop();
  return n + l;
}

export async function minimalWait(): Promise<void> {
  await stillWaiting();
}
