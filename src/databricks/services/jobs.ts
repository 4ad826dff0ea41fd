/** Jobs API 2.2 (§2.4): jobs and runs. */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { paginate, type Paginated } from '../paginate.js';
import { int64Id, nonEmpty, nonNegativeInt, positiveInt, validate, type In } from '../validate.js';
import type { Empty, OpenEnum } from './types.js';

const BASE = '/api/2.2/jobs';

export type RunLifeCycleState = OpenEnum<
  'QUEUED' | 'PENDING' | 'RUNNING' | 'TERMINATING' | 'TERMINATED' | 'SKIPPED' | 'INTERNAL_ERROR' | 'BLOCKED' | 'WAITING_FOR_RETRY'
>;
export type RunResultState = OpenEnum<
  | 'SUCCESS'
  | 'FAILED'
  | 'TIMEDOUT'
  | 'CANCELED'
  | 'MAXIMUM_CONCURRENT_RUNS_REACHED'
  | 'EXCLUDED'
  | 'SUCCESS_WITH_FAILURES'
  | 'UPSTREAM_FAILED'
  | 'UPSTREAM_CANCELED'
  | 'DISABLED'
>;
export type RunStatusState = OpenEnum<'QUEUED' | 'PENDING' | 'RUNNING' | 'TERMINATING' | 'TERMINATED' | 'BLOCKED' | 'WAITING'>;

const TaskSchema = z.looseObject({
  task_key: nonEmpty,
  depends_on: z.array(z.looseObject({ task_key: nonEmpty, outcome: z.string().optional() })).optional(),
  run_if: z.string().optional(),
  existing_cluster_id: z.string().optional(),
  new_cluster: z.record(z.string(), z.unknown()).optional(),
  job_cluster_key: z.string().optional(),
  environment_key: z.string().optional(),
  libraries: z.array(z.record(z.string(), z.unknown())).optional(),
  timeout_seconds: nonNegativeInt.optional(),
  max_retries: z.number().int().min(-1).optional(),
  min_retry_interval_millis: nonNegativeInt.optional(),
  retry_on_timeout: z.boolean().optional(),
  disabled: z.boolean().optional(),
  description: z.string().optional(),
  notebook_task: z.looseObject({ notebook_path: nonEmpty, base_parameters: z.record(z.string(), z.string()).optional(), source: z.string().optional(), warehouse_id: z.string().optional() }).optional(),
  spark_python_task: z.looseObject({ python_file: nonEmpty, parameters: z.array(z.string()).optional(), source: z.string().optional() }).optional(),
  python_wheel_task: z.looseObject({ package_name: nonEmpty, entry_point: nonEmpty }).optional(),
  spark_jar_task: z.looseObject({ main_class_name: z.string().optional(), parameters: z.array(z.string()).optional() }).optional(),
  sql_task: z.looseObject({ warehouse_id: nonEmpty }).optional(),
  run_job_task: z.looseObject({ job_id: int64Id }).optional(),
  condition_task: z.looseObject({ left: z.string(), op: nonEmpty, right: z.string() }).optional(),
  for_each_task: z.looseObject({ inputs: z.string(), task: z.record(z.string(), z.unknown()), concurrency: positiveInt.optional() }).optional(),
});
export type JobTask = z.infer<typeof TaskSchema>;

export const JobSettingsSchema = z.looseObject({
  name: z
    .string()
    .refine((n) => Buffer.byteLength(n) <= 4096, { error: 'must be at most 4096 bytes' })
    .optional(),
  tasks: z.array(TaskSchema).max(1000, { error: 'at most 1000 tasks per write' }).optional(),
  job_clusters: z.array(z.looseObject({ job_cluster_key: nonEmpty, new_cluster: z.record(z.string(), z.unknown()) })).optional(),
  schedule: z.looseObject({ quartz_cron_expression: nonEmpty, timezone_id: nonEmpty, pause_status: z.string().optional() }).optional(),
  trigger: z.record(z.string(), z.unknown()).optional(),
  continuous: z.record(z.string(), z.unknown()).optional(),
  max_concurrent_runs: z.number().int().min(0).max(1000, { error: 'must be at most 1000' }).optional(),
  timeout_seconds: nonNegativeInt.optional(),
  email_notifications: z.record(z.string(), z.unknown()).optional(),
  webhook_notifications: z.record(z.string(), z.unknown()).optional(),
  notification_settings: z.record(z.string(), z.unknown()).optional(),
  tags: z
    .record(z.string(), z.string())
    .refine((t) => Object.keys(t).length <= 25, { error: 'at most 25 tags' })
    .optional(),
  parameters: z.array(z.looseObject({ name: nonEmpty, default: z.string() })).optional(),
  queue: z.looseObject({ enabled: z.boolean() }).optional(),
  run_as: z.looseObject({ user_name: z.string().optional(), service_principal_name: z.string().optional() }).optional(),
  git_source: z.record(z.string(), z.unknown()).optional(),
  environments: z.array(z.looseObject({ environment_key: nonEmpty })).optional(),
  format: z.string().optional(),
  description: z.string().optional(),
});
export type JobSettings = z.infer<typeof JobSettingsSchema>;

const CreateSchema = JobSettingsSchema.extend({ access_control_list: z.array(z.record(z.string(), z.unknown())).optional() });
export type CreateJobRequest = z.infer<typeof CreateSchema>;
const JobIdSchema = z.looseObject({ job_id: int64Id });
const RunIdSchema = z.looseObject({ run_id: int64Id });
const GetJobSchema = z.looseObject({ job_id: int64Id, page_token: z.string().optional() });
const UpdateSchema = z.looseObject({ job_id: int64Id, new_settings: JobSettingsSchema.optional(), fields_to_remove: z.array(z.string()).optional() });
export type UpdateJobRequest = z.infer<typeof UpdateSchema>;
const ResetSchema = z.looseObject({ job_id: int64Id, new_settings: JobSettingsSchema });
export type ResetJobRequest = z.infer<typeof ResetSchema>;
const idempotencyToken = z.string().max(64, { error: 'must be at most 64 characters' }).min(1, { error: 'must not be empty' });
const RunNowSchema = z.looseObject({
  job_id: int64Id,
  job_parameters: z.record(z.string(), z.string()).optional(),
  idempotency_token: idempotencyToken.optional(),
  only: z.array(z.string()).optional(),
  queue: z.looseObject({ enabled: z.boolean() }).optional(),
  notebook_params: z.record(z.string(), z.string()).optional(),
  python_params: z.array(z.string()).optional(),
  jar_params: z.array(z.string()).optional(),
  sql_params: z.record(z.string(), z.string()).optional(),
});
export type RunNowRequest = z.infer<typeof RunNowSchema>;
const SubmitSchema = z.looseObject({
  run_name: z.string().optional(),
  tasks: z.array(TaskSchema).optional(),
  timeout_seconds: nonNegativeInt.optional(),
  idempotency_token: idempotencyToken.optional(),
  git_source: z.record(z.string(), z.unknown()).optional(),
  environments: z.array(z.looseObject({ environment_key: nonEmpty })).optional(),
  queue: z.looseObject({ enabled: z.boolean() }).optional(),
  run_as: z.record(z.string(), z.unknown()).optional(),
});
export type SubmitRunRequest = z.infer<typeof SubmitSchema>;
const ListJobsSchema = z.looseObject({
  limit: nonNegativeInt.optional(),
  page_size: z.number().int().min(1).max(100, { error: 'must be at most 100' }).optional(),
  name: z.string().optional(),
  expand_tasks: z.boolean().optional(),
});
export type ListJobsRequest = z.infer<typeof ListJobsSchema>;
const ListRunsSchema = z
  .looseObject({
    limit: nonNegativeInt.optional(),
    page_size: z.number().int().min(0).max(25, { error: 'must be at most 25' }).optional(),
    job_id: int64Id.optional(),
    active_only: z.boolean().optional(),
    completed_only: z.boolean().optional(),
    run_type: z.string().optional(),
    start_time_from: nonNegativeInt.optional(),
    start_time_to: nonNegativeInt.optional(),
    expand_tasks: z.boolean().optional(),
  })
  .refine((r) => !(r.active_only && r.completed_only), { error: 'active_only and completed_only cannot both be true', path: ['completed_only'] });
export type ListRunsRequest = z.infer<typeof ListRunsSchema>;
const CancelAllSchema = z
  .looseObject({ job_id: int64Id.optional(), all_queued_runs: z.boolean().optional() })
  .refine((r) => r.job_id !== undefined || r.all_queued_runs === true, { error: 'give job_id or all_queued_runs: true', path: ['job_id'] });
const RepairSchema = z.looseObject({
  run_id: int64Id,
  rerun_tasks: z.array(nonEmpty).optional(),
  rerun_all_failed_tasks: z.boolean().optional(),
  rerun_dependent_tasks: z.boolean().optional(),
  latest_repair_id: int64Id.optional(),
  job_parameters: z.record(z.string(), z.string()).optional(),
});
export type RepairRunRequest = z.infer<typeof RepairSchema>;
const GetRunSchema = z.looseObject({ run_id: int64Id, include_history: z.boolean().optional(), include_resolved_values: z.boolean().optional() });
const ExportRunSchema = z.looseObject({ run_id: int64Id, views_to_export: z.enum(['CODE', 'DASHBOARDS', 'ALL']).optional() });

export interface Job {
  job_id: number;
  creator_user_name?: string;
  run_as_user_name?: string;
  created_time?: number;
  settings?: JobSettings & Record<string, unknown>;
  trigger_state?: Record<string, unknown>;
  has_more?: boolean;
  next_page_token?: string;
}

export interface RunState {
  life_cycle_state?: RunLifeCycleState;
  result_state?: RunResultState;
  state_message?: string;
  user_cancelled_or_timedout?: boolean;
  queue_reason?: string;
}

export interface RunStatus {
  state?: RunStatusState;
  termination_details?: { code?: string; type?: OpenEnum<'SUCCESS' | 'INTERNAL_ERROR' | 'CLIENT_ERROR' | 'CLOUD_FAILURE'>; message?: string };
  queue_details?: { code?: string; message?: string };
}

/** `for_each_task.stats` of a for_each task run (SDK ForEachStats): counts over the latest attempt of each iteration. */
export interface ForEachStats {
  task_run_stats?: {
    total_iterations?: number;
    scheduled_iterations?: number;
    active_iterations?: number;
    completed_iterations?: number;
    succeeded_iterations?: number;
    failed_iterations?: number;
  };
  /** The 3 most common error messages of failed iterations. */
  error_message_stats?: { error_message?: string; count?: number; termination_category?: string }[];
}

export interface RunTask {
  task_key: string;
  run_id?: number;
  state?: RunState;
  status?: RunStatus;
  start_time?: number;
  end_time?: number;
  attempt_number?: number;
  cluster_instance?: { cluster_id?: string; spark_context_id?: string };
  run_page_url?: string;
  for_each_task?: { inputs: string; task: Record<string, unknown>; concurrency?: number; stats?: ForEachStats };
  [field: string]: unknown;
}

export interface Run {
  run_id: number;
  job_id?: number;
  job_run_id?: number;
  number_in_job?: number;
  original_attempt_run_id?: number;
  attempt_number?: number;
  run_name?: string;
  run_type?: OpenEnum<'JOB_RUN' | 'SUBMIT_RUN' | 'WORKFLOW_RUN'>;
  trigger?: string;
  run_page_url?: string;
  creator_user_name?: string;
  state?: RunState;
  status?: RunStatus;
  start_time?: number;
  end_time?: number;
  setup_duration?: number;
  execution_duration?: number;
  cleanup_duration?: number;
  run_duration?: number;
  queue_duration?: number;
  tasks?: RunTask[];
  /** runs/get of a for_each task's run id: one task run per iteration (the for_each task itself is the one entry of `tasks`). */
  iterations?: RunTask[];
  job_clusters?: { job_cluster_key: string; new_cluster?: Record<string, unknown> }[];
  job_parameters?: { name: string; default?: string; value?: string }[];
  repair_history?: { type?: string; id?: number; start_time?: number; end_time?: number; state?: RunState; status?: RunStatus; task_run_ids?: number[] }[];
  cluster_instance?: { cluster_id?: string; spark_context_id?: string };
  has_more?: boolean;
  next_page_token?: string;
  [field: string]: unknown;
}

export interface RunOutput {
  metadata?: Run;
  notebook_output?: { result?: string; truncated?: boolean };
  logs?: string;
  logs_truncated?: boolean;
  error?: string;
  error_trace?: string;
  sql_output?: Record<string, unknown>;
  run_job_output?: { run_id?: number };
  dbt_output?: Record<string, unknown>;
  info?: string;
}

export interface ListJobsResponse {
  jobs?: Job[];
  has_more?: boolean;
  next_page_token?: string;
  prev_page_token?: string;
}
export interface ListRunsResponse {
  runs?: Run[];
  has_more?: boolean;
  next_page_token?: string;
  prev_page_token?: string;
}

/** Cursor for lists that page by token and fall back to the legacy offset (§1.7). */
type TokenOrOffset = { page_token: string } | { offset: number };

/** Offset of the page just fetched (0 for the first page and for token pages, which never switch to offsets). */
const offsetOf = (c: TokenOrOffset | undefined): number => (c && 'offset' in c ? c.offset : 0);

function nextCursor(r: { has_more?: boolean; next_page_token?: string }, offset: number): TokenOrOffset | undefined {
  if (r.next_page_token) return { page_token: r.next_page_token };
  if (r.has_more) return { offset };
  return undefined;
}

/** Appends the arrays of a later in-object page (jobs/runs get with >100 tasks) to the first page. */
function mergeArrays(into: Record<string, unknown>, page: Record<string, unknown>, keys: readonly string[]): void {
  for (const k of keys) {
    const more = page[k];
    if (Array.isArray(more)) into[k] = [...((into[k] as unknown[] | undefined) ?? []), ...more];
  }
}

export class JobsService {
  constructor(private readonly http: HttpClient) {}

  private async post<T>(op: string, path: string, body: unknown, idempotent: boolean, opts?: CallOptions): Promise<T> {
    return this.http.request<T>({ operation: `jobs.${op}`, method: 'POST', path: `${BASE}${path}`, body, idempotent, ...opts });
  }
  private async read<T>(op: string, path: string, query: Record<string, unknown>, opts?: CallOptions): Promise<T> {
    return this.http.request<T>({ operation: `jobs.${op}`, method: 'GET', path: `${BASE}${path}`, query, idempotent: true, ...opts });
  }

  /** Not safe to repeat: every call creates a job. */
  async create(req: CreateJobRequest, opts?: CallOptions): Promise<{ job_id: number }> {
    return this.post('create', '/create', validate('jobs.create', CreateSchema, req), false, opts);
  }

  /** One job; follows in-object pagination so `settings.tasks` etc. are complete (2.2 pages arrays >100). */
  async get(req: In<typeof GetJobSchema>, opts?: CallOptions): Promise<Job> {
    const q = validate('jobs.get', GetJobSchema, req);
    const first = await this.read<Job>('get', '/get', q, opts);
    let token = first.next_page_token;
    const settings = (first.settings ?? {}) as Record<string, unknown>;
    while (first.has_more && token) {
      const page = await this.read<Job>('get', '/get', { ...q, page_token: token }, opts);
      mergeArrays(settings, (page.settings ?? {}) as Record<string, unknown>, ['tasks', 'job_clusters', 'environments', 'parameters']);
      token = page.has_more ? page.next_page_token : undefined;
    }
    delete first.has_more;
    delete first.next_page_token;
    return first;
  }

  async listPage(req: Omit<ListJobsRequest, 'limit'> & { page_token?: string; offset?: number } = {}, opts?: CallOptions): Promise<ListJobsResponse> {
    const { limit: _l, page_size, ...q } = validate('jobs.list', ListJobsSchema, req);
    return this.read('list', '/list', { ...q, ...(page_size !== undefined ? { limit: page_size } : {}) }, opts);
  }

  /** Every job (token paging, legacy offset fallback). `limit` caps the total; `page_size` is the API's `limit`. */
  list(req: ListJobsRequest = {}, opts?: CallOptions): Paginated<Job> {
    const { limit, ...q } = validate('jobs.list', ListJobsSchema, req);
    return paginate<Job, TokenOrOffset>(async (cursor) => {
      const r = await this.listPage({ ...q, ...cursor }, opts);
      const items = r.jobs ?? [];
      return { items, next: nextCursor(r, offsetOf(cursor) + items.length) };
    }, limit);
  }

  /** Top-level fields replaced, tasks/job_clusters merged by key: repeating gives the same job. */
  async update(req: UpdateJobRequest, opts?: CallOptions): Promise<Empty> {
    return this.post('update', '/update', validate('jobs.update', UpdateSchema, req), true, opts);
  }

  async reset(req: ResetJobRequest, opts?: CallOptions): Promise<Empty> {
    return this.post('reset', '/reset', validate('jobs.reset', ResetSchema, req), true, opts);
  }

  async delete(req: In<typeof JobIdSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('delete', '/delete', validate('jobs.delete', JobIdSchema, req), true, opts);
  }

  /** Safe to repeat only with an `idempotency_token` (the server then returns the same run). */
  async runNow(req: RunNowRequest, opts?: CallOptions): Promise<{ run_id: number; number_in_job?: number }> {
    const body = validate('jobs.runNow', RunNowSchema, req);
    return this.post('runNow', '/run-now', body, body.idempotency_token !== undefined, opts);
  }

  /** Safe to repeat only with an `idempotency_token`. */
  async submit(req: SubmitRunRequest, opts?: CallOptions): Promise<{ run_id: number }> {
    const body = validate('jobs.submit', SubmitSchema, req);
    return this.post('submit', '/runs/submit', body, body.idempotency_token !== undefined, opts);
  }

  /**
   * One run; follows in-object pagination so `tasks` etc. are complete. For a for_each task's run the
   * pages carry the iterations and repeat the one task, so only `iterations` grow (as the SDKs' get_run).
   */
  async getRun(req: In<typeof GetRunSchema>, opts?: CallOptions): Promise<Run> {
    const q = validate('jobs.getRun', GetRunSchema, req);
    const first = await this.read<Run>('getRun', '/runs/get', q, opts);
    const paged = (first.iterations?.length ?? 0) > 0 ? 'iterations' : 'tasks';
    let token = first.next_page_token;
    while (first.has_more && token) {
      const page = await this.read<Run>('getRun', '/runs/get', { ...q, page_token: token }, opts);
      mergeArrays(first, page, [paged, 'job_clusters', 'job_parameters', 'repair_history']);
      token = page.has_more ? page.next_page_token : undefined;
    }
    delete first.has_more;
    delete first.next_page_token;
    return first;
  }

  /** Every iteration of a for_each task run (`run_id` is the task's run id), a page of runs/get at a time. */
  listRunIterations(req: In<typeof GetRunSchema>, opts?: CallOptions): Paginated<RunTask> {
    const q = validate('jobs.listRunIterations', GetRunSchema, req);
    return paginate<RunTask, string>(async (token) => {
      const page = await this.read<Run>('getRun', '/runs/get', { ...q, ...(token ? { page_token: token } : {}) }, opts);
      return { items: page.iterations ?? [], next: page.has_more ? page.next_page_token : undefined };
    });
  }

  async listRunsPage(req: Omit<ListRunsRequest, 'limit'> & { page_token?: string; offset?: number } = {}, opts?: CallOptions): Promise<ListRunsResponse> {
    const { limit: _l, page_size, ...q } = validate('jobs.listRuns', ListRunsSchema, req);
    return this.read('listRuns', '/runs/list', { ...q, ...(page_size !== undefined ? { limit: page_size } : {}) }, opts);
  }

  /** Every run, newest first. `limit` caps the total; `page_size` is the API's `limit`. */
  listRuns(req: ListRunsRequest = {}, opts?: CallOptions): Paginated<Run> {
    const { limit, ...q } = validate('jobs.listRuns', ListRunsSchema, req);
    return paginate<Run, TokenOrOffset>(async (cursor) => {
      const r = await this.listRunsPage({ ...q, ...cursor }, opts);
      const items = r.runs ?? [];
      return { items, next: nextCursor(r, offsetOf(cursor) + items.length) };
    }, limit);
  }

  async cancelRun(req: In<typeof RunIdSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('cancelRun', '/runs/cancel', validate('jobs.cancelRun', RunIdSchema, req), true, opts);
  }

  async cancelAllRuns(req: In<typeof CancelAllSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('cancelAllRuns', '/runs/cancel-all', validate('jobs.cancelAllRuns', CancelAllSchema, req), true, opts);
  }

  /** Output of a task run (a multi-task parent answers 400, §1.6 quirk 2). */
  async getRunOutput(req: In<typeof RunIdSchema>, opts?: CallOptions): Promise<RunOutput> {
    return this.read('getRunOutput', '/runs/get-output', validate('jobs.getRunOutput', RunIdSchema, req), opts);
  }

  async deleteRun(req: In<typeof RunIdSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('deleteRun', '/runs/delete', validate('jobs.deleteRun', RunIdSchema, req), true, opts);
  }

  /** Not safe to repeat: each call starts a repair (and needs the latest repair id afterwards). */
  async repairRun(req: RepairRunRequest, opts?: CallOptions): Promise<{ repair_id: number }> {
    return this.post('repairRun', '/runs/repair', validate('jobs.repairRun', RepairSchema, req), false, opts);
  }

  async exportRun(req: In<typeof ExportRunSchema>, opts?: CallOptions): Promise<{ views?: { name?: string; type?: string; content?: string }[] }> {
    return this.read('exportRun', '/runs/export', validate('jobs.exportRun', ExportRunSchema, req), opts);
  }
}
