import type { JobRecord } from './jobs-store.js';
import type { RunsModel } from './runs.js';
import type { RunRecord } from './run-types.js';
import type { LegacyParams } from './schemas.js';

export interface StartJobRunInput {
  job_parameters?: Record<string, string>;
  idempotency_token?: string;
  only?: string[];
  queue?: { enabled: boolean };
  legacy: LegacyParams;
}

/**
 * Creates and admits a run of a job: what run-now does, and what a run_job_task does for the
 * job it triggers. Inputs are already validated.
 */
export function startJobRun(runs: RunsModel, job: JobRecord, input: StartJobRunInput, principal: string, trigger: string, parentTaskRunId?: number): RunRecord {
  const defined = job.settings.parameters ?? [];
  const given = input.job_parameters;
  const jobParameters = defined.map((p) => ({ name: p.name, default: p.default, ...(given?.[p.name] !== undefined ? { value: given[p.name] } : {}) }));
  const named: Record<string, string> = { ...Object.fromEntries(defined.map((p) => [p.name, p.default])), ...(given ?? {}) };
  const overriding = { ...input.legacy, ...(given ? { job_parameters: given } : {}) };
  const s = job.settings;
  const run = runs.create(
    {
      run_name: s.name,
      run_type: 'JOB_RUN',
      job_id: job.job_id,
      format: s.format,
      timeout_seconds: s.timeout_seconds,
      queue_enabled: input.queue?.enabled ?? s.queue?.enabled ?? job.queue_default,
      ...(s.job_clusters ? { job_clusters: s.job_clusters } : {}),
      ...(jobParameters.length > 0 ? { job_parameters: jobParameters } : {}),
      ...(Object.keys(overriding).length > 0 ? { overriding_parameters: overriding } : {}),
      ...(s.git_source ? { git_source: s.git_source } : {}),
      ...(s.webhook_notifications ? { webhook_notifications: s.webhook_notifications as RunRecord['webhook_notifications'] } : {}),
      ...(input.idempotency_token !== undefined ? { idempotency_token: input.idempotency_token } : {}),
      ...(parentTaskRunId !== undefined ? { parent_task_run_id: parentTaskRunId } : {}),
      run_as: job.run_as_user_name,
    },
    s.tasks,
    { principal, trigger, queueEnabled: false, maxConcurrentRuns: s.max_concurrent_runs, named, legacy: input.legacy, ...(input.only ? { only: input.only } : {}) },
  );
  run.run_as = job.run_as_user_name;
  if (input.idempotency_token !== undefined) runs.idempotency.set(input.idempotency_token, run.run_id);
  runs.admit(run, s.max_concurrent_runs);
  return run;
}
