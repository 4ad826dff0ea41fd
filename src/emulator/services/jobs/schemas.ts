import { z } from 'zod';
import { anyObject, bool, int, list, nonEmpty, nonNegInt, stringMap } from '../../http/validation.js';

/**
 * Request schemas for Jobs (reference §2.4). Task-type payloads keep fields the emulator does not
 * interpret (z.looseObject) so they are echoed back by jobs/get and runs/get as submitted; the
 * top levels drop unknown fields like the real API.
 */

const taskTypePayloads = {
  notebook_task: z.looseObject({ notebook_path: nonEmpty(), base_parameters: stringMap().optional(), source: z.enum(['WORKSPACE', 'GIT']).optional(), warehouse_id: z.string().optional() }),
  spark_python_task: z.looseObject({ python_file: nonEmpty(), parameters: z.array(z.string()).optional(), source: z.enum(['WORKSPACE', 'GIT']).optional() }),
  python_wheel_task: z.looseObject({ package_name: nonEmpty(), entry_point: nonEmpty(), parameters: z.array(z.string()).optional(), named_parameters: stringMap().optional() }),
  spark_jar_task: z.looseObject({ main_class_name: z.string().optional(), jar_uri: z.string().optional(), parameters: z.array(z.string()).optional() }),
  spark_submit_task: z.looseObject({ parameters: z.array(z.string()).optional() }),
  sql_task: z.looseObject({ warehouse_id: nonEmpty(), parameters: stringMap().optional() }),
  run_job_task: z.looseObject({ job_id: int(), job_parameters: stringMap().optional() }),
  condition_task: z.looseObject({
    left: z.string(),
    op: z.enum(['EQUAL_TO', 'NOT_EQUAL', 'GREATER_THAN', 'GREATER_THAN_OR_EQUAL', 'LESS_THAN', 'LESS_THAN_OR_EQUAL']),
    right: z.string(),
  }),
  for_each_task: z.looseObject({ inputs: z.string(), task: anyObject(), concurrency: nonNegInt().optional() }),
  pipeline_task: z.looseObject({ pipeline_id: nonEmpty() }),
  dbt_task: z.looseObject({ commands: z.array(z.string()) }),
  dashboard_task: anyObject(),
  power_bi_task: anyObject(),
  clean_rooms_notebook_task: anyObject(),
  gen_ai_compute_task: anyObject(),
};

export const TASK_TYPES = Object.keys(taskTypePayloads) as (keyof typeof taskTypePayloads)[];
export type TaskType = (typeof TASK_TYPES)[number];

export const RUN_IF = ['ALL_SUCCESS', 'ALL_DONE', 'NONE_FAILED', 'AT_LEAST_ONE_SUCCESS', 'ALL_FAILED', 'AT_LEAST_ONE_FAILED'] as const;
export type RunIf = (typeof RUN_IF)[number];

const notificationsShape = anyObject();

export const taskSchema = z.object({
  task_key: nonEmpty().max(100),
  description: z.string().optional(),
  depends_on: z.array(z.object({ task_key: nonEmpty(), outcome: z.string().optional() })).optional(),
  run_if: z.enum(RUN_IF).optional(),
  existing_cluster_id: z.string().optional(),
  new_cluster: anyObject().optional(),
  job_cluster_key: z.string().optional(),
  environment_key: z.string().optional(),
  libraries: z.array(anyObject()).optional(),
  timeout_seconds: nonNegInt().optional(),
  max_retries: int().refine((n) => n >= -1, 'must be -1 (retry forever) or >= 0').optional(),
  min_retry_interval_millis: nonNegInt().optional(),
  retry_on_timeout: bool().optional(),
  disabled: bool().optional(),
  email_notifications: notificationsShape.optional(),
  webhook_notifications: notificationsShape.optional(),
  notification_settings: notificationsShape.optional(),
  health: anyObject().optional(),
  ...Object.fromEntries(TASK_TYPES.map((t) => [t, taskTypePayloads[t].optional()])),
});
export type TaskSpec = z.infer<typeof taskSchema> & Partial<Record<TaskType, Record<string, unknown>>>;

/** The 2.0 single-task form: task fields at the top level of the settings / submit body. */
const singleTaskFields = {
  existing_cluster_id: z.string().optional(),
  new_cluster: anyObject().optional(),
  libraries: z.array(anyObject()).optional(),
  max_retries: int().optional(),
  min_retry_interval_millis: nonNegInt().optional(),
  retry_on_timeout: bool().optional(),
  notebook_task: taskTypePayloads.notebook_task.optional(),
  spark_python_task: taskTypePayloads.spark_python_task.optional(),
  python_wheel_task: taskTypePayloads.python_wheel_task.optional(),
  spark_jar_task: taskTypePayloads.spark_jar_task.optional(),
  spark_submit_task: taskTypePayloads.spark_submit_task.optional(),
};
export const SINGLE_TASK_KEYS = Object.keys(singleTaskFields);

const parameterName = z.string().regex(/^[\w\-.]+$/, 'parameter names may only contain alphanumerics, _, - and .');

export const jobSettingsFields = {
  name: z.string().max(4096).optional(),
  description: z.string().optional(),
  tasks: z.array(taskSchema).max(1000).optional(),
  job_clusters: z.array(z.object({ job_cluster_key: nonEmpty(), new_cluster: anyObject() })).optional(),
  schedule: z.object({ quartz_cron_expression: nonEmpty(), timezone_id: nonEmpty(), pause_status: z.enum(['PAUSED', 'UNPAUSED']).optional() }).optional(),
  trigger: z
    .object({
      pause_status: z.enum(['PAUSED', 'UNPAUSED']).optional(),
      periodic: z.object({ interval: int().refine((n) => n >= 1, 'must be >= 1'), unit: z.enum(['HOURS', 'DAYS', 'WEEKS']) }).optional(),
      file_arrival: anyObject().optional(),
      table: anyObject().optional(),
      table_update: anyObject().optional(),
      model: anyObject().optional(),
    })
    .optional(),
  continuous: anyObject().optional(),
  max_concurrent_runs: z.preprocess((v) => v, nonNegInt().refine((n) => n <= 1000, 'must be <= 1000')).optional(),
  timeout_seconds: nonNegInt().optional(),
  email_notifications: notificationsShape.optional(),
  webhook_notifications: notificationsShape.optional(),
  notification_settings: notificationsShape.optional(),
  tags: stringMap()
    .refine((t) => Object.keys(t).length <= 25, 'a job can have at most 25 tags')
    .optional(),
  parameters: z.array(z.object({ name: parameterName, default: z.string() })).optional(),
  queue: z.object({ enabled: bool() }).optional(),
  run_as: z.object({ user_name: z.string().optional(), service_principal_name: z.string().optional() }).optional(),
  git_source: anyObject().optional(),
  environments: z.array(anyObject()).optional(),
  health: anyObject().optional(),
  format: z.enum(['SINGLE_TASK', 'MULTI_TASK']).optional(),
  edit_mode: z.enum(['UI_LOCKED', 'EDITABLE']).optional(),
  budget_policy_id: z.string().optional(),
  performance_target: z.string().optional(),
  deployment: anyObject().optional(),
  ...singleTaskFields,
};
export const jobSettingsSchema = z.object(jobSettingsFields);
export type JobSettingsInput = z.infer<typeof jobSettingsSchema>;

export const createJobSchema = z.object({ ...jobSettingsFields, access_control_list: z.array(anyObject()).optional() });
export const jobIdSchema = z.object({ job_id: int() });
export const getJobSchema = z.object({ job_id: int(), page_token: z.string().optional() });
export const updateJobSchema = z.object({ job_id: int(), new_settings: jobSettingsSchema.partial().optional(), fields_to_remove: z.array(z.string()).optional() });
export const resetJobSchema = z.object({ job_id: int(), new_settings: jobSettingsSchema });
export const listJobsSchema = z.object({
  limit: nonNegInt().optional(),
  offset: nonNegInt().optional(),
  page_token: z.string().optional(),
  name: z.string().optional(),
  expand_tasks: bool().optional(),
});

const legacyParams = {
  notebook_params: stringMap().optional(),
  python_params: z.array(z.string()).optional(),
  python_named_params: stringMap().optional(),
  jar_params: z.array(z.string()).optional(),
  spark_submit_params: z.array(z.string()).optional(),
  sql_params: stringMap().optional(),
  dbt_commands: z.array(z.string()).optional(),
  pipeline_params: anyObject().optional(),
};
export type LegacyParams = { [K in keyof typeof legacyParams]?: z.infer<(typeof legacyParams)[K]> };

export const idempotencyToken = z.string().max(64, 'must be at most 64 characters');

export const runNowSchema = z.object({
  job_id: int(),
  job_parameters: stringMap().optional(),
  idempotency_token: idempotencyToken.optional(),
  only: z.array(z.string()).optional(),
  queue: z.object({ enabled: bool() }).optional(),
  performance_target: z.string().optional(),
  ...legacyParams,
});

export const submitRunSchema = z.object({
  run_name: z.string().optional(),
  tasks: z.array(taskSchema).max(1000).optional(),
  job_clusters: z.array(z.object({ job_cluster_key: nonEmpty(), new_cluster: anyObject() })).optional(),
  timeout_seconds: nonNegInt().optional(),
  idempotency_token: idempotencyToken.optional(),
  git_source: anyObject().optional(),
  environments: z.array(anyObject()).optional(),
  email_notifications: notificationsShape.optional(),
  webhook_notifications: notificationsShape.optional(),
  notification_settings: notificationsShape.optional(),
  health: anyObject().optional(),
  queue: z.object({ enabled: bool() }).optional(),
  run_as: anyObject().optional(),
  access_control_list: z.array(anyObject()).optional(),
  budget_policy_id: z.string().optional(),
  ...singleTaskFields,
});

export const runIdSchema = z.object({ run_id: int() });
export const getRunSchema = z.object({ run_id: int(), include_history: bool().optional(), include_resolved_values: bool().optional(), page_token: z.string().optional() });
export const listRunsSchema = z.object({
  job_id: int().optional(),
  active_only: bool().optional(),
  completed_only: bool().optional(),
  run_type: z.enum(['JOB_RUN', 'WORKFLOW_RUN', 'SUBMIT_RUN']).optional(),
  start_time_from: int().optional(),
  start_time_to: int().optional(),
  expand_tasks: bool().optional(),
  limit: nonNegInt().optional(),
  offset: nonNegInt().optional(),
  page_token: z.string().optional(),
});
export const cancelAllSchema = z.object({ job_id: int().optional(), all_queued_runs: bool().optional() });
export const repairSchema = z.object({
  run_id: int(),
  rerun_tasks: z.array(nonEmpty()).optional(),
  rerun_all_failed_tasks: bool().optional(),
  rerun_dependent_tasks: bool().optional(),
  latest_repair_id: int().optional(),
  job_parameters: stringMap().optional(),
  ...legacyParams,
});
export const exportRunSchema = z.object({ run_id: int(), views_to_export: z.enum(['CODE', 'DASHBOARDS', 'ALL']).optional() });
export const listOfStrings = list(z.string());
