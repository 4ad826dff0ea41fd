import type { ServiceContext } from '../types.js';
import type { RunsModel } from './runs.js';
import { TERMINAL, type LifeCycle, type RunRecord, type TaskRun } from './run-types.js';
import type { JobSettings } from './settings.js';
import type { TaskSpec } from './schemas.js';
import { decodePageToken, encodePageToken } from '../../http/paging.js';
import { forEachStats } from './for-each.js';

/** 2.2 pages arrays longer than this inside jobs/get and runs/get (reference §1.7). */
export const IN_OBJECT_PAGE = 100;

/**
 * Slices the named arrays of `holder` to one page (page = offset / 100) and sets `has_more` /
 * `next_page_token` on `root`; arrays with nothing left come back empty on later pages.
 */
export function pageInObjectArrays(root: Record<string, unknown>, holder: Record<string, unknown>, keys: readonly string[], pageToken: string | undefined): void {
  const offset = pageToken ? decodePageToken(pageToken) : 0;
  let more = false;
  for (const key of keys) {
    const arr = holder[key];
    if (!Array.isArray(arr)) continue;
    if (arr.length > offset + IN_OBJECT_PAGE) more = true;
    holder[key] = arr.slice(offset, offset + IN_OBJECT_PAGE);
  }
  root.has_more = more;
  if (more) root.next_page_token = encodePageToken(offset + IN_OBJECT_PAGE);
  else delete root.next_page_token;
}

/**
 * JSON shapes of jobs and runs as the real API returns them. Every run and task run carries both
 * the deprecated `state` (the JS SDK waiters read `state.life_cycle_state`) and the newer `status`.
 */

const STATUS_OF: Record<LifeCycle, string> = {
  QUEUED: 'QUEUED',
  PENDING: 'PENDING',
  RUNNING: 'RUNNING',
  TERMINATING: 'TERMINATING',
  TERMINATED: 'TERMINATED',
  SKIPPED: 'TERMINATED',
  INTERNAL_ERROR: 'TERMINATED',
  BLOCKED: 'BLOCKED',
  WAITING_FOR_RETRY: 'WAITING',
};

type Stateful = Pick<RunRecord, 'life' | 'result' | 'message' | 'termination'> & { user_cancelled_or_timedout?: boolean; queue_reason?: string };

function stateOf(r: Stateful, cancelledOrTimedOut = r.user_cancelled_or_timedout ?? false): Record<string, unknown> {
  const state: Record<string, unknown> = { life_cycle_state: r.life, state_message: r.message, user_cancelled_or_timedout: cancelledOrTimedOut };
  if (r.result && TERMINAL.has(r.life)) state.result_state = r.result;
  if (r.queue_reason) state.queue_reason = r.queue_reason;
  return state;
}

function statusOf(r: Stateful): Record<string, unknown> {
  const status: Record<string, unknown> = { state: STATUS_OF[r.life] };
  if (TERMINAL.has(r.life) && r.termination) status.termination_details = { ...r.termination };
  if (r.life === 'QUEUED') status.queue_details = { code: 'MAX_CONCURRENT_RUNS_REACHED', message: r.queue_reason ?? 'Queued.' };
  return status;
}

export class JobViews {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly runs: RunsModel,
  ) {}

  runPageUrl(jobId: number | undefined, runId: number): string {
    return `${this.ctx.baseUrl()}/?o=${this.ctx.workspaceId}#job/${jobId ?? runId}/run/${runId}`;
  }

  private durations(start: number, execStart: number | undefined, end: number, life: LifeCycle): Record<string, number> {
    if (!TERMINAL.has(life) || start === 0) return { setup_duration: 0, execution_duration: 0, cleanup_duration: 0 };
    const exec = execStart ?? end;
    return { setup_duration: Math.max(0, exec - start), execution_duration: Math.max(0, end - exec), cleanup_duration: 0 };
  }

  task(run: RunRecord, t: TaskRun): Record<string, unknown> {
    const view: Record<string, unknown> = {
      ...(t.spec as Record<string, unknown>),
      run_id: t.run_id,
      attempt_number: t.attempt_number,
      state: stateOf(t, t.result === 'CANCELED' || t.result === 'TIMEDOUT'),
      status: statusOf(t),
      start_time: t.start_time,
      end_time: TERMINAL.has(t.life) ? t.end_time : 0,
      run_page_url: this.runPageUrl(run.job_id, t.run_id),
      ...this.durations(t.start_time, t.exec_start, t.end_time, t.life),
    };
    if (TERMINAL.has(t.life) && t.start_time > 0) view.run_duration = t.end_time - t.start_time;
    if (t.cluster_instance) view.cluster_instance = { ...t.cluster_instance };
    // The cluster as launched: a policy's fixed values and defaults show, not only what was sent.
    if (t.launched_cluster) view.new_cluster = t.launched_cluster;
    if (t.condition_outcome && t.spec.condition_task) view.condition_task = { ...t.spec.condition_task, outcome: t.condition_outcome };
    if (t.for_each && t.spec.for_each_task) view.for_each_task = { ...t.spec.for_each_task, stats: forEachStats(t.for_each.inputs.length, this.runs.forEach.iterations(t)) };
    return view;
  }

  /** runs/get and runs/list items. `expandTasks` false drops `tasks` (runs/list default). */
  run(run: RunRecord, options: { expandTasks?: boolean; apiVersion?: string } = {}): Record<string, unknown> {
    const tasks = this.runs.tasksOf(run);
    const end = TERMINAL.has(run.life) ? run.end_time : 0;
    const view: Record<string, unknown> = {
      run_id: run.run_id,
      number_in_job: run.run_id,
      original_attempt_run_id: run.run_id,
      attempt_number: 0,
      run_name: run.run_name,
      run_type: run.run_type,
      trigger: run.trigger,
      creator_user_name: run.creator_user_name,
      run_as_user_name: run.run_as,
      state: stateOf(run),
      status: statusOf(run),
      start_time: run.created_time,
      end_time: end,
      setup_duration: 0,
      execution_duration: 0,
      cleanup_duration: 0,
      run_page_url: this.runPageUrl(run.job_id, run.run_id),
      format: run.format,
      queue_duration: run.started_at !== undefined ? run.started_at - run.created_time : 0,
    };
    if (run.job_id !== undefined) view.job_id = run.job_id;
    if (TERMINAL.has(run.life)) view.run_duration = end - run.created_time;
    if (run.job_clusters) view.job_clusters = run.job_clusters;
    if (run.job_parameters) view.job_parameters = run.job_parameters;
    if (run.overriding_parameters) view.overriding_parameters = run.overriding_parameters;
    if (run.git_source) view.git_source = run.git_source;
    if (run.description) view.description = run.description;
    if (run.repair_history.length > 0) {
      view.repair_history = run.repair_history.map((h) => {
        const s: Stateful = { life: h.life ?? run.life, message: h.message ?? '', ...(h.result ? { result: h.result } : {}) };
        return { type: h.type, ...(h.id !== undefined ? { id: h.id } : {}), start_time: h.start_time, end_time: h.end_time, state: stateOf(s), status: statusOf(s), task_run_ids: h.task_run_ids };
      });
    }
    // Single-task runs report the task's timings at the top level; multi-task runs report 0 (reference §2.4).
    const single = tasks.length === 1 ? tasks[0] : undefined;
    if (single) Object.assign(view, this.durations(single.start_time, single.exec_start, single.end_time, single.life));
    if (single?.cluster_instance) view.cluster_instance = { ...single.cluster_instance };
    if (single) Object.assign(view, clusterSpecOf(single));
    if (options.apiVersion === '2.0' && run.format === 'SINGLE_TASK' && single) Object.assign(view, singleTaskFields(single.spec));
    if (options.expandTasks !== false) view.tasks = tasks.map((t) => this.task(run, t));
    view.has_more = false;
    return view;
  }

  /** A task run viewed as a run (runs/get or get-output metadata with a task run id). */
  taskAsRun(run: RunRecord, t: TaskRun): Record<string, unknown> {
    const task = this.task(run, t);
    const view: Record<string, unknown> = {
      ...task,
      job_id: run.job_id,
      number_in_job: t.run_id,
      original_attempt_run_id: t.run_id,
      run_name: t.task_key,
      run_type: run.run_type === 'JOB_RUN' ? 'JOB_RUN' : run.run_type,
      parent_run_id: run.run_id,
      trigger: run.trigger,
      creator_user_name: run.creator_user_name,
      task: pickTaskType(t.spec),
      format: 'SINGLE_TASK',
    };
    if (run.job_id === undefined) delete view.job_id;
    // A for_each task run lists itself as its one task and its iterations beside it (what the SDKs' get_run pages through).
    if (t.type === 'for_each_task') {
      view.tasks = [task];
      view.iterations = this.runs.forEach.iterations(t).map((it) => this.task(run, it));
    }
    return view;
  }

  job(job: { job_id: number; creator_user_name: string; run_as_user_name: string; created_time: number; settings: JobSettings }, options: { expandTasks?: boolean; apiVersion?: string } = {}): Record<string, unknown> {
    let settings: Record<string, unknown> = { ...job.settings };
    const only = job.settings.tasks[0];
    if (options.apiVersion === '2.0' && job.settings.format === 'SINGLE_TASK' && only && job.settings.tasks.length === 1) {
      const { tasks: _tasks, ...rest } = settings;
      settings = { ...rest, ...singleTaskFields(only) };
    } else if (options.expandTasks === false) {
      const { tasks: _tasks, job_clusters: _clusters, ...rest } = settings;
      settings = rest;
    }
    return {
      job_id: job.job_id,
      creator_user_name: job.creator_user_name,
      run_as_user_name: job.run_as_user_name,
      run_as_owner: true,
      created_time: job.created_time,
      settings,
    };
  }
}

function pickTaskType(spec: TaskSpec): Record<string, unknown> {
  const { task_key: _k, depends_on: _d, run_if: _r, existing_cluster_id: _e, new_cluster: _n, job_cluster_key: _j, libraries: _l, timeout_seconds: _t, max_retries: _m, min_retry_interval_millis: _i, retry_on_timeout: _o, ...rest } = spec as Record<string, unknown>;
  return rest;
}

/** The 2.0 single-task shape: task type and compute at the top level (the task key is internal). */
function singleTaskFields(spec: TaskSpec): Record<string, unknown> {
  const { task_key: _k, depends_on: _d, run_if: _r, ...rest } = spec as Record<string, unknown>;
  return rest;
}

/** Run-level `cluster_spec` of a single-task run (the SDK's "snapshot of the job's cluster specification"): the task's compute, its new_cluster as launched. */
function clusterSpecOf(t: TaskRun): Record<string, unknown> {
  const spec = t.spec as Record<string, unknown>;
  const compute: Record<string, unknown> = {};
  if (spec.existing_cluster_id !== undefined) compute.existing_cluster_id = spec.existing_cluster_id;
  if (spec.job_cluster_key !== undefined) compute.job_cluster_key = spec.job_cluster_key;
  if (spec.new_cluster !== undefined) compute.new_cluster = t.launched_cluster ?? spec.new_cluster;
  if (Object.keys(compute).length === 0) return {};
  if (spec.libraries !== undefined) compute.libraries = spec.libraries;
  return { cluster_spec: compute };
}
