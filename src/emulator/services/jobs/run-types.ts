import type { TaskOutput } from './executors.js';
import type { TaskSpec, TaskType } from './schemas.js';

export type LifeCycle = 'QUEUED' | 'PENDING' | 'RUNNING' | 'TERMINATING' | 'TERMINATED' | 'SKIPPED' | 'INTERNAL_ERROR' | 'BLOCKED' | 'WAITING_FOR_RETRY';
export type ResultState =
  | 'SUCCESS'
  | 'FAILED'
  | 'TIMEDOUT'
  | 'CANCELED'
  | 'MAXIMUM_CONCURRENT_RUNS_REACHED'
  | 'EXCLUDED'
  | 'SUCCESS_WITH_FAILURES'
  | 'UPSTREAM_FAILED'
  | 'UPSTREAM_CANCELED'
  | 'DISABLED';

export const TERMINAL: ReadonlySet<LifeCycle> = new Set(['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR']);
/** What runs/list active_only means (reference §2.4). */
export const ACTIVE: ReadonlySet<LifeCycle> = new Set(['QUEUED', 'PENDING', 'RUNNING', 'TERMINATING', 'BLOCKED', 'WAITING_FOR_RETRY']);

export interface Termination {
  code: string;
  type: 'SUCCESS' | 'CLIENT_ERROR' | 'INTERNAL_ERROR' | 'CLOUD_FAILURE';
  message: string;
}

export interface TaskRun {
  run_id: number;
  parent_run_id: number;
  task_key: string;
  spec: TaskSpec;
  type: TaskType;
  attempt_number: number;
  life: LifeCycle;
  result?: ResultState;
  message: string;
  termination?: Termination;
  /** 0 until the task leaves BLOCKED. */
  start_time: number;
  exec_start?: number;
  end_time: number;
  gen: number;
  /** Set once the executor has decided; the task finishes at exec_start + duration. */
  planned?: { result: 'SUCCESS' | 'FAILED' | 'INTERNAL_ERROR'; message?: string; durationMs: number; finishAt?: number };
  output?: TaskOutput;
  cluster_instance?: { cluster_id: string; spark_context_id?: string };
  /** The task's own new_cluster as launched under its policy (the policy's values filled in). */
  launched_cluster?: Record<string, unknown>;
  condition_outcome?: 'true' | 'false';
  /**
   * A for_each_task once started: its resolved elements, its concurrency and its iterations' task
   * runs (every attempt, in order). The iterations are not in the run's `tasks`.
   */
  for_each?: { inputs: unknown[]; concurrency: number; iteration_ids: number[] };
  /** An iteration: the for_each task run it belongs to and the index of its element. */
  iteration_of?: number;
  iteration_index?: number;
  /** The run a run_job_task started. */
  child_run_id?: number;
  named_params: Record<string, string>;
  positional_params: string[];
}

export interface RepairEntry {
  type: 'ORIGINAL' | 'REPAIR';
  id?: number;
  start_time: number;
  end_time: number;
  task_run_ids: number[];
  life?: LifeCycle;
  result?: ResultState;
  message?: string;
}

export interface RunRecord {
  run_id: number;
  job_id?: number;
  run_name: string;
  run_type: 'JOB_RUN' | 'SUBMIT_RUN' | 'WORKFLOW_RUN';
  trigger: string;
  creator_user_name: string;
  run_as: string;
  life: LifeCycle;
  result?: ResultState;
  message: string;
  termination?: Termination;
  user_cancelled_or_timedout: boolean;
  queue_reason?: string;
  /** Current task runs, in display order (retries appended after their failed attempt). */
  task_ids: number[];
  job_clusters?: { job_cluster_key: string; new_cluster: Record<string, unknown> }[];
  job_parameters?: { name: string; default: string; value?: string }[];
  overriding_parameters?: Record<string, unknown>;
  created_time: number;
  /** When it left the queue (start of PENDING). */
  started_at?: number;
  end_time: number;
  timeout_seconds: number;
  timeout_gen: number;
  gen: number;
  queue_enabled: boolean;
  idempotency_token?: string;
  repair_history: RepairEntry[];
  canceled: boolean;
  timed_out: boolean;
  format: 'SINGLE_TASK' | 'MULTI_TASK';
  git_source?: Record<string, unknown>;
  description?: string;
  /** Copied from the job settings / submit body: destination ids per event. */
  webhook_notifications?: Partial<Record<'on_start' | 'on_success' | 'on_failure', { id?: unknown }[]>>;
  /** Set when a run_job_task started this run: the task finishes when this run does. */
  parent_task_run_id?: number;
  /** JOB-source clusters created for this run; terminated with JOB_FINISHED when it ends. */
  job_cluster_ids?: string[];
  /** The run-now `only` list, kept for display. */
  only?: string[];
}
