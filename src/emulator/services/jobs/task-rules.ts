import type { ResultState, RunRecord, TaskRun } from './run-types.js';
import type { LegacyParams, TaskSpec } from './schemas.js';

/** Pure task-level rules of the runs state machine: parameters, run_if, references, conditions. */

/** Named and positional parameters a task sees: its own, overridden by job parameters and run-now's legacy params. */
export function effectiveParams(spec: TaskSpec, named: Record<string, string>, legacy: LegacyParams): { named_params: Record<string, string>; positional_params: string[] } {
  const s = spec as unknown as Record<string, Record<string, unknown> | undefined>;
  const nb = s.notebook_task;
  const wheel = s.python_wheel_task;
  const sql = s.sql_task;
  const own = { ...((nb?.base_parameters ?? wheel?.named_parameters ?? sql?.parameters ?? {}) as Record<string, string>) };
  const overrides = nb ? legacy.notebook_params : wheel ? legacy.python_named_params : sql ? legacy.sql_params : undefined;
  const positionalOwn = ((s.spark_python_task ?? s.python_wheel_task ?? s.spark_jar_task ?? s.spark_submit_task)?.parameters ?? []) as string[];
  const positionalOverride = s.spark_python_task || s.python_wheel_task ? legacy.python_params : s.spark_jar_task ? legacy.jar_params : s.spark_submit_task ? legacy.spark_submit_params : undefined;
  return { named_params: { ...own, ...named, ...(overrides ?? {}) }, positional_params: positionalOverride ?? positionalOwn };
}

export type Verdict = 'run' | 'EXCLUDED' | 'UPSTREAM_FAILED' | 'UPSTREAM_CANCELED';

/** run_if semantics over the settled dependencies (reference §2.4 Task). */
export function runIfVerdict(t: TaskRun, deps: { result: ResultState | undefined; conditionOutcome: string | undefined; wanted: string | undefined }[]): Verdict {
  if (deps.length === 0) return 'run';
  // A dependency on a condition task's other branch excludes the task.
  if (deps.some((d) => d.wanted !== undefined && d.conditionOutcome !== undefined && d.wanted !== d.conditionOutcome)) return 'EXCLUDED';
  const ok = deps.filter((d) => d.result === 'SUCCESS').length;
  const failed = deps.filter((d) => d.result === 'FAILED' || d.result === 'TIMEDOUT' || d.result === 'UPSTREAM_FAILED').length;
  const canceled = deps.filter((d) => d.result === 'CANCELED' || d.result === 'UPSTREAM_CANCELED').length;
  const excluded = deps.filter((d) => d.result === 'EXCLUDED' || d.result === 'DISABLED').length;
  switch (t.spec.run_if ?? 'ALL_SUCCESS') {
    case 'ALL_SUCCESS':
      return canceled > 0 ? 'UPSTREAM_CANCELED' : failed > 0 ? 'UPSTREAM_FAILED' : excluded > 0 ? 'EXCLUDED' : 'run';
    case 'ALL_DONE':
      return 'run';
    case 'NONE_FAILED':
      return failed > 0 ? 'UPSTREAM_FAILED' : canceled > 0 ? 'UPSTREAM_CANCELED' : 'run';
    case 'AT_LEAST_ONE_SUCCESS':
      return ok > 0 ? 'run' : 'UPSTREAM_FAILED';
    case 'ALL_FAILED':
      return failed === deps.length ? 'run' : 'EXCLUDED';
    case 'AT_LEAST_ONE_FAILED':
      return failed > 0 ? 'run' : 'EXCLUDED';
  }
}

export function skipMessage(v: Verdict): string {
  return v === 'EXCLUDED' ? 'The task was excluded because its run_if condition was not met.' : v === 'UPSTREAM_CANCELED' ? 'Upstream task was cancelled.' : 'Upstream task(s) failed.';
}

/** Dynamic value references ({{job.id}}, {{job.run_id}}, {{job.parameters.x}}, {{task.name}}, …) as the real service substitutes them. */
export function resolveReferences(value: string, run: RunRecord, t?: TaskRun): string {
  if (!value.includes('{{')) return value;
  return value.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, ref: string) => {
    if (ref.startsWith('job.parameters.')) {
      const p = run.job_parameters?.find((x) => x.name === ref.slice('job.parameters.'.length));
      return p ? (p.value ?? p.default) : whole;
    }
    const known: Record<string, string | undefined> = {
      'job.id': run.job_id !== undefined ? String(run.job_id) : undefined,
      'job.name': run.run_name,
      'job.run_id': String(run.run_id),
      run_id: String(t?.run_id ?? run.run_id),
      'task.name': t?.task_key,
      'task.run_id': t ? String(t.run_id) : undefined,
      'job.trigger.type': run.trigger,
      'job.start_time.iso_datetime': new Date(run.created_time).toISOString(),
    };
    return known[ref] ?? whole;
  });
}

export function evaluateCondition(c: { left: string; op: string; right: string }, run: RunRecord): boolean {
  const l = resolveReferences(c.left, run);
  const r = resolveReferences(c.right, run);
  switch (c.op) {
    case 'EQUAL_TO':
      return l === r;
    case 'NOT_EQUAL':
      return l !== r;
    case 'GREATER_THAN':
      return Number(l) > Number(r);
    case 'GREATER_THAN_OR_EQUAL':
      return Number(l) >= Number(r);
    case 'LESS_THAN':
      return Number(l) < Number(r);
    default:
      return Number(l) <= Number(r);
  }
}
