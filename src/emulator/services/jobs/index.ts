import type { ServiceModule } from '../types.js';
import { JobsStore, type JobRecord } from './jobs-store.js';
import { jobRoutes } from './job-routes.js';
import { jobComplianceRoutes } from './policy-compliance.js';
import { runRoutes } from './run-routes.js';
import { RunsModel } from './runs.js';
import { startJobRun } from './start-job-run.js';
import type { RunRecord, TaskRun } from './run-types.js';
import { PeriodicTriggers } from './triggers.js';
import { JobViews } from './views.js';

export { readDirectives, type TaskExecutor, type TaskExecutionInput, type TaskOutcome, type TaskOutput } from './executors.js';

/** What other services and tests may ask of jobs. */
export interface JobsApi {
  run(runId: number): RunRecord | undefined;
  taskRun(runId: number): TaskRun | undefined;
  job(jobId: number): JobRecord | undefined;
}

export const jobsService: ServiceModule = {
  name: 'jobs',
  create(ctx) {
    const store = new JobsStore(ctx);
    const runs = new RunsModel(ctx);
    const views = new JobViews(ctx, runs);
    runs.startChildRun = (jobId, params, principal, parentTaskRunId) => {
      const job = store.jobs.get(jobId);
      return job ? startJobRun(runs, job, { job_parameters: params, legacy: {} }, principal, 'RUN_JOB_TASK', parentTaskRunId) : undefined;
    };
    runs.onSlotFreed = (jobId) => {
      const job = store.jobs.get(jobId);
      if (job) runs.dequeue(jobId, job.settings.max_concurrent_runs);
    };
    const triggers = new PeriodicTriggers(ctx, store, (job) => startJobRun(runs, job, { legacy: {} }, job.run_as_user_name, 'PERIODIC'));
    const api: JobsApi = { run: (id) => runs.runs.get(id), taskRun: (id) => runs.taskRuns.get(id), job: (id) => store.jobs.get(id) };
    return {
      routes: [...jobRoutes(store, runs, views, triggers), ...runRoutes(store, runs, views), ...jobComplianceRoutes(ctx, store, views)],
      api,
      onEvent: (e) => (e.kind === 'periodic_trigger' ? triggers.onEvent(e.data) : runs.onEvent(e.kind, e.data, e.at)),
      snapshot: () => ({
        jobs: [...store.jobs.values()],
        runs: [...runs.runs.values()],
        task_runs: [...runs.taskRuns.values()],
        idempotency: [...runs.idempotency.entries()],
        deleted: [...runs.deleted],
      }),
      restore(state) {
        const s = state as Record<string, unknown>;
        for (const j of arrayOf(s.jobs)) if (typeof j.job_id === 'number' && isObj(j.settings)) store.jobs.set(j.job_id, j as unknown as JobRecord);
        for (const r of arrayOf(s.runs)) if (typeof r.run_id === 'number' && Array.isArray(r.task_ids)) runs.runs.set(r.run_id, r as unknown as RunRecord);
        for (const t of arrayOf(s.task_runs)) if (typeof t.run_id === 'number' && typeof t.parent_run_id === 'number') runs.taskRuns.set(t.run_id, t as unknown as TaskRun);
        if (Array.isArray(s.idempotency)) for (const e of s.idempotency) if (Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'number') runs.idempotency.set(e[0], e[1]);
        if (Array.isArray(s.deleted)) for (const id of s.deleted) if (typeof id === 'number') runs.deleted.add(id);
        runs.resumeInFlight();
      },
    };
  },
};

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function arrayOf(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}
