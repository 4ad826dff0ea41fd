/**
 * The ETL pipeline spec: what `durabricks run <spec>` reads from YAML/JSON and what `startPipeline`
 * takes as an object. One zod schema, used before anything starts (CLI, client) and again inside the
 * workflow, so a bad spec is rejected with every problem listed by path and no API call is made.
 *
 * No Node imports: this module is bundled into the workflow sandbox.
 */
import { z } from 'zod';
import { formatSeconds, parseDurationSeconds } from './duration.js';
import { referenceProblems } from './logical-time.js';

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const TASK_TYPES = [
  'notebook_task',
  'spark_python_task',
  'python_wheel_task',
  'spark_jar_task',
  'spark_submit_task',
  'sql_task',
  'dbt_task',
  'pipeline_task',
  'run_job_task',
  'condition_task',
  'for_each_task',
] as const;
/** Task types that run without a Spark cluster (a warehouse, another job, or nothing). */
const CLUSTERLESS_TASK_TYPES: ReadonlySet<string> = new Set(['sql_task', 'run_job_task', 'condition_task', 'pipeline_task']);

/*
 * Cross-field checks run even when a field failed (zod skips them by default), so one pass lists
 * every problem; they therefore read the raw value defensively.
 */
type Loose = Record<string, unknown>;
const ALWAYS = { when: () => true };
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Loose[] => (Array.isArray(v) ? v.map((x) => (isObject(x) ? x : {})) : []);
const COMPUTE_FIELDS = ['existing_cluster_id', 'new_cluster', 'job_cluster_key', 'environment_key'] as const;

/** A type error message that says "required" when the field is simply missing. */
const expect = (what: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : what) });

const nonEmpty = z.string(expect('must be a string')).min(1, { error: 'must not be empty' });
const stringMap = z.record(z.string(), z.string({ error: 'must be a string (quote numbers and booleans)' }), { error: 'must be a map of strings' });
const positiveInt = z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).positive({ error: 'must be positive' });

/** A duration as seconds or text ("20m", "2h"); parsed to seconds. Zero and negatives are rejected. */
const duration = z.union([z.number(), z.string()], { error: 'must be a duration: seconds, or text such as "90s", "20m", "2h"' }).transform((value, ctx) => {
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined || seconds <= 0) {
    ctx.addIssue({ code: 'custom', message: `must be a positive duration (seconds, or text such as "90s", "20m", "2h"), got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return seconds;
});

/** A Databricks cluster spec; loose because the API has many fields we pass through unchanged. */
const clusterSpec = z.looseObject(
  {
    spark_version: nonEmpty,
    node_type_id: nonEmpty.optional(),
    num_workers: z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).min(0, { error: 'must not be negative' }).optional(),
    autoscale: z
      .strictObject({ min_workers: z.number().int().min(0), max_workers: z.number().int().min(1) })
      .refine((a) => a.max_workers >= a.min_workers, { error: 'max_workers must be at least min_workers', path: ['max_workers'] })
      .optional(),
    autotermination_minutes: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be an integer' })
      .refine((m) => m === 0 || (m >= 10 && m <= 10000), { error: 'must be 0 (never) or from 10 to 10000' })
      .optional(),
    custom_tags: stringMap.optional(),
  },
  { error: 'must be an object (a Databricks cluster spec)' },
);

const clusterSection = z
  .strictObject(
    {
      /** Use a cluster that already exists; it is started if terminated. */
      existing_cluster_id: nonEmpty.optional(),
      /** Create a cluster for this pipeline. */
      new_cluster: clusterSpec.optional(),
      /** What to do with the cluster after the run: terminate (default for new), keep (default for existing), delete. */
      cleanup: z.enum(['terminate', 'delete', 'keep'], { error: 'must be one of terminate, delete, keep' }).optional(),
    },
    { error: 'must be an object with existing_cluster_id or new_cluster' },
  )
  .superRefine((raw, ctx) => {
    if (!isObject(raw)) return;
    const c = raw;
    if ((c.existing_cluster_id === undefined) === (c.new_cluster === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of existing_cluster_id or new_cluster', path: [] });
    }
    if (c.existing_cluster_id !== undefined && c.cleanup === 'delete') {
      ctx.addIssue({ code: 'custom', message: 'cannot delete a cluster this pipeline did not create (existing_cluster_id); use terminate or keep', path: ['cleanup'] });
    }
  }, ALWAYS);

const taskSchema = z.looseObject(
  {
    task_key: z.string({ error: 'must be a string' }).regex(/^[A-Za-z0-9_.-]{1,100}$/, { error: 'must be 1-100 letters, digits, _ . -' }),
    depends_on: z.array(z.strictObject({ task_key: nonEmpty, outcome: z.enum(['true', 'false']).optional() }), { error: 'must be a list' }).optional(),
    run_if: z.enum(['ALL_SUCCESS', 'AT_LEAST_ONE_SUCCESS', 'NONE_FAILED', 'ALL_DONE', 'AT_LEAST_ONE_FAILED', 'ALL_FAILED'], { error: 'must be a Databricks run_if value' }).optional(),
    existing_cluster_id: nonEmpty.optional(),
    new_cluster: clusterSpec.optional(),
    job_cluster_key: nonEmpty.optional(),
    environment_key: nonEmpty.optional(),
    timeout_seconds: z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).min(0, { error: 'must not be negative' }).optional(),
    max_retries: z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).min(-1, { error: 'must be -1 (forever) or more' }).optional(),
  },
  { error: 'must be an object (a Databricks task)' },
);

const destinations = z
  .array(z.strictObject({ id: nonEmpty }, { error: 'must be an object with id (a notification destination id)' }), { error: 'must be a list of { id }' })
  .max(3, { error: 'at most 3 destinations per event (a Databricks limit)' });
const webhookNotifications = z.strictObject(
  {
    on_start: destinations.optional(),
    on_success: destinations.optional(),
    on_failure: destinations.optional(),
    on_duration_warning_threshold_exceeded: destinations.optional(),
    on_streaming_backlog_exceeded: destinations.optional(),
  },
  { error: 'must be an object: { on_success: [{ id }], on_failure: [{ id }], … }' },
);

const jobSection = z
  .strictObject(
    {
      /** Run an existing job (run-now) with these job parameters. */
      job_id: z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).positive({ error: 'must be positive' }).optional(),
      parameters: stringMap.optional(),
      /** Or run these tasks once (runs/submit). */
      run_name: z.string().max(4096).optional(),
      tasks: z.array(taskSchema, { error: 'must be a list of tasks' }).min(1, { error: 'must have at least one task' }).max(100, { error: 'at most 100 tasks' }).optional(),
      job_clusters: z
        .array(z.strictObject({ job_cluster_key: nonEmpty, new_cluster: clusterSpec }), { error: 'must be a list' })
        .optional(),
      /** Databricks-side limit for the whole run (timeout_seconds); also bounds the workflow's wait. */
      timeout: duration.optional(),
      /** Databricks' webhook_notifications for a one-time run (destination ids per event), passed to runs/submit as is. */
      webhook_notifications: webhookNotifications.optional(),
      /**
       * How the pipeline learns that the run ended: `poll` (default) or `webhook` — its end events reach
       * the durabricks webhook receiver, which signals the pipeline; the run wait then polls only as a
       * slow safety net.
       */
      run_events: z.enum(['poll', 'webhook'], { error: 'must be poll or webhook' }).optional(),
      /**
       * When the run ends FAILED or TIMEDOUT, repair it (runs/repair: re-run its failed tasks, keep the
       * ones that succeeded) up to `attempts` times, `delay` after each failure, before failing.
       */
      repair: z
        .strictObject(
          {
            attempts: positiveInt.max(10, { error: 'must be at most 10' }),
            delay: duration.optional(),
          },
          { error: 'must be an object: { attempts, delay }' },
        )
        .optional(),
    },
    expect('must be an object with job_id or tasks'),
  )
  .superRefine((raw, ctx) => {
    if (isObject(raw)) checkJob(raw, ctx);
  }, ALWAYS);


function checkJob(j: Loose, ctx: z.core.$RefinementCtx): void {
  const tasks = Array.isArray(j.tasks) ? objects(j.tasks) : undefined;
  if (j.job_id === undefined && j.tasks === undefined) ctx.addIssue({ code: 'custom', message: 'missing job: give job_id (an existing job) or tasks (a one-time run)', path: [] });
  if (j.job_id !== undefined && j.tasks !== undefined) ctx.addIssue({ code: 'custom', message: 'give job_id or tasks, not both', path: ['tasks'] });
  if (j.job_id !== undefined && j.job_clusters !== undefined) ctx.addIssue({ code: 'custom', message: 'job_clusters only apply to tasks (a one-time run); an existing job has its own', path: ['job_clusters'] });
  if (j.job_id !== undefined && j.run_name !== undefined) ctx.addIssue({ code: 'custom', message: 'run_name only applies to tasks (a one-time run)', path: ['run_name'] });
  if (j.tasks !== undefined && j.parameters !== undefined) ctx.addIssue({ code: 'custom', message: 'parameters apply to job_id runs; put task parameters inside each task', path: ['parameters'] });
  if (j.job_id !== undefined && j.webhook_notifications !== undefined) {
    ctx.addIssue({ code: 'custom', message: "webhook_notifications only apply to tasks (a one-time run); an existing job has its own (set run_events: webhook if they reach the durabricks webhook receiver)", path: ['webhook_notifications'] });
  }
  if (j.tasks !== undefined && j.run_events === 'webhook') {
    // A one-time run notifies only the destinations it names; without both end events the pipeline would wait on the safety net.
    const hooks = isObject(j.webhook_notifications) ? j.webhook_notifications : {};
    const missing = ['on_success', 'on_failure'].filter((k) => !Array.isArray(hooks[k]) || hooks[k].length === 0);
    if (missing.length > 0) {
      ctx.addIssue({ code: 'custom', message: `run_events: webhook needs webhook_notifications.${missing.join(' and .')} naming the destination of the durabricks webhook receiver (a one-time run notifies no one else)`, path: ['run_events'] });
    }
  }
  const keys = new Map<string, number>();
  (tasks ?? []).forEach((t, i) => {
    if (typeof t.task_key !== 'string') return;
    const seen = keys.get(t.task_key);
    if (seen !== undefined) ctx.addIssue({ code: 'custom', message: `duplicate task_key "${t.task_key}" (also tasks[${seen}])`, path: ['tasks', i, 'task_key'] });
    else keys.set(t.task_key, i);
  });
  const clusterKeys = new Set(objects(j.job_clusters).map((c) => c.job_cluster_key));
  (tasks ?? []).forEach((t, i) => {
    const types = TASK_TYPES.filter((k) => t[k] !== undefined);
    if (types.length !== 1) {
      ctx.addIssue({ code: 'custom', message: types.length === 0 ? `needs one task type (${TASK_TYPES.join(', ')})` : `has ${types.length} task types (${types.join(', ')}); give exactly one`, path: ['tasks', i] });
    } else if (!isObject(t[types[0]!])) {
      ctx.addIssue({ code: 'custom', message: 'must be an object', path: ['tasks', i, types[0]!] });
    }
    const computes = COMPUTE_FIELDS.filter((k) => t[k] !== undefined);
    if (computes.length > 1) ctx.addIssue({ code: 'custom', message: `give at most one of ${computes.join(', ')}`, path: ['tasks', i] });
    if (typeof t.job_cluster_key === 'string' && !clusterKeys.has(t.job_cluster_key)) {
      ctx.addIssue({ code: 'custom', message: `no job_clusters entry has job_cluster_key "${t.job_cluster_key}"`, path: ['tasks', i, 'job_cluster_key'] });
    }
    objects(t.depends_on).forEach((dep, d) => {
      if (typeof dep.task_key !== 'string') return;
      if (!keys.has(dep.task_key)) ctx.addIssue({ code: 'custom', message: `depends on unknown task "${dep.task_key}"`, path: ['tasks', i, 'depends_on', d, 'task_key'] });
      else if (dep.task_key === t.task_key) ctx.addIssue({ code: 'custom', message: 'a task cannot depend on itself', path: ['tasks', i, 'depends_on', d, 'task_key'] });
    });
  });
}

const sqlSection = z.strictObject(
  {
    warehouse_id: nonEmpty,
    statement: nonEmpty.max(16 * 1024 * 1024, { error: 'must be at most 16 MiB' }),
    catalog: nonEmpty.optional(),
    schema: nonEmpty.optional(),
    parameters: stringMap.optional(),
    /** Rows kept in the result (and so in workflow history); the rest are counted, not returned. */
    max_rows: positiveInt.max(1000, { error: 'must be at most 1000 (results are kept in workflow history)' }).optional(),
    /** Start the warehouse if it is stopped (default true); false fails the step instead. */
    start_if_stopped: z.boolean({ error: 'must be true or false' }).optional(),
    /**
     * The statement is a data check: its first row must exist and every value in it be true (not NULL,
     * false, 0 or empty), else the pipeline fails with PipelineCheckFailed.
     */
    check: z.boolean({ error: 'must be true or false' }).optional(),
  },
  { error: 'must be an object with warehouse_id and statement' },
);

const timeoutsSection = z.strictObject(
  {
    /** How long to wait for the cluster to reach RUNNING (default 30m). */
    cluster_start: duration.optional(),
    /** How long to wait for the run to finish (default: job.timeout, else 24h). */
    run: duration.optional(),
    /** How long to wait for the warehouse and the follow-up statement (default 30m). */
    sql: duration.optional(),
  },
  { error: 'must be an object' },
);

const expectedSection = z.strictObject(
  {
    /** How long the cluster typically takes to reach RUNNING. */
    cluster_start: duration.optional(),
    /** How long the run typically takes. */
    run: duration.optional(),
    /** How long the warehouse start and the follow-up statement typically take. */
    sql: duration.optional(),
  },
  { error: 'must be an object (typical durations: cluster_start, run, sql)' },
);

const PipelineSpecSchema = z
  .strictObject(
    {
      name: z.string(expect('must be a string')).regex(NAME_RE, { error: 'must be 1-100 letters, digits, _ . - (starting with a letter or digit)' }),
      description: z.string().optional(),
      cluster: clusterSection.optional(),
      job: jobSection,
      sql: sqlSection.optional(),
      timeouts: timeoutsSection.optional(),
      /**
       * Typical durations, hints for the waiters: they check at once, sleep until shortly before the
       * expected end and poll closely around it (fewer calls, quicker detection), then back off.
       */
      expected: expectedSection.optional(),
      /**
       * Workspace files written (overwritten) before the run, e.g. the SQL a sql_task reads. The
       * content is stored in workflow history, so keep it to source code, never data or secrets.
       */
      files: z
        .array(
          z.strictObject(
            {
              path: nonEmpty.refine((p) => p.startsWith('/'), { error: 'must be an absolute workspace path (starting with /)' }),
              content: z.string({ error: 'must be a string' }).max(256 * 1024, { error: 'must be at most 256 KiB (it is kept in workflow history)' }),
            },
            { error: 'must be an object with path and content' },
          ),
          { error: 'must be a list' },
        )
        .max(20, { error: 'at most 20 files' })
        .optional(),
      /** Custom tags added to clusters this pipeline creates (besides the durabricks ownership tags). */
      tags: stringMap.optional(),
    },
    { error: 'must be an object (a pipeline spec)' },
  )
  .superRefine((raw, ctx) => {
    if (!isObject(raw)) return;
    const spec = raw;
    checkExpected(spec, ctx);
    for (const p of referenceProblems(spec)) ctx.addIssue({ code: 'custom', message: p.message, path: p.path });
    // Tasks without their own compute run on the pipeline's cluster; without one they have nowhere to run.
    if (spec.cluster !== undefined || !isObject(spec.job)) return;
    objects(spec.job.tasks).forEach((t, i) => {
      const type = TASK_TYPES.find((k) => t[k] !== undefined);
      const hasCompute = COMPUTE_FIELDS.some((k) => t[k] !== undefined);
      if (type !== undefined && !hasCompute && !CLUSTERLESS_TASK_TYPES.has(type)) {
        ctx.addIssue({ code: 'custom', message: 'has no compute: add a top-level cluster, or existing_cluster_id / new_cluster / job_cluster_key on the task', path: ['job', 'tasks', i] });
      }
    });
  }, ALWAYS);

/** An expected duration must leave room to wait past it: shorter than the matching timeout. */
function checkExpected(spec: Loose, ctx: z.core.$RefinementCtx): void {
  if (!isObject(spec.expected)) return;
  const seconds = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? parseDurationSeconds(v) : undefined);
  const timeouts = isObject(spec.timeouts) ? spec.timeouts : {};
  const job = isObject(spec.job) ? spec.job : {};
  // The waits' effective limits, defaults included (as etl-pipeline.ts applies them).
  const jobTimeout = seconds(job.timeout);
  const limits = {
    cluster_start: { seconds: seconds(timeouts.cluster_start) ?? 30 * 60, name: timeouts.cluster_start !== undefined ? `timeouts.cluster_start (${formatSeconds(seconds(timeouts.cluster_start) ?? 0)})` : 'the default timeouts.cluster_start (30m)' },
    run: {
      seconds: seconds(timeouts.run) ?? (jobTimeout !== undefined ? jobTimeout + 10 * 60 : 24 * 3600),
      name: timeouts.run !== undefined ? `timeouts.run (${formatSeconds(seconds(timeouts.run) ?? 0)})` : jobTimeout !== undefined ? 'job.timeout + 10m' : 'the default timeouts.run (24h)',
    },
    sql: { seconds: seconds(timeouts.sql) ?? 30 * 60, name: timeouts.sql !== undefined ? `timeouts.sql (${formatSeconds(seconds(timeouts.sql) ?? 0)})` : 'the default timeouts.sql (30m)' },
  };
  for (const key of ['cluster_start', 'run', 'sql'] as const) {
    const expected = seconds(spec.expected[key]);
    if (expected !== undefined && expected >= limits[key].seconds) {
      ctx.addIssue({ code: 'custom', message: `must be shorter than ${limits[key].name}: the wait would give up before the expected end`, path: ['expected', key] });
    }
  }
  if (spec.cluster === undefined && spec.expected.cluster_start !== undefined) {
    ctx.addIssue({ code: 'custom', message: 'there is no cluster to wait for (no top-level cluster)', path: ['expected', 'cluster_start'] });
  }
  if (spec.sql === undefined && spec.expected.sql !== undefined) {
    ctx.addIssue({ code: 'custom', message: 'there is no follow-up SQL to wait for (no sql section)', path: ['expected', 'sql'] });
  }
}

/** The spec as written (durations as text or seconds). */
export type PipelineSpecInput = z.input<typeof PipelineSpecSchema>;
/** The validated spec: durations in seconds; what the workflow receives. */
export type PipelineSpec = z.output<typeof PipelineSpecSchema>;
export type PipelineTask = z.output<typeof taskSchema>;

export type SpecValidation = { ok: true; spec: PipelineSpec } | { ok: false; problems: string[] };

/** Validates a parsed spec; on failure, one line per problem, each starting with its path. */
export function validatePipelineSpec(input: unknown): SpecValidation {
  const r = PipelineSpecSchema.safeParse(input);
  if (r.success) return { ok: true, spec: r.data };
  return { ok: false, problems: r.error.issues.flatMap((issue) => formatIssue(issue).split('\n')) };
}

/** `job.tasks[1].task_key`, or `(spec)` for the top level. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(spec)' : out;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `${formatPath([...issue.path, k])}: unknown key`).join('\n');
  }
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/** Thrown by `parsePipelineSpec`; `problems` has one line per issue. */
export class InvalidPipelineSpecError extends Error {
  override name = 'InvalidPipelineSpecError';
  constructor(
    readonly problems: string[],
    what = 'pipeline spec',
  ) {
    super(`invalid ${what} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function parsePipelineSpec(input: unknown): PipelineSpec {
  const r = validatePipelineSpec(input);
  if (!r.ok) throw new InvalidPipelineSpecError(r.problems);
  return r.spec;
}

/** Which task type a task is (its single `*_task` field). */
export function taskTypeOf(task: PipelineTask): string | undefined {
  const record = task as Record<string, unknown>;
  return TASK_TYPES.find((k) => record[k] !== undefined);
}
