import { concurrencyOf, iterationSpec, latestIterations, parseInputs } from './for-each.js';
import { TERMINAL, type RunRecord, type TaskRun } from './run-types.js';
import type { TaskSpec } from './schemas.js';
import { taskTypeOf } from './settings.js';

/** What the runner needs from the runs state machine (runs.ts), which owns task runs and their timers. */
export interface IterationHost {
  readonly taskRuns: Map<number, TaskRun>;
  /** A new task run of `spec` in `run` that is not one of its `tasks`. */
  newIterationRun(run: RunRecord, parent: TaskRun, spec: TaskSpec): TaskRun;
  /** Starts a task run through setup like any task (its own compute, its own duration), at `at` when given. */
  begin(run: RunRecord, t: TaskRun, at?: number): void;
  finish(t: TaskRun, result: 'SUCCESS' | 'FAILED', message: string, endTime?: number): void;
  cancel(t: TaskRun): void;
}

/**
 * Runs a for_each_task's iterations as task runs of their own, as the real Jobs API does: each has a
 * run_id that runs/get, runs/get-output and runs/cancel accept, `concurrency` of them at a time, in
 * the order of `inputs`. The for_each task ends when the last one settles, FAILED if any iteration's
 * latest attempt did not succeed.
 */
export class ForEachRunner {
  /** for_each task runs whose fill() is on the stack: a nested call (an iteration that settled at once) leaves the work to it. */
  private readonly filling = new Set<number>();

  constructor(private readonly host: IterationHost) {}

  /** Starts the task: its inputs (references already resolved) are read once, when it starts. */
  start(run: RunRecord, t: TaskRun, inputs: string): void {
    const items = parseInputs(inputs);
    if (!Array.isArray(items)) return this.host.finish(t, 'FAILED', items.error);
    const spec = t.spec.for_each_task as { task: Record<string, unknown>; concurrency?: number };
    try {
      if (taskTypeOf(iterationSpec(t.task_key, spec.task, undefined)) === 'for_each_task') throw new Error('A for_each_task cannot run another for_each_task.');
    } catch (err) {
      return this.host.finish(t, 'FAILED', err instanceof Error ? err.message : String(err));
    }
    t.for_each = { inputs: items, concurrency: concurrencyOf(spec), iteration_ids: [] };
    // The first iterations start when the task did, not a wall-clock millisecond later (instant mode runs on real time between jumps).
    this.fill(run, t, t.exec_start);
  }

  /** Every attempt of every iteration, in order. */
  iterations(t: TaskRun): TaskRun[] {
    const out: TaskRun[] = [];
    for (const id of t.for_each?.iteration_ids ?? []) {
      const it = this.host.taskRuns.get(id);
      if (it) out.push(it);
    }
    return out;
  }

  /** A retry attempt of an iteration joins the list right after the attempt it retries. */
  addRetry(failed: TaskRun, next: TaskRun): void {
    const parent = failed.iteration_of !== undefined ? this.host.taskRuns.get(failed.iteration_of) : undefined;
    if (!parent?.for_each) return;
    next.iteration_of = parent.run_id;
    next.iteration_index = failed.iteration_index ?? 0;
    const ids = parent.for_each.iteration_ids;
    ids.splice(ids.indexOf(failed.run_id) + 1, 0, next.run_id);
  }

  /** An iteration settled for good (no retry left): the next one may start, or the task end. */
  onIterationSettled(run: RunRecord, it: TaskRun): void {
    const parent = it.iteration_of !== undefined ? this.host.taskRuns.get(it.iteration_of) : undefined;
    // The next one starts when this one ended, not a wall-clock millisecond later (instant mode).
    if (parent) this.fill(run, parent, it.end_time);
  }

  /** The task ended another way (cancel, timeout): its unsettled iterations are cancelled with it. */
  stop(t: TaskRun): void {
    for (const it of this.iterations(t)) if (!TERMINAL.has(it.life)) this.host.cancel(it);
  }

  private fill(run: RunRecord, t: TaskRun, at?: number): void {
    if (this.filling.has(t.run_id)) return;
    this.filling.add(t.run_id);
    try {
      for (;;) {
        const fe = t.for_each;
        if (!fe || TERMINAL.has(t.life)) return;
        const latest = latestIterations(this.iterations(t));
        const active = latest.filter((x) => !TERMINAL.has(x.life)).length;
        if (active >= fe.concurrency) return;
        if (latest.length < fe.inputs.length) {
          this.startIteration(run, t, latest.length, at);
          continue;
        }
        if (active === 0) this.finish(t, latest);
        return;
      }
    } finally {
      this.filling.delete(t.run_id);
    }
  }

  private startIteration(run: RunRecord, t: TaskRun, index: number, at: number | undefined): void {
    const fe = t.for_each as NonNullable<TaskRun['for_each']>;
    const nested = (t.spec.for_each_task as { task: Record<string, unknown> }).task;
    const it = this.host.newIterationRun(run, t, iterationSpec(t.task_key, nested, fe.inputs[index]));
    it.iteration_of = t.run_id;
    it.iteration_index = index;
    fe.iteration_ids.push(it.run_id);
    this.host.begin(run, it, at);
  }

  private finish(t: TaskRun, latest: TaskRun[]): void {
    const failed = latest.filter((x) => x.result !== 'SUCCESS').length;
    // It ends when its last iteration did (in instant mode the clock runs on a little after a jump).
    const end = latest.length > 0 ? Math.max(...latest.map((x) => x.end_time)) : undefined;
    if (failed === 0) return this.host.finish(t, 'SUCCESS', '', end);
    this.host.finish(t, 'FAILED', `${failed} of ${latest.length} iterations failed.`, end);
  }
}
