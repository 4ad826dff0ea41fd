import { invalidParameter } from '../../http/errors.js';
import { decodePageToken, encodePageToken } from '../../http/paging.js';
import { RawReply, route, versions, type RouteDef } from '../../http/router.js';
import type { ServiceContext } from '../types.js';
import { jobDoesNotExist, type JobsStore } from './jobs-store.js';
import type { RunsModel } from './runs.js';
import { ACTIVE, TERMINAL, type RunRecord, type TaskRun } from './run-types.js';
import {
  cancelAllSchema,
  createJobSchema,
  exportRunSchema,
  getJobSchema,
  getRunSchema,
  jobIdSchema,
  listJobsSchema,
  listRunsSchema,
  repairSchema,
  resetJobSchema,
  runIdSchema,
  runNowSchema,
  submitRunSchema,
  updateJobSchema,
  type LegacyParams,
  type TaskSpec,
} from './schemas.js';
import { checkTasks, liftSingleTask } from './settings.js';
import { pageInObjectArrays, type JobViews } from './views.js';

/** Jobs are served under 2.2 (SDKs), 2.1 and the 2.0 forms older clients still call. */
const V = ['2.0', '2.1', '2.2'];

export const runDoesNotExist = (id: number) => invalidParameter(`Run ${id} does not exist.`);

const LEGACY_KEYS = ['notebook_params', 'python_params', 'python_named_params', 'jar_params', 'spark_submit_params', 'sql_params', 'dbt_commands', 'pipeline_params'] as const;

function legacyOf(input: LegacyParams): LegacyParams {
  const out: Record<string, unknown> = {};
  for (const k of LEGACY_KEYS) if (input[k] !== undefined) out[k] = input[k];
  if (JSON.stringify(out).length > 10_000) throw invalidParameter('The total size of the legacy parameters (notebook_params, python_params, …) exceeds 10,000 bytes.');
  return out as LegacyParams;
}

export function jobRoutes(_ctx: ServiceContext, store: JobsStore, runs: RunsModel, views: JobViews): RouteDef[] {
  const findRun = (id: number): { run: RunRecord; task?: TaskRun } => {
    const run = runs.runs.get(id);
    if (run) return { run };
    const task = runs.taskRuns.get(id);
    const parent = task ? runs.runs.get(task.parent_run_id) : undefined;
    if (task && parent) return { run: parent, task };
    throw runDoesNotExist(id);
  };

  /** An existing run for this idempotency token, or undefined; a deleted one is an error (reference §1.8). */
  const dedupe = (token: string | undefined): RunRecord | undefined => {
    if (token === undefined) return undefined;
    const id = runs.idempotency.get(token);
    if (id === undefined) return undefined;
    const run = runs.runs.get(id);
    if (!run) throw invalidParameter(`The run created with idempotency token ${token} has been deleted; use a new idempotency token.`);
    return run;
  };

  return [
    route({
      method: 'POST',
      paths: versions(V, '/jobs/create'),
      input: createJobSchema,
      handle({ access_control_list: _acl, ...settings }, req) {
        return { job_id: store.create(settings, req.principal.userName, req.apiVersion).job_id };
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
        const existing = dedupe(i.idempotency_token);
        if (existing) return { run_id: existing.run_id, number_in_job: existing.run_id };
        for (const k of i.only ?? []) if (!job.settings.tasks.some((t) => t.task_key === k)) throw invalidParameter(`Task ${k} does not exist in job ${job.job_id}.`);
        const legacy = legacyOf(i);
        const defined = job.settings.parameters ?? [];
        const jobParameters = defined.map((p) => ({ name: p.name, default: p.default, ...(i.job_parameters?.[p.name] !== undefined ? { value: i.job_parameters[p.name] } : {}) }));
        const named: Record<string, string> = { ...Object.fromEntries(defined.map((p) => [p.name, p.default])), ...(i.job_parameters ?? {}) };
        const overriding = { ...legacy, ...(i.job_parameters ? { job_parameters: i.job_parameters } : {}) };
        const run = runs.create(
          {
            run_name: job.settings.name,
            run_type: 'JOB_RUN',
            job_id: job.job_id,
            format: job.settings.format,
            timeout_seconds: job.settings.timeout_seconds,
            queue_enabled: i.queue?.enabled ?? job.settings.queue?.enabled ?? job.queue_default,
            ...(job.settings.job_clusters ? { job_clusters: job.settings.job_clusters } : {}),
            ...(jobParameters.length > 0 ? { job_parameters: jobParameters } : {}),
            ...(Object.keys(overriding).length > 0 ? { overriding_parameters: overriding } : {}),
            ...(job.settings.git_source ? { git_source: job.settings.git_source } : {}),
            ...(i.idempotency_token !== undefined ? { idempotency_token: i.idempotency_token } : {}),
            run_as: job.run_as_user_name,
          },
          job.settings.tasks,
          { principal: req.principal.userName, trigger: 'ONE_TIME', queueEnabled: false, maxConcurrentRuns: job.settings.max_concurrent_runs, named, legacy, ...(i.only ? { only: i.only } : {}) },
        );
        run.run_as = job.run_as_user_name;
        if (i.idempotency_token !== undefined) runs.idempotency.set(i.idempotency_token, run.run_id);
        runs.admit(run, job.settings.max_concurrent_runs);
        return { run_id: run.run_id, number_in_job: run.run_id };
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/jobs/runs/submit'),
      input: submitRunSchema,
      handle(i, req) {
        const existing = dedupe(i.idempotency_token);
        if (existing) return { run_id: existing.run_id };
        const { rest, task } = liftSingleTask(i as Record<string, unknown>);
        const base = rest as typeof i;
        if (task && base.tasks && base.tasks.length > 0) throw invalidParameter('Specify either tasks or a top-level task (single-task format), not both.');
        const tasks: TaskSpec[] = task ? [task] : (base.tasks ?? []);
        if (tasks.length === 0) throw invalidParameter('Missing required field: tasks');
        checkTasks(tasks, base.job_clusters ?? []);
        const run = runs.create(
          {
            run_name: base.run_name ?? 'Untitled',
            run_type: 'SUBMIT_RUN',
            format: task ? 'SINGLE_TASK' : 'MULTI_TASK',
            timeout_seconds: base.timeout_seconds ?? 0,
            queue_enabled: false,
            ...(base.job_clusters ? { job_clusters: base.job_clusters } : {}),
            ...(base.git_source ? { git_source: base.git_source } : {}),
            ...(i.idempotency_token !== undefined ? { idempotency_token: i.idempotency_token } : {}),
          },
          tasks,
          { principal: req.principal.userName, trigger: 'ONE_TIME', queueEnabled: false, maxConcurrentRuns: Infinity, named: {}, legacy: {} },
        );
        if (i.idempotency_token !== undefined) runs.idempotency.set(i.idempotency_token, run.run_id);
        runs.admit(run, Infinity);
        return { run_id: run.run_id };
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/jobs/runs/get'),
      input: getRunSchema,
      handle(i, req) {
        const { run, task } = findRun(i.run_id);
        if (task) return views.taskAsRun(run, task);
        const paged = (): Record<string, unknown> => {
          const view = views.run(run, { apiVersion: req.apiVersion });
          if (req.apiVersion === '2.2') pageInObjectArrays(view, view, ['tasks', 'job_clusters', 'job_parameters', 'repair_history'], i.page_token);
          return view;
        };
        if (!TERMINAL.has(run.life) || i.page_token !== undefined) return paged();
        const key = `${run.run_id}:${req.apiVersion}`;
        let body = runs.finishedViews.get(key);
        if (body === undefined) {
          body = JSON.stringify(paged());
          runs.finishedViews.set(key, body);
        }
        return new RawReply(200, body);
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/jobs/runs/list'),
      input: listRunsSchema,
      handle(i, req) {
        if (i.active_only && i.completed_only) throw invalidParameter('active_only and completed_only cannot both be true.');
        const max = req.apiVersion === '2.0' ? 1000 : 25;
        if (i.limit !== undefined && i.limit > max) throw invalidParameter(`The limit must be between 0 and ${max}.`);
        if (i.job_id !== undefined && !store.jobs.has(i.job_id)) throw jobDoesNotExist(i.job_id);
        let list = [...runs.runs.values()];
        if (i.job_id !== undefined) list = list.filter((r) => r.job_id === i.job_id);
        if (i.active_only) list = list.filter((r) => ACTIVE.has(r.life));
        if (i.completed_only) list = list.filter((r) => TERMINAL.has(r.life));
        if (i.run_type) list = list.filter((r) => r.run_type === i.run_type);
        if (i.start_time_from !== undefined) list = list.filter((r) => r.created_time >= (i.start_time_from ?? 0));
        if (i.start_time_to !== undefined) list = list.filter((r) => r.created_time <= (i.start_time_to ?? Infinity));
        list.sort((a, b) => b.created_time - a.created_time || b.run_id - a.run_id);
        const limit = i.limit || (i.limit === 0 ? max : 20);
        const offset = i.page_token ? decodePageToken(i.page_token) : (i.offset ?? 0);
        const page = list.slice(offset, offset + limit);
        const out: Record<string, unknown> = { has_more: offset + limit < list.length };
        if (page.length > 0) out.runs = page.map((r) => views.run(r, { expandTasks: i.expand_tasks === true, apiVersion: req.apiVersion }));
        if (out.has_more) out.next_page_token = encodePageToken(offset + limit);
        if (offset > 0) out.prev_page_token = encodePageToken(Math.max(0, offset - limit));
        return out;
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/jobs/runs/get-output'),
      input: runIdSchema,
      handle(i) {
        const { run, task } = findRun(i.run_id);
        const tasks = runs.tasksOf(run);
        let t = task;
        if (!t) {
          // Quirk 2: output exists only per task run.
          if (tasks.length !== 1) {
            throw invalidParameter(
              `Retrieving the output of runs with multiple tasks is not supported. Please retrieve the output of each individual task run instead.`,
            );
          }
          t = tasks[0];
        }
        if (!t) throw runDoesNotExist(i.run_id);
        const out: Record<string, unknown> = { metadata: task ? views.taskAsRun(run, t) : views.run(run) };
        if (TERMINAL.has(t.life) && t.output) {
          Object.assign(out, t.output);
          if (t.type === 'notebook_task' && out.notebook_output === undefined) out.notebook_output = {};
        }
        return out;
      },
    }),
    route({
      method: 'GET',
      paths: versions(V, '/jobs/runs/export'),
      input: exportRunSchema,
      handle(i) {
        const { run, task } = findRun(i.run_id);
        const tasks = runs.tasksOf(run);
        const t = task ?? (tasks.length === 1 ? tasks[0] : undefined);
        if (!t) throw invalidParameter('Exporting runs with multiple tasks is not supported. Please export each individual task run instead.');
        const nb = t.spec.notebook_task as { notebook_path?: string } | undefined;
        if (!nb?.notebook_path || i.views_to_export === 'DASHBOARDS') return { views: [] };
        const name = nb.notebook_path.split('/').pop() ?? 'notebook';
        const result = t.output?.notebook_output?.result;
        const content = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(name)}</title></head><body><h1>${escapeHtml(name)}</h1><p>Run ${t.run_id}: ${t.result ?? t.life}</p>${result !== undefined ? `<pre>${escapeHtml(result)}</pre>` : ''}</body></html>`;
        return { views: [{ name, type: 'NOTEBOOK', content }] };
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/jobs/runs/cancel'),
      input: runIdSchema,
      handle(i) {
        findRun(i.run_id);
        runs.cancel(i.run_id);
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/jobs/runs/cancel-all'),
      input: cancelAllSchema,
      handle(i) {
        if (i.job_id === undefined && !i.all_queued_runs) throw invalidParameter('Either job_id or all_queued_runs must be specified.');
        if (i.job_id !== undefined) store.get(i.job_id);
        for (const r of [...runs.runs.values()]) {
          if (i.job_id !== undefined && r.job_id !== i.job_id) continue;
          if (i.all_queued_runs ? r.life === 'QUEUED' : ACTIVE.has(r.life)) runs.cancelRun(r);
        }
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/jobs/runs/delete'),
      input: runIdSchema,
      handle(i) {
        const run = runs.runs.get(i.run_id);
        if (!run) throw runDoesNotExist(i.run_id);
        runs.delete(run);
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: versions(V, '/jobs/runs/repair'),
      input: repairSchema,
      handle(i) {
        const run = runs.runs.get(i.run_id);
        if (!run) throw runDoesNotExist(i.run_id);
        const legacy = legacyOf(i);
        const job = run.job_id !== undefined ? store.jobs.get(run.job_id) : undefined;
        const named = i.job_parameters ? { ...Object.fromEntries((job?.settings.parameters ?? []).map((p) => [p.name, p.default])), ...i.job_parameters } : {};
        return { repair_id: runs.repair(run, i, named, legacy) };
      },
    }),
  ];
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
