import type { WaitStrategy } from './pipeline.js';

/**
 * Official SDK waiter style (databricks-sdk-py / -go `wait_get_cluster_running`,
 * `wait_get_run_job_terminated_or_skipped`): sleep `attempt` seconds, at most 10, plus up to 1 s of
 * random jitter, until the state is reached.
 */
export const sdkBackoff = (maxSeconds = 10): WaitStrategy => (attempt, random) => (Math.min(attempt, maxSeconds) + random()) * 1000;
