import { invalidParameter } from '../../http/errors.js';
import { decodePageToken, encodePageToken } from '../../http/paging.js';
import { RawReply, route, versions, type RouteDef } from '../../http/router.js';
import { jobDoesNotExist, type JobsStore } from './jobs-store.js';
import { findRun, legacyOf, runDoesNotExist, runForIdempotencyToken } from './run-lookup.js';
import type { RunsModel } from './runs.js';
import { ACTIVE, TERMINAL, type RunRecord } from './run-types.js';
import { cancelAllSchema, exportRunSchema, getRunSchema, listRunsSchema, repairSchema, runIdSchema, submitRunSchema, type TaskSpec } from './schemas.js';
import { checkTasks, liftSingleTask } from './settings.js';
import { pageInObjectArrays, type JobViews } from './views.js';
import { JOB_VERSIONS as V } from './job-routes.js';
import { escapeHtml } from '../../http/html.js';

/** jobs/runs/*: submit, get, list, get-output, export, cancel, cancel-all, delete, repair. */
export function runRoutes(store: JobsStore, runs: RunsModel, views: JobViews): RouteDef[] {
  return [
    route({
      method: 'POST',
      paths: versions(V, '/jobs/runs/submit'),
      input: submitRunSchema,
      handle(i, req) {
        const existing = runForIdempotencyToken(runs, i.idempotency_token);
        if (existing) return { run_id: existing.run_id };
        const { rest, task } = liftSingleTask(i as Record<string, unknown>);
        const base = rest as typeof i;
        if (task && base.tasks && base.tasks.length > 0) throw invalidParameter('Specify either tasks or a top-level task (single-task format), not both.');
        const tasks: TaskSpec[] = task ? [task] : (base.tasks ?? []);
        if (tasks.length === 0) throw invalidParameter('Missing required field: tasks');
        checkTasks(tasks, base.job_clusters ?? []);
        store.checkPolicies(i);
        const run = runs.create(
          {
            run_name: base.run_name ?? 'Untitled',
            run_type: 'SUBMIT_RUN',
            format: task ? 'SINGLE_TASK' : 'MULTI_TASK',
            timeout_seconds: base.timeout_seconds ?? 0,
            queue_enabled: false,
            ...(base.job_clusters ? { job_clusters: base.job_clusters } : {}),
            ...(base.git_source ? { git_source: base.git_source } : {}),
            ...(base.webhook_notifications ? { webhook_notifications: base.webhook_notifications as RunRecord['webhook_notifications'] } : {}),
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
        const { run, task } = findRun(runs, i.run_id);
        if (task) {
          const view = views.taskAsRun(run, task);
          // 2.2 pages a for_each task run's iterations 100 at a time; its one task repeats on every page.
          if (req.apiVersion === '2.2' && Array.isArray(view.iterations)) pageInObjectArrays(view, view, ['iterations'], i.page_token);
          return view;
        }
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
        let list = [...runs.runs.values()].filter((r) => !runs.purged(r));
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
        const { run, task } = findRun(runs, i.run_id);
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
        const { run, task } = findRun(runs, i.run_id);
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
        findRun(runs, i.run_id);
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
