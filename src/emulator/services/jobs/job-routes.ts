import { invalidParameter } from '../../http/errors.js';
import { decodePageToken, encodePageToken } from '../../http/paging.js';
import { route, versions, type RouteDef } from '../../http/router.js';
import type { JobsStore } from './jobs-store.js';
import { legacyOf, runForIdempotencyToken } from './run-lookup.js';
import type { RunsModel } from './runs.js';
import { startJobRun } from './start-job-run.js';
import type { PeriodicTriggers } from './triggers.js';
import { createJobSchema, getJobSchema, jobIdSchema, listJobsSchema, resetJobSchema, runNowSchema, updateJobSchema } from './schemas.js';
import { pageInObjectArrays, type JobViews } from './views.js';

/** Jobs are served under 2.2 (SDKs), 2.1 and the 2.0 forms older clients still call. */
export const JOB_VERSIONS = ['2.0', '2.1', '2.2'];
const V = JOB_VERSIONS;

/** jobs/create, get, list, update, reset, delete, run-now. */
export function jobRoutes(store: JobsStore, runs: RunsModel, views: JobViews, triggers: PeriodicTriggers): RouteDef[] {
  return [
    route({
      method: 'POST',
      paths: versions(V, '/jobs/create'),
      input: createJobSchema,
      handle({ access_control_list: _acl, ...settings }, req) {
        const job = store.create(settings, req.principal.userName, req.apiVersion);
        triggers.arm(job);
        return { job_id: job.job_id };
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/jobs/get'),
      input: getJobSchema,
      handle(i, req) {
        const view = views.job(store.get(i.job_id), { apiVersion: req.apiVersion });
        if (req.apiVersion === '2.2') pageInObjectArrays(view, view.settings as Record<string, unknown>, ['tasks', 'job_clusters', 'environments', 'parameters'], i.page_token);
        return view;
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/jobs/list'),
      input: listJobsSchema,
      handle(i, req) {
        const max = req.apiVersion === '2.0' ? 1000 : 100;
        if (i.limit !== undefined && i.limit > max) throw invalidParameter(`The limit must be between 0 and ${max}.`);
        let jobs = [...store.jobs.values()].sort((a, b) => a.created_time - b.created_time || a.job_id - b.job_id);
        if (i.name !== undefined) jobs = jobs.filter((j) => j.settings.name.toLowerCase() === i.name?.toLowerCase());
        const limit = i.limit || (req.apiVersion === '2.0' && i.offset === undefined ? jobs.length || 1 : 20);
        const offset = i.page_token ? decodePageToken(i.page_token) : (i.offset ?? 0);
        const page = jobs.slice(offset, offset + limit);
        const out: Record<string, unknown> = { has_more: offset + limit < jobs.length };
        // The real API omits the array when it is empty (reference §1.2).
        if (page.length > 0) out.jobs = page.map((j) => views.job(j, { expandTasks: i.expand_tasks === true, apiVersion: req.apiVersion }));
        if (out.has_more) out.next_page_token = encodePageToken(offset + limit);
        if (offset > 0) out.prev_page_token = encodePageToken(Math.max(0, offset - limit));
        return out;
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/jobs/update'),
      input: updateJobSchema,
      handle(i) {
        const job = store.get(i.job_id);
        const before = job.settings.timeout_seconds;
        store.update(job, i.new_settings ?? {}, i.fields_to_remove ?? []);
        triggers.arm(job);
        if (job.settings.timeout_seconds !== before) runs.retime(job.job_id, job.settings.timeout_seconds ?? 0);
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/jobs/reset'),
      input: resetJobSchema,
      handle(i) {
        const job = store.get(i.job_id);
        store.reset(job, i.new_settings);
        triggers.arm(job);
        // A new timeout also applies to runs already active (reference §2.4).
        runs.retime(job.job_id, job.settings.timeout_seconds);
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/jobs/delete'),
      input: jobIdSchema,
      handle(i) {
        const job = store.get(i.job_id);
        for (const r of runs.activeRunsOf(job.job_id)) runs.cancelRun(r);
        store.jobs.delete(job.job_id);
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/jobs/run-now'),
      input: runNowSchema,
      handle(i, req) {
        const job = store.get(i.job_id);
        const existing = runForIdempotencyToken(runs, i.idempotency_token);
        if (existing) return { run_id: existing.run_id, number_in_job: existing.run_id };
        for (const k of i.only ?? []) if (!job.settings.tasks.some((t) => t.task_key === k)) throw invalidParameter(`Task ${k} does not exist in job ${job.job_id}.`);
        const run = startJobRun(runs, job, { ...i, legacy: legacyOf(i) }, req.principal.userName, 'ONE_TIME');
        return { run_id: run.run_id, number_in_job: run.run_id };
      },
    }),
  ];
}
