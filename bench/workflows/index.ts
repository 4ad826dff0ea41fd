// The engine's own ceiling for the throughput benchmark: a workflow that chains N no-op activities.
// Bundled on its own (not part of src/workflows) so the product's worker never registers it.
import { proxyActivities } from '@temporalio/workflow';

export interface NoopActivities {
  noop(): Promise<void>;
}

/** Same options shape as the pipeline's reads: a timeout and a small retry policy. */
const { noop } = proxyActivities<NoopActivities>({ startToCloseTimeout: '2 minutes', retry: { maximumAttempts: 10 } });

export async function noopChain(activities: number): Promise<number> {
  const n = Math.max(0, Math.min(1000, Math.floor(activities)));
  for (let i = 0; i < n; i++) await noop();
  return n;
}
