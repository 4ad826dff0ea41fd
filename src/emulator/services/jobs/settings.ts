import { invalidParameter } from '../../http/errors.js';
import { checkTimeZone, parseCron } from './cron.js';
import { MAX_FOR_EACH_CONCURRENCY } from './for-each.js';
import { SINGLE_TASK_KEYS, TASK_TYPES, type JobSettingsInput, type TaskSpec, type TaskType } from './schemas.js';

/** Stored job settings: always multi-task (`tasks`), with the defaults the real API shows. */
export type JobSettings = Omit<JobSettingsInput, 'tasks'> & { tasks: TaskSpec[]; name: string; max_concurrent_runs: number; timeout_seconds: number; format: 'SINGLE_TASK' | 'MULTI_TASK' };

/** Key given to the task of a 2.0 single-task job. */
export const SINGLE_TASK_KEY = 'default';

export function taskTypeOf(task: TaskSpec): TaskType {
  for (const t of TASK_TYPES) if ((task as Record<string, unknown>)[t] !== undefined) return t;
  throw invalidParameter(`Task ${task.task_key} must specify exactly one task type (${TASK_TYPES.join(', ')}).`);
}

/**
 * Turns the 2.0 single-task form (notebook_task, new_cluster… at the top level) into one task,
 * so every run follows the same multi-task state machine.
 */
export function liftSingleTask<T extends Record<string, unknown>>(input: T): { rest: Omit<T, (typeof SINGLE_TASK_KEYS)[number]>; task?: TaskSpec } {
  const rest: Record<string, unknown> = {};
  const task: Record<string, unknown> = { task_key: SINGLE_TASK_KEY };
  let hasType = false;
  for (const [k, v] of Object.entries(input)) {
    if (SINGLE_TASK_KEYS.includes(k)) {
      if (v !== undefined) task[k] = v;
      if ((TASK_TYPES as string[]).includes(k) && v !== undefined) hasType = true;
    } else rest[k] = v;
  }
  return hasType ? { rest: rest as Omit<T, never>, task: task as TaskSpec } : { rest: rest as Omit<T, never> };
}

/** Structural checks zod cannot express: unique keys, one task type each, known dependencies, no cycles. */
export function checkTasks(tasks: readonly TaskSpec[], jobClusters: readonly { job_cluster_key: string }[] = []): void {
  const keys = new Set<string>();
  for (const t of tasks) {
    if (keys.has(t.task_key)) throw invalidParameter(`Task key ${t.task_key} is used by more than one task; task keys must be unique.`);
    keys.add(t.task_key);
    const types = TASK_TYPES.filter((k) => (t as Record<string, unknown>)[k] !== undefined);
    if (types.length !== 1) throw invalidParameter(`Task ${t.task_key} must specify exactly one task type (${TASK_TYPES.join(', ')}).`);
    const computes = [t.existing_cluster_id, t.new_cluster, t.job_cluster_key].filter((c) => c !== undefined).length;
    if (computes > 1) throw invalidParameter(`Task ${t.task_key} can specify only one of existing_cluster_id, new_cluster and job_cluster_key.`);
    if (t.for_each_task) checkForEach(t);
    if (t.job_cluster_key !== undefined && !jobClusters.some((c) => c.job_cluster_key === t.job_cluster_key)) {
      throw invalidParameter(`Task ${t.task_key} refers to job cluster ${t.job_cluster_key}, which is not defined in job_clusters.`);
    }
  }
  const clusterKeys = new Set<string>();
  for (const c of jobClusters) {
    if (clusterKeys.has(c.job_cluster_key)) throw invalidParameter(`Job cluster key ${c.job_cluster_key} is used more than once.`);
    clusterKeys.add(c.job_cluster_key);
  }
  for (const t of tasks) {
    for (const d of t.depends_on ?? []) {
      if (!keys.has(d.task_key)) throw invalidParameter(`Task ${t.task_key} depends on ${d.task_key}, which does not exist in the job.`);
      if (d.task_key === t.task_key) throw invalidParameter(`Task ${t.task_key} cannot depend on itself.`);
    }
  }
  const byKey = new Map(tasks.map((t) => [t.task_key, t]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (key: string): void => {
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') throw invalidParameter(`The task dependency graph contains a cycle through ${key}.`);
    state.set(key, 'visiting');
    for (const d of byKey.get(key)?.depends_on ?? []) visit(d.task_key);
    state.set(key, 'done');
  };
  for (const k of keys) visit(k);
}

/** Docs: the nested task cannot be another For each task; Terraform docs: concurrency at most 100. */
function checkForEach(t: TaskSpec): void {
  const fe = t.for_each_task as { task: Record<string, unknown>; concurrency?: number };
  if (fe.task.for_each_task !== undefined) throw invalidParameter(`Task ${t.task_key}: the nested task of a for_each_task cannot be another for_each_task.`);
  if ((fe.concurrency ?? 1) > MAX_FOR_EACH_CONCURRENCY) throw invalidParameter(`Task ${t.task_key}: for_each_task concurrency must be at most ${MAX_FOR_EACH_CONCURRENCY}.`);
}

/** Validates and normalises create/reset input into stored settings. Throws 400 before anything is stored. */
export function normaliseSettings(input: JobSettingsInput): JobSettings {
  const { rest, task } = liftSingleTask(input as Record<string, unknown>);
  const base = rest as Omit<JobSettingsInput, 'tasks'> & { tasks?: TaskSpec[] };
  if (task && base.tasks && base.tasks.length > 0) throw invalidParameter('Specify either tasks or a top-level task (single-task format), not both.');
  const tasks = task ? [task] : (base.tasks ?? []);
  checkTasks(tasks, base.job_clusters ?? []);
  checkSchedule(base.schedule);
  return {
    ...base,
    name: base.name ?? 'Untitled',
    tasks: tasks.map((t) => ({ ...t, run_if: t.depends_on?.length ? (t.run_if ?? 'ALL_SUCCESS') : t.run_if, timeout_seconds: t.timeout_seconds ?? 0 })).map(stripUndefined),
    max_concurrent_runs: base.max_concurrent_runs ?? 1,
    timeout_seconds: base.timeout_seconds ?? 0,
    email_notifications: base.email_notifications ?? {},
    webhook_notifications: base.webhook_notifications ?? {},
    format: task ? 'SINGLE_TASK' : 'MULTI_TASK',
  };
}

export function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A job schedule must be a valid Quartz expression in a known time zone (checked before storing). */
export function checkSchedule(schedule: { quartz_cron_expression: string; timezone_id: string } | undefined): void {
  if (!schedule) return;
  try {
    parseCron(schedule.quartz_cron_expression);
  } catch (err) {
    throw invalidParameter(`Invalid quartz_cron_expression ${JSON.stringify(schedule.quartz_cron_expression)}: ${err instanceof Error ? err.message : String(err)}.`);
  }
  try {
    checkTimeZone(schedule.timezone_id);
  } catch {
    throw invalidParameter(`Invalid timezone_id ${JSON.stringify(schedule.timezone_id)}.`);
  }
}
