import type { TaskExecutionInput, TaskExecutorRegistry, TaskOutcome } from './executors.js';
import type { TaskSpec } from './schemas.js';
import { taskTypeOf } from './settings.js';
import { effectiveParams } from './task-rules.js';

/**
 * for_each_task: the nested task runs once per element of `inputs` (a JSON array, `{{input}}` in
 * its parameters becomes the element), `concurrency` at a time. Iterations are not separate task
 * runs here; the task's duration is the sum of each wave's longest iteration, it fails if any
 * iteration fails, and its `for_each_task.stats` count the iterations like the real ones.
 */
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

export async function runForEach(
  spec: { inputs: string; task: Record<string, unknown>; concurrency?: number },
  base: TaskExecutionInput,
  executors: TaskExecutorRegistry,
  readSource: (path: string) => string | undefined,
): Promise<TaskOutcome & { stats?: ForEachStats }> {
  let items: unknown;
  try {
    items = JSON.parse(spec.inputs);
  } catch {
    items = undefined;
  }
  if (!Array.isArray(items)) return failed('The for_each_task inputs must be a JSON array.');
  let nested: TaskSpec;
  let type: string;
  try {
    nested = { task_key: `${base.taskKey}_iteration`, ...spec.task } as TaskSpec;
    type = taskTypeOf(nested);
  } catch (err) {
    return failed(err instanceof Error ? err.message : String(err));
  }
  const concurrency = Math.max(1, Math.min(spec.concurrency ?? 1, 100));
  const payload = (nested as Record<string, unknown>)[type] as Record<string, unknown> | undefined;
  const path = typeof payload?.notebook_path === 'string' ? payload.notebook_path : typeof payload?.python_file === 'string' ? payload.python_file : undefined;
  const source = path ? readSource(path) : undefined;

  const outcomes: TaskOutcome[] = [];
  for (const item of items) {
    const text = typeof item === 'string' ? item : JSON.stringify(item);
    const sub = (v: string) => v.replace(/\{\{\s*input\s*\}\}/g, text);
    const params = effectiveParams(nested, base.parameters, {});
    const input: TaskExecutionInput = {
      ...base,
      taskType: type,
      task: nested as Record<string, unknown>,
      parameters: Object.fromEntries(Object.entries(params.named_params).map(([k, v]) => [k, sub(v)])),
      positional: params.positional_params.map(sub),
      ...(source !== undefined ? { source } : {}),
    };
    outcomes.push(await executors.get(type).execute(input));
  }
  let durationMs = 0;
  for (let i = 0; i < outcomes.length; i += concurrency) durationMs += Math.max(0, ...outcomes.slice(i, i + concurrency).map((o) => o.durationMs));
  const failures = outcomes.filter((o) => o.result !== 'SUCCESS');
  const messages = new Map<string, number>();
  for (const f of failures) messages.set(f.message ?? 'Iteration failed.', (messages.get(f.message ?? 'Iteration failed.') ?? 0) + 1);
  const stats: ForEachStats = {
    task_run_stats: {
      total_iterations: outcomes.length,
      scheduled_iterations: outcomes.length,
      active_iterations: 0,
      completed_iterations: outcomes.length,
      succeeded_iterations: outcomes.length - failures.length,
      failed_iterations: failures.length,
    },
    ...(messages.size > 0 ? { error_message_stats: [...messages].map(([error_message, count]) => ({ error_message, count, termination_category: 'RUN_EXECUTION_ERROR' })) } : {}),
  };
  if (failures.length === 0) return { durationMs, result: 'SUCCESS', stats };
  const message = `${failures.length} of ${outcomes.length} iterations failed.`;
  return { durationMs, result: 'FAILED', message, output: { error: message }, stats };
}

function failed(message: string): TaskOutcome {
  return { durationMs: 0, result: 'FAILED', message, output: { error: message } };
}
