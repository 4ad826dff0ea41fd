/**
 * Types of the backfill workflow (`backfillPipeline`): one pipeline run per logical time in a range,
 * each a child `etlPipeline` with that time, a few at once. Shared by the workflow, the client and
 * the CLI. No Node imports: bundled into the workflow sandbox.
 */
import { defineQuery } from '@temporalio/workflow';
import type { PipelineSpec, PipelineSpecInput } from './pipeline-spec.js';

export interface BackfillInput {
  spec: PipelineSpec | PipelineSpecInput;
  /** The first logical time, included (ISO-8601 date or date-time with a zone). */
  from: string;
  /** The end of the range, not included. */
  to: string;
  /** Between two logical times: a duration such as "1d" (default) or "1h", at least a minute. */
  every?: string | number;
  /** Pipelines running at once (default 1, at most 10). */
  concurrency?: number;
  /** Set by the workflow when it continues as new: what earlier runs of this backfill counted. */
  carried?: BackfillCarried;
  /** Runs per workflow run before it continues as new, to keep each history short (default 50; tests set less). */
  batch?: number;
}

/** One logical time's pipeline: its child workflow and how it ended. */
export interface BackfillRun {
  logicalTime: string;
  workflowId: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  error?: string;
}

export interface BackfillCarried {
  /** The range's first logical time (`from` moves on at each continue-as-new). */
  from: string;
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** The first 100 runs that failed or were cancelled. */
  failures: BackfillRun[];
}

export interface BackfillProgress {
  pipeline: string;
  from: string;
  to: string;
  every: number;
  concurrency: number;
  /** Logical times in the whole range. */
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  phase: 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** The runs in flight now. */
  running: BackfillRun[];
  /** Runs that ended, newest last (the last 100). */
  recent: BackfillRun[];
}

export interface BackfillResult {
  pipeline: string;
  total: number;
  succeeded: number;
  /** The first logical time and the last one run. */
  first: string;
  last: string;
}

/** details[0] of a BackfillIncomplete failure. */
export interface BackfillFailureDetails {
  total: number;
  succeeded: number;
  /** The first 100 runs that failed or were cancelled. */
  failures: BackfillRun[];
}

export const BackfillFailureType = {
  InvalidBackfill: 'InvalidBackfill',
  Incomplete: 'BackfillIncomplete',
} as const;

export const backfillProgressQuery = defineQuery<BackfillProgress>('backfillProgress');
