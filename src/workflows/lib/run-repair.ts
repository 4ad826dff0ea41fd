/**
 * `job.repair`: a run whose tasks failed is repaired in place (runs/repair re-runs its failed tasks
 * and keeps the ones that succeeded) instead of failing the pipeline, up to `attempts` times. The
 * decisions are here; the pipeline makes the calls. No Node imports: bundled into the workflow sandbox.
 */
import type { Run } from '../../databricks/index.js';
import { formatSeconds } from './duration.js';
import { runState } from './pipeline-helpers.js';

/**
 * Run results worth a repair: tasks failed or ran out of time. Not CANCELED (someone stopped the run
 * on purpose) nor INTERNAL_ERROR or skipped/excluded runs (nothing a re-run of the same tasks fixes).
 */
const REPAIRABLE: ReadonlySet<string> = new Set(['FAILED', 'TIMEDOUT']);

/** Task states runs/repair's `rerun_all_failed_tasks` re-runs. */
const RERUN_STATES: ReadonlySet<string> = new Set(['FAILED', 'TIMEDOUT', 'CANCELED', 'INTERNAL_ERROR', 'UPSTREAM_FAILED', 'UPSTREAM_CANCELED']);

export interface RepairPolicy {
  attempts: number;
  /** Seconds to wait before each repair (a durable timer): time for a flaky source to come back. */
  delay?: number | undefined;
}

/** One repair the pipeline made: its id and the tasks it re-ran. */
export interface RepairRecord {
  repairId: number;
  tasks: string[];
}

/** Whether the run, as it ended, should be repaired once more. */
export function shouldRepair(run: Run, policy: RepairPolicy | undefined, done: number): boolean {
  return policy !== undefined && done < policy.attempts && REPAIRABLE.has(runState(run));
}

/** The tasks a repair of `run` re-runs, for the record and the progress detail. */
export function tasksToRerun(run: Run): string[] {
  return (run.tasks ?? []).filter((t) => RERUN_STATES.has(t.state?.result_state ?? t.state?.life_cycle_state ?? '')).map((t) => t.task_key);
}

/** The wait step's detail while a repair is pending: what failed, which repair, and after how long. */
export function repairDetail(run: Run, policy: RepairPolicy, attempt: number, tasks: string[]): string {
  return `run ${run.run_id} ${runState(run)} (${tasks.join(', ') || 'no task named'}): repair ${attempt} of ${policy.attempts}${policy.delay ? ` in ${formatSeconds(policy.delay)}` : ''}`;
}
