/**
 * What the ETL pipeline workflow exposes: its input, result, progress query, signal and failure
 * types. Type-only consumers (client, CLI) import from here; the definitions of the query and signal
 * live here too so the client and the workflow agree on their names.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CompensationOutcome } from './compensation.js';
import type { LedgerEntry } from './ledger.js';
import type { LogicalTimeSource } from './logical-time.js';
import type { RepairRecord } from './run-repair.js';
import type { PipelineSpec, PipelineSpecInput } from './pipeline-spec.js';
import type { StepProgress } from './progress.js';

export interface EtlPipelineInput {
  /** Validated again inside the workflow; the client validates first so nothing starts on a bad spec. */
  spec: PipelineSpec | PipelineSpecInput;
  /**
   * What the run is for, as an ISO-8601 date (midnight UTC) or date-time with a zone: replaces
   * `{{durabricks.logical_date}}` / `{{durabricks.logical_time}}` in the spec's job and sql. Default:
   * the Schedule firing's nominal time for scheduled runs, else the workflow's start time.
   */
  logicalTime?: string;
}

/** The logical time a run used (ISO-8601, UTC) and where it came from. */
export interface LogicalTime {
  time: string;
  source: LogicalTimeSource;
}

/** A job run event, as the webhook receiver (or the emulator's notifier) reports it. */
export interface RunEvent {
  event: 'run.started' | 'run.succeeded' | 'run.failed' | 'run.canceled' | 'run.skipped' | (string & {});
  run_id: number;
  life_cycle_state?: string;
  result_state?: string;
}

export interface TaskResult {
  taskKey: string;
  runId?: number;
  /** result_state, or the life-cycle state when the task ended without one (INTERNAL_ERROR). */
  state: string;
  seconds?: number;
}

export interface SqlResult {
  warehouseId: string;
  statementId: string;
  columns: string[];
  /** At most spec.sql.max_rows rows (default 100); values are strings or null, as the API returns them. */
  rows: (string | null)[][];
  /** Rows the statement produced, when the API reports it. */
  totalRows?: number;
  /** True when `rows` is not the whole result (row or byte limit). */
  truncated: boolean;
}

export interface PipelineResult {
  pipeline: string;
  workflowId: string;
  /** Absent in runs made before durabricks knew logical times. */
  logicalTime?: LogicalTime;
  cluster?: { id: string; created: boolean; cleanup: string };
  /** `repairs`: the repairs `job.repair` made, oldest first (absent when there were none). */
  run: { runId: number; runPageUrl?: string; state: string; tasks: TaskResult[]; seconds?: number; repairs?: RepairRecord[] };
  sql?: SqlResult;
  steps: StepProgress[];
  resources: LedgerEntry[];
  cleanedUp: CompensationOutcome[];
}

export interface PipelineCounts extends Record<string, number> {
  activities: number;
  signals: number;
  tasksTotal: number;
  tasksSucceeded: number;
  tasksFailed: number;
  rows: number;
  repairs: number;
}

export interface PipelineProgress {
  pipeline: string;
  /** Absent in runs made before durabricks knew logical times. */
  logicalTime?: LogicalTime;
  phase: 'running' | 'succeeded' | 'failed' | 'cancelled';
  currentStep?: string;
  steps: StepProgress[];
  /** States observed per resource, in order, e.g. { cluster: ['PENDING', 'RUNNING', 'TERMINATED'] }. */
  statesSeen: Record<string, string[]>;
  clusterId?: string;
  runId?: number;
  runPageUrl?: string;
  counts: PipelineCounts;
  resources: LedgerEntry[];
  /** The failure message once phase is failed/cancelled. */
  error?: string;
}

/** Failure `type`s the pipeline ends with (ApplicationFailure.type), for callers to branch on. */
export const PipelineFailureType = {
  InvalidSpec: 'InvalidPipelineSpec',
  ClusterStartFailed: 'ClusterStartFailed',
  TaskFailed: 'PipelineTaskFailed',
  RunTimedOut: 'PipelineRunTimedOut',
  SqlFailed: 'PipelineSqlFailed',
  /** `sql.check`: the follow-up statement's first row was missing or not all true. */
  CheckFailed: 'PipelineCheckFailed',
  StepFailed: 'PipelineStepFailed',
} as const;

/** details[0] of a PipelineTaskFailed failure. */
export interface FailedTask {
  taskKey: string;
  runId?: number;
  state: string;
  /** runs/get-output `error` (first 2000 characters). */
  error?: string;
  /** The last 4000 characters of `error_trace`. */
  errorTrace?: string;
}

export interface PipelineFailureDetails {
  step: string;
  runId?: number;
  runPageUrl?: string;
  failedTasks?: FailedTask[];
  cleanedUp: CompensationOutcome[];
}

export const progressQuery = defineQuery<PipelineProgress>('progress');
/** Ends a run wait early (webhook); polling remains the fallback, so a lost event only costs time. */
export const runEventSignal = defineSignal<[RunEvent]>('runEvent');
