/**
 * The seam between the runs state machine and "what a task does". Each task type has an executor
 * that decides how long the task runs, whether it succeeds and what it outputs. The defaults below
 * simulate; part 2 registers a real `sql_task` executor (DuckDB) with
 * `ctx.taskExecutors.register('sql_task', executor)` from its service's create().
 */

export type TaskResult = 'SUCCESS' | 'FAILED' | 'INTERNAL_ERROR';

/** What runs/get-output shows for a task run (field names as the real API). */
export interface TaskOutput {
  notebook_output?: { result?: string; truncated?: boolean };
  sql_output?: Record<string, unknown>;
  logs?: string;
  logs_truncated?: boolean;
  error?: string;
  error_trace?: string;
  info?: string;
  run_job_output?: { run_id: number };
}

export interface TaskExecutionInput {
  taskKey: string;
  /** e.g. `notebook_task`. */
  taskType: string;
  /** The task spec as submitted (task_key, notebook_task{…}, …). */
  task: Record<string, unknown>;
  /** Effective named parameters (base_parameters/named_parameters + run-now overrides + job parameters). */
  parameters: Record<string, string>;
  /** Positional parameters (spark_python_task/python_wheel_task/spark_jar_task `parameters`). */
  positional: string[];
  runId: number;
  jobId?: number;
  /** userName of the principal the run acts as. */
  runAs: string;
  /** Virtual epoch ms when the task started running. */
  startedAt: number;
  /** Source of the notebook or python file when it is in the emulated workspace (for directive lines). */
  source?: string;
}

export interface TaskOutcome {
  /** Virtual ms the task stays RUNNING. */
  durationMs: number;
  result: TaskResult;
  /** Shown as state.state_message / status.termination_details.message. */
  message?: string;
  output?: TaskOutput;
}

export interface TaskExecutor {
  /** May be async (e.g. real SQL): the task stays RUNNING until the promise settles. */
  execute(input: TaskExecutionInput): TaskOutcome | Promise<TaskOutcome>;
}

export const DEFAULT_TASK_DURATION_MS = 60_000;

export class TaskExecutorRegistry {
  private readonly executors = new Map<string, TaskExecutor>();

  register(taskType: string, executor: TaskExecutor): void {
    this.executors.set(taskType, executor);
  }

  /** The executor for a type; unknown types get the generic simulated one. */
  get(taskType: string): TaskExecutor {
    return this.executors.get(taskType) ?? simulatedExecutor;
  }

  types(): string[] {
    return [...this.executors.keys()];
  }
}

/**
 * Test directives, read from task parameters (`emulator.outcome`, `emulator.duration_s`,
 * `emulator.exit`, `emulator.message`; positional parameters as `emulator.outcome=FAILED`) and from
 * `# emulator: outcome=FAILED duration=600 exit=done` lines in the notebook or file source.
 * Parameters win over source lines.
 */
export interface Directives {
  outcome?: TaskResult;
  durationMs?: number;
  exit?: string;
  message?: string;
}

const OUTCOMES: readonly TaskResult[] = ['SUCCESS', 'FAILED', 'INTERNAL_ERROR'];

export function readDirectives(input: Pick<TaskExecutionInput, 'parameters' | 'positional' | 'source'>): Directives {
  const raw: Record<string, string> = {};
  if (input.source) {
    for (const m of input.source.matchAll(/^\s*(?:#|--|\/\/)\s*emulator:\s*(.+)$/gm)) {
      for (const pair of (m[1] ?? '').matchAll(/(\w+)=("[^"]*"|\S+)/g)) raw[pair[1] as string] = unquote(pair[2] as string);
    }
    const exit = /dbutils\.notebook\.exit\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)/.exec(input.source);
    if (exit && raw.exit === undefined) raw.exit = exit[1] ?? exit[2] ?? '';
  }
  for (const p of input.positional) {
    const m = /^-{0,2}emulator\.(\w+)=(.*)$/.exec(p);
    if (m) raw[m[1] as string] = m[2] as string;
  }
  for (const [k, v] of Object.entries(input.parameters)) if (k.startsWith('emulator.')) raw[k.slice('emulator.'.length)] = v;

  const d: Directives = {};
  const outcome = raw.outcome?.toUpperCase();
  if (outcome && (OUTCOMES as readonly string[]).includes(outcome)) d.outcome = outcome as TaskResult;
  const duration = raw.duration_s ?? raw.duration;
  if (duration !== undefined && Number.isFinite(Number(duration)) && Number(duration) >= 0) d.durationMs = Math.round(Number(duration) * 1000);
  if (raw.exit !== undefined) d.exit = raw.exit;
  if (raw.message !== undefined) d.message = raw.message;
  return d;
}

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

function outcomeFrom(input: TaskExecutionInput, notebook: boolean): TaskOutcome {
  const d = readDirectives(input);
  const result = d.outcome ?? 'SUCCESS';
  const outcome: TaskOutcome = { durationMs: d.durationMs ?? DEFAULT_TASK_DURATION_MS, result };
  if (result !== 'SUCCESS') {
    const message = d.message ?? (result === 'FAILED' ? 'Task failed (emulator directive).' : 'Internal error (emulator directive).');
    outcome.message = message;
    outcome.output = { error: message, error_trace: `Traceback (most recent call last):\n  emulated failure of task ${input.taskKey}\n${message}` };
  } else {
    if (d.message) outcome.message = d.message;
    outcome.output = notebook ? { notebook_output: d.exit !== undefined ? { result: d.exit, truncated: false } : {} } : { logs: `task ${input.taskKey} finished\n`, logs_truncated: false };
  }
  return outcome;
}

export const simulatedExecutor: TaskExecutor = { execute: (input) => outcomeFrom(input, false) };
export const notebookExecutor: TaskExecutor = { execute: (input) => outcomeFrom(input, true) };

/** A fresh registry with the simulated defaults for the built-in task types. */
export function defaultTaskExecutors(): TaskExecutorRegistry {
  const registry = new TaskExecutorRegistry();
  registry.register('notebook_task', notebookExecutor);
  for (const t of ['spark_python_task', 'python_wheel_task', 'spark_jar_task', 'spark_submit_task', 'sql_task', 'dbt_task', 'pipeline_task', 'run_job_task']) {
    registry.register(t, simulatedExecutor);
  }
  return registry;
}
