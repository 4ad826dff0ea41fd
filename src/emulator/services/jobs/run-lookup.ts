import { invalidParameter } from '../../http/errors.js';
import type { RunsModel } from './runs.js';
import type { RunRecord, TaskRun } from './run-types.js';
import type { LegacyParams } from './schemas.js';

/** Lookups and checks shared by the job and run routes. */

export const runDoesNotExist = (id: number) => invalidParameter(`Run ${id} does not exist.`);

const LEGACY_KEYS = ['notebook_params', 'python_params', 'python_named_params', 'jar_params', 'spark_submit_params', 'sql_params', 'dbt_commands', 'pipeline_params'] as const;

/** The legacy run-now parameters that were given (≤ 10,000 bytes of JSON, reference §2.4). */
export function legacyOf(input: LegacyParams): LegacyParams {
  const out: Record<string, unknown> = {};
  for (const k of LEGACY_KEYS) if (input[k] !== undefined) out[k] = input[k];
  if (JSON.stringify(out).length > 10_000) throw invalidParameter('The total size of the legacy parameters (notebook_params, python_params, …) exceeds 10,000 bytes.');
  return out as LegacyParams;
}

/** A run or a task run by id; unknown ids are 400 INVALID_PARAMETER_VALUE (quirk 1). */
export function findRun(runs: RunsModel, id: number): { run: RunRecord; task?: TaskRun } {
  const run = runs.runs.get(id);
  if (run && !runs.purged(run)) return { run };
  const task = runs.taskRuns.get(id);
  const parent = task ? runs.runs.get(task.parent_run_id) : undefined;
  if (task && parent && !runs.purged(parent)) return { run: parent, task };
  throw runDoesNotExist(id);
}

/** The existing run for an idempotency token, or undefined; a deleted one is an error (reference §1.8). */
export function runForIdempotencyToken(runs: RunsModel, token: string | undefined): RunRecord | undefined {
  if (token === undefined) return undefined;
  const id = runs.idempotency.get(token);
  if (id === undefined) return undefined;
  const run = runs.runs.get(id);
  if (!run) throw invalidParameter(`The run created with idempotency token ${token} has been deleted; use a new idempotency token.`);
  return run;
}
