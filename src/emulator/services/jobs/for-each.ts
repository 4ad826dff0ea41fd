import type { TaskRun } from './run-types.js';
import { TERMINAL } from './run-types.js';
import type { TaskSpec } from './schemas.js';

/**
 * Pure rules of a for_each_task: reading `inputs`, the nested task each element runs as, and the
 * `for_each_task.stats` the real runs/get shows. The scheduling of the iterations (each a task run
 * of its own, `concurrency` at a time) is in for-each-runner.ts.
 */

/** At most this many iterations at once (Terraform provider docs: "maximum allowed is 100"). */
export const MAX_FOR_EACH_CONCURRENCY = 100;

export interface ForEachStats {
  task_run_stats: {
    total_iterations: number;
    scheduled_iterations: number;
    active_iterations: number;
    completed_iterations: number;
    succeeded_iterations: number;
    failed_iterations: number;
  };
  error_message_stats?: { error_message: string; count: number; termination_category: string }[];
}

/** The elements of a resolved `inputs` string, or why it is not a JSON array. */
export function parseInputs(inputs: string): unknown[] | { error: string } {
  try {
    const items: unknown = JSON.parse(inputs);
    if (Array.isArray(items)) return items;
  } catch {
    // Reported below like a value that parses to something else.
  }
  return { error: 'The for_each_task inputs must be a JSON array.' };
}

/** The UI documents a default of 1; the SDK says only "optional". Values above the maximum are refused at submit. */
export function concurrencyOf(spec: { concurrency?: number }): number {
  return Math.max(1, Math.min(spec.concurrency ?? 1, MAX_FOR_EACH_CONCURRENCY));
}

const textOf = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * The nested task as one iteration runs it: every `{{input}}` in its strings becomes the element and
 * `{{input.<key>}}` a field of an object element (docs: "What parameter types can I use with the For
 * each task?"), so runs/get of the iteration shows the resolved parameters.
 */
export function iterationSpec(parentKey: string, nested: Record<string, unknown>, element: unknown): TaskSpec {
  const sub = (s: string): string =>
    s.replace(/\{\{\s*input((?:\.[\w-]+)*)\s*\}\}/g, (whole, path: string) => {
      let v: unknown = element;
      for (const key of path.split('.').filter(Boolean)) {
        if (typeof v !== 'object' || v === null || !(key in v)) return whole;
        v = (v as Record<string, unknown>)[key];
      }
      return textOf(v);
    });
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return sub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { task_key: `${parentKey}_iteration`, ...(walk(nested) as Record<string, unknown>) } as TaskSpec;
}

/** The newest attempt of each iteration index (stats count "only latest retries"). */
export function latestIterations(iterations: readonly TaskRun[]): TaskRun[] {
  const latest = new Map<number, TaskRun>();
  for (const it of iterations) {
    const prev = latest.get(it.iteration_index ?? 0);
    if (!prev || it.attempt_number >= prev.attempt_number) latest.set(it.iteration_index ?? 0, it);
  }
  return [...latest.values()];
}

/** Live counts: scheduled = iterations started so far, active = not yet settled (incl. waiting to retry). */
export function forEachStats(total: number, iterations: readonly TaskRun[]): ForEachStats {
  const latest = latestIterations(iterations);
  const done = latest.filter((t) => TERMINAL.has(t.life));
  const failures = done.filter((t) => t.result !== 'SUCCESS');
  const messages = new Map<string, number>();
  for (const f of failures) messages.set(f.message || 'Iteration failed.', (messages.get(f.message || 'Iteration failed.') ?? 0) + 1);
  // The SDK: "Sample of 3 most common error messages occurred during the iteration."
  const top = [...messages].sort((a, b) => b[1] - a[1]).slice(0, 3);
  return {
    task_run_stats: {
      total_iterations: total,
      scheduled_iterations: latest.length,
      active_iterations: latest.length - done.length,
      completed_iterations: done.length,
      succeeded_iterations: done.length - failures.length,
      failed_iterations: failures.length,
    },
    ...(top.length > 0 ? { error_message_stats: top.map(([error_message, count]) => ({ error_message, count, termination_category: 'RUN_EXECUTION_ERROR' })) } : {}),
  };
}
