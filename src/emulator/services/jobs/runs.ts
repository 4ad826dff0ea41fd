import { invalidParameter, invalidState } from '../../http/errors.js';
import type { ServiceContext } from '../types.js';
import type { ClusterPoliciesApi } from '../cluster-policies/index.js';
import type { ClustersApi } from '../clusters/index.js';
import { DEFAULT_START_MS } from '../clusters/model.js';
import type { WorkspaceApi } from '../workspace/index.js';
import { launchSpec } from './cluster-policy.js';
import { ForEachRunner } from './for-each-runner.js';
import { readDirectives, type TaskExecutionInput, type TaskOutcome } from './executors.js';
import { ACTIVE, TERMINAL, type LifeCycle, type ResultState, type RunRecord, type TaskRun, type Termination } from './run-types.js';
import type { LegacyParams, TaskSpec } from './schemas.js';
import { effectiveParams, evaluateCondition, resolveReferences, runIfVerdict, skipMessage } from './task-rules.js';
import { taskTypeOf } from './settings.js';

/**
 * The runs state machine (reference §3.2). A run is QUEUED (concurrency limit, queueing on) or
 * SKIPPED (limit, queueing off), else PENDING → RUNNING → TERMINATING → TERMINATED with a result.
 * Each task: BLOCKED (upstream) → PENDING (cluster setup) → RUNNING (executor decides duration and
 * outcome) → TERMINATED; tasks whose run_if is not met are SKIPPED with EXCLUDED/UPSTREAM_*; failed
 * tasks with retries left go WAITING_FOR_RETRY and get a new attempt. Every timer carries the
 * task's or run's `gen`; any later change bumps it, so stale timers are ignored.
 */

const SETUP_EXISTING_RUNNING_MS = 2_000;
const SETUP_SERVERLESS_MS = 15_000;
const CLEANUP_MS = 5_000;
const RUN_RETENTION_MS = 60 * 24 * 3600_000;

export interface StartOptions {
  principal: string;
  trigger: string;
  queueEnabled: boolean;
  maxConcurrentRuns: number;
  named: Record<string, string>;
  legacy: LegacyParams;
  only?: string[];
}

const FAILED_RESULTS: ReadonlySet<ResultState> = new Set(['FAILED', 'TIMEDOUT', 'UPSTREAM_FAILED', 'CANCELED', 'UPSTREAM_CANCELED']);

export class RunsModel {
  readonly runs = new Map<number, RunRecord>();
  readonly taskRuns = new Map<number, TaskRun>();
  /** idempotency_token → run_id; deleted runs stay here so a reused token errors (reference §1.8). */
  readonly idempotency = new Map<string, number>();
  readonly deleted = new Set<number>();
  /**
   * Serialised runs/get answers of finished runs (they are polled hard and no longer change);
   * cleared whenever a finished run can change again (repair, delete).
   */
  readonly finishedViews = new Map<string, string>();

  /** for_each_task iterations: task runs of their own, started and settled through this state machine. */
  readonly forEach = new ForEachRunner({
    taskRuns: this.taskRuns,
    newIterationRun: (run, parent, spec) => this.newTaskRun(run, spec, 0, { named: parent.named_params, legacy: {} }),
    begin: (run, t, at) => this.beginTask(run, t, at),
    finish: (t, result, message, endTime) =>
      this.finishTask(t, 'TERMINATED', result, message, result === 'SUCCESS' ? { code: 'SUCCESS', type: 'SUCCESS', message: '' } : { code: 'RUN_EXECUTION_ERROR', type: 'CLIENT_ERROR', message }, endTime),
    cancel: (t) => this.cancelTask(t, 'CANCELED', false),
  });

  constructor(private readonly ctx: ServiceContext) {}

  private now(): number {
    return this.ctx.clock.now();
  }

  /** Runs are purged 60 days after they end (reference §1.9): reads no longer find them. */
  purged(run: RunRecord): boolean {
    return TERMINAL.has(run.life) && run.end_time > 0 && this.now() - run.end_time > RUN_RETENTION_MS;
  }

  // ---------- creation ----------

  /** Builds a run (not yet started) and its task runs. */
  create(fields: Pick<RunRecord, 'run_name' | 'run_type' | 'job_id' | 'format' | 'timeout_seconds' | 'queue_enabled'> & Partial<RunRecord>, tasks: TaskSpec[], opts: StartOptions): RunRecord {
    const runId = this.ctx.ids.numeric(15);
    const now = this.now();
    const run: RunRecord = {
      trigger: opts.trigger,
      creator_user_name: opts.principal,
      run_as: opts.principal,
      life: 'PENDING',
      message: '',
      user_cancelled_or_timedout: false,
      task_ids: [],
      created_time: now,
      end_time: 0,
      timeout_gen: 0,
      gen: 0,
      repair_history: [],
      canceled: false,
      timed_out: false,
      ...fields,
      run_id: runId,
    };
    const selected = opts.only && opts.only.length > 0 ? tasks.filter((t) => opts.only?.includes(t.task_key)) : tasks;
    for (const spec of selected) {
      // Dependencies on tasks left out by `only` are dropped, as the real run-now does.
      const kept = { ...spec, depends_on: spec.depends_on?.filter((d) => selected.some((s) => s.task_key === d.task_key)) };
      if (kept.depends_on?.length === 0) delete kept.depends_on;
      run.task_ids.push(this.newTaskRun(run, kept, 0, opts).run_id);
    }
    this.runs.set(runId, run);
    return run;
  }

  private newTaskRun(run: RunRecord, spec: TaskSpec, attempt: number, opts: Pick<StartOptions, 'named' | 'legacy'>): TaskRun {
    const type = taskTypeOf(spec);
    const t: TaskRun = {
      run_id: this.ctx.ids.numeric(15),
      parent_run_id: run.run_id,
      task_key: spec.task_key,
      spec,
      type,
      attempt_number: attempt,
      life: 'BLOCKED',
      message: '',
      start_time: 0,
      end_time: 0,
      gen: 0,
      ...effectiveParams(spec, opts.named, opts.legacy),
    };
    this.taskRuns.set(t.run_id, t);
    return t;
  }

  /** Decides QUEUED / SKIPPED / start for a job run against its concurrency limit. */
  admit(run: RunRecord, maxConcurrent: number): void {
    if (run.run_type !== 'JOB_RUN' || run.job_id === undefined) return this.start(run);
    const active = this.activeRunsOf(run.job_id).filter((r) => r.run_id !== run.run_id && r.life !== 'QUEUED').length;
    if (active < maxConcurrent) return this.start(run);
    if (run.queue_enabled && maxConcurrent > 0) {
      run.life = 'QUEUED';
      run.queue_reason = `Queued due to reaching maximum concurrent runs of ${maxConcurrent}.`;
      run.message = run.queue_reason;
      for (const id of run.task_ids) {
        const t = this.taskRuns.get(id);
        if (t) t.life = 'QUEUED';
      }
      return;
    }
    run.life = 'SKIPPED';
    run.result = 'MAXIMUM_CONCURRENT_RUNS_REACHED';
    run.message = `Skipping this run because the limit of ${maxConcurrent} maximum concurrent runs has been reached.`;
    run.termination = { code: 'MAX_CONCURRENT_RUNS_EXCEEDED', type: 'CLIENT_ERROR', message: run.message };
    run.end_time = this.now();
    for (const id of run.task_ids) {
      const t = this.taskRuns.get(id);
      if (t) this.finishTask(t, 'SKIPPED', 'EXCLUDED', run.message, { code: 'MAX_CONCURRENT_RUNS_EXCEEDED', type: 'CLIENT_ERROR', message: run.message });
    }
    this.notify(run, 'run.skipped');
    if (run.parent_task_run_id !== undefined) this.onChildFinished(run);
  }

  /** Starts queued runs of the job, oldest first, while it is under its concurrency limit. */
  dequeue(jobId: number, maxConcurrent: number): void {
    const queued = [...this.runs.values()].filter((r) => r.job_id === jobId && r.life === 'QUEUED').sort((a, b) => a.created_time - b.created_time || a.run_id - b.run_id);
    for (const r of queued) {
      if (this.activeRunsOf(jobId).filter((x) => x.life !== 'QUEUED').length >= maxConcurrent) break;
      this.start(r);
    }
  }

  activeRunsOf(jobId: number): RunRecord[] {
    const out: RunRecord[] = [];
    for (const r of this.runs.values()) if (r.job_id === jobId && r.run_type === 'JOB_RUN' && ACTIVE.has(r.life)) out.push(r);
    return out;
  }

  private start(run: RunRecord): void {
    run.life = 'PENDING';
    delete run.queue_reason;
    run.message = '';
    run.started_at = this.now();
    for (const id of run.task_ids) {
      const t = this.taskRuns.get(id);
      if (t && t.life === 'QUEUED') t.life = 'BLOCKED';
    }
    this.armRunTimeout(run);
    this.advance(run);
  }

  armRunTimeout(run: RunRecord): void {
    run.timeout_gen++;
    if (run.timeout_seconds > 0 && run.started_at !== undefined) {
      this.ctx.schedule('run_timeout', run.started_at + run.timeout_seconds * 1000, { run_id: run.run_id, gen: run.timeout_gen });
    }
  }

  // ---------- progress ----------

  tasksOf(run: RunRecord): TaskRun[] {
    const out: TaskRun[] = [];
    for (const id of run.task_ids) {
      const t = this.taskRuns.get(id);
      if (t) out.push(t);
    }
    return out;
  }

  /** The newest attempt of each task key. */
  latestAttempts(run: RunRecord): Map<string, TaskRun> {
    const latest = new Map<string, TaskRun>();
    for (const t of this.tasksOf(run)) {
      const prev = latest.get(t.task_key);
      if (!prev || t.attempt_number >= prev.attempt_number) latest.set(t.task_key, t);
    }
    return latest;
  }

  /** Starts or skips every BLOCKED task whose dependencies are settled; finishes the run when all tasks are. */
  advance(run: RunRecord): void {
    if (TERMINAL.has(run.life) || run.life === 'TERMINATING' || run.life === 'QUEUED') return;
    let changed = true;
    while (changed) {
      changed = false;
      const latest = this.latestAttempts(run);
      for (const t of latest.values()) {
        if (t.life !== 'BLOCKED') continue;
        const deps = (t.spec.depends_on ?? []).map((d) => ({ dep: latest.get(d.task_key), outcome: d.outcome }));
        if (deps.some((d) => !d.dep || !TERMINAL.has(d.dep.life))) continue;
        changed = true;
        const verdict = runIfVerdict(t, deps.map((d) => ({ result: d.dep?.result, conditionOutcome: d.dep?.condition_outcome, wanted: d.outcome })));
        if (verdict === 'run') this.beginTask(run, t);
        else this.finishTask(t, 'SKIPPED', verdict, skipMessage(verdict), { code: 'SKIPPED', type: 'SUCCESS', message: skipMessage(verdict) });
      }
    }
    const latest = [...this.latestAttempts(run).values()];
    if (latest.every((t) => TERMINAL.has(t.life))) this.beginCleanup(run);
  }

  /** `at`: when the task started, if that was a moment ago (an iteration starts when the one before it ended). */
  private beginTask(run: RunRecord, t: TaskRun, at?: number): void {
    const now = Math.min(at ?? Infinity, this.now());
    t.start_time = now;
    const resolve = (v: string) => resolveReferences(v, run, t);
    t.named_params = Object.fromEntries(Object.entries(t.named_params).map(([k, v]) => [k, resolve(v)]));
    t.positional_params = t.positional_params.map(resolve);
    if (t.spec.disabled) return this.finishTask(t, 'SKIPPED', 'DISABLED', 'This task was disabled.', { code: 'DISABLED', type: 'SUCCESS', message: 'This task was disabled.' });
    if (t.type === 'condition_task') {
      t.exec_start = now;
      t.condition_outcome = evaluateCondition(t.spec.condition_task as { left: string; op: string; right: string }, run) ? 'true' : 'false';
      return this.finishTask(t, 'TERMINATED', 'SUCCESS', '', { code: 'SUCCESS', type: 'SUCCESS', message: '' });
    }
    if (t.type === 'for_each_task') {
      // The loop itself needs no compute: it runs at once; each iteration sets up its own.
      t.life = 'RUNNING';
      t.message = '';
      t.exec_start = now;
      t.gen++;
      this.markRunning(run);
      const timeout = t.spec.timeout_seconds ?? 0;
      if (timeout > 0) this.ctx.schedule('task_timeout', now + timeout * 1000, { task_run_id: t.run_id, gen: t.gen });
      return this.forEach.start(run, t, resolve(String(t.spec.for_each_task?.inputs ?? '')));
    }
    let setupMs = SETUP_SERVERLESS_MS;
    const clusters = this.ctx.service<ClustersApi>('clusters');
    if (t.spec.existing_cluster_id !== undefined) {
      const state = clusters?.state(t.spec.existing_cluster_id);
      if (state === undefined) {
        const msg = `Cluster ${t.spec.existing_cluster_id} does not exist`;
        return this.finishTask(t, 'INTERNAL_ERROR', 'FAILED', msg, { code: 'CLUSTER_ERROR', type: 'CLIENT_ERROR', message: msg });
      }
      if (state === 'TERMINATED') clusters?.ensureStarted(t.spec.existing_cluster_id, run.run_as);
      setupMs = state === 'RUNNING' ? SETUP_EXISTING_RUNNING_MS : DEFAULT_START_MS;
      t.cluster_instance = { cluster_id: t.spec.existing_cluster_id };
    } else if (t.spec.new_cluster !== undefined || t.spec.job_cluster_key !== undefined) {
      setupMs = DEFAULT_START_MS;
      const launched = this.jobClusterId(run, t);
      // A policy that no longer admits the spec fails the launch, as a bad cluster request does.
      if (typeof launched !== 'string') return this.finishTask(t, 'INTERNAL_ERROR', 'FAILED', launched.error, { code: 'INVALID_CLUSTER_REQUEST', type: 'CLIENT_ERROR', message: launched.error });
      t.cluster_instance = { cluster_id: launched };
    }
    const setupOverride = Number(t.named_params['emulator.setup_s']);
    if (t.named_params['emulator.setup_s'] !== undefined && Number.isFinite(setupOverride) && setupOverride >= 0) setupMs = setupOverride * 1000;
    t.life = 'PENDING';
    t.message = 'Waiting for cluster';
    t.gen++;
    this.ctx.schedule('task_setup_done', now + setupMs, { task_run_id: t.run_id, gen: t.gen });
    const timeout = t.spec.timeout_seconds ?? 0;
    if (timeout > 0) this.ctx.schedule('task_timeout', now + timeout * 1000, { task_run_id: t.run_id, gen: t.gen });
  }

  /** The JOB cluster of a task: one per job_cluster_key per run, or one per task for new_cluster; launched with its policy's values. */
  private jobClusterId(run: RunRecord, t: TaskRun): string | { error: string } {
    const key = t.spec.job_cluster_key;
    const clusters = this.ctx.service<ClustersApi>('clusters');
    if (key) {
      for (const other of this.tasksOf(run)) {
        const id = other.cluster_instance?.cluster_id;
        // A repaired run gets fresh job clusters once the earlier ones have ended.
        if (other !== t && other.spec.job_cluster_key === key && id && !['TERMINATING', 'TERMINATED'].includes(clusters?.state(id) ?? 'TERMINATED')) return id;
      }
    }
    const given = key ? run.job_clusters?.find((c) => c.job_cluster_key === key)?.new_cluster : t.spec.new_cluster;
    const launch = launchSpec(given ?? {}, this.ctx.service<ClusterPoliciesApi>('cluster-policies'));
    if ('error' in launch) return launch;
    if (!key && launch.spec.policy_id !== undefined) t.launched_cluster = launch.spec;
    const name = `job-${run.job_id ?? run.run_id}-run-${run.run_id}${key ? `-${key}` : ''}`;
    const id = clusters?.createJobCluster(launch.spec, run.run_as, name) ?? `job-${this.ctx.ids.alnum(8)}`;
    (run.job_cluster_ids ??= []).push(id);
    return id;
  }

  /** `at`: when the setup was due; execution starts then, not when instant mode got round to it. */
  private onSetupDone(t: TaskRun, at?: number): void {
    const run = this.runs.get(t.parent_run_id);
    if (!run || t.life !== 'PENDING') return;
    const clusterState = t.cluster_instance ? this.ctx.service<ClustersApi>('clusters')?.state(t.cluster_instance.cluster_id) : undefined;
    // Still starting (a cluster takes as long as the setup, give or take): look again shortly.
    if (clusterState === 'PENDING' || clusterState === 'RESTARTING') {
      this.ctx.schedule('task_setup_done', this.now() + 1000, { task_run_id: t.run_id, gen: t.gen });
      return;
    }
    // A cluster that failed to launch fails the task the way the real service does (INTERNAL_ERROR).
    if (clusterState === 'ERROR') {
      const msg = `Cluster ${t.cluster_instance?.cluster_id} failed to start: cloud provider launch failure.`;
      return this.finishTask(t, 'INTERNAL_ERROR', 'FAILED', msg, { code: 'CLUSTER_ERROR', type: 'CLOUD_FAILURE', message: msg });
    }
    t.life = 'RUNNING';
    t.message = '';
    t.exec_start = Math.min(at ?? Infinity, this.now());
    if (t.cluster_instance) t.cluster_instance.spark_context_id = String(this.ctx.ids.numeric(15));
    this.markRunning(run);
    if (t.type === 'run_job_task' && this.startChildRun && !readDirectives({ parameters: t.named_params, positional: [] }).outcome) return this.runJobTask(run, t);
    this.execute(run, t);
  }

  private markRunning(run: RunRecord): void {
    if (run.life !== 'PENDING') return;
    run.life = 'RUNNING';
    this.notify(run, 'run.started');
  }

  /** Set by the jobs service: starts a run of another job for a run_job_task (undefined = no such job). */
  startChildRun?: (jobId: number, params: Record<string, string>, principal: string, parentTaskRunId: number) => RunRecord | undefined;

  /** run_job_task: the task runs as long as the triggered job run, and ends with its result. */
  private runJobTask(run: RunRecord, t: TaskRun): void {
    const spec = t.spec.run_job_task as { job_id: number; job_parameters?: Record<string, string> };
    const params = Object.fromEntries(Object.entries(spec.job_parameters ?? {}).map(([k, v]) => [k, resolveReferences(v, run, t)]));
    const child = this.startChildRun?.(spec.job_id, params, run.run_as, t.run_id);
    if (!child) {
      const msg = `Job ${spec.job_id} does not exist.`;
      return this.finishTask(t, 'TERMINATED', 'FAILED', msg, { code: 'RESOURCE_NOT_FOUND', type: 'CLIENT_ERROR', message: msg });
    }
    t.child_run_id = child.run_id;
    t.output = { run_job_output: { run_id: child.run_id } };
    if (TERMINAL.has(child.life)) this.onChildFinished(child);
  }

  private onChildFinished(child: RunRecord): void {
    const t = child.parent_task_run_id !== undefined ? this.taskRuns.get(child.parent_task_run_id) : undefined;
    if (!t || t.life !== 'RUNNING' || t.child_run_id !== child.run_id) return;
    if (child.result === 'SUCCESS' || child.result === 'SUCCESS_WITH_FAILURES') {
      this.finishTask(t, 'TERMINATED', 'SUCCESS', '', { code: 'SUCCESS', type: 'SUCCESS', message: '' });
    } else {
      const msg = `The triggered run ${child.run_id} ended with ${child.result ?? child.life}.`;
      this.finishTask(t, 'TERMINATED', child.result === 'CANCELED' ? 'CANCELED' : 'FAILED', msg, { code: 'RUN_EXECUTION_ERROR', type: 'CLIENT_ERROR', message: msg });
    }
  }

  /** Asks the executor for the outcome; async executors keep the task RUNNING until they settle. */
  execute(run: RunRecord, t: TaskRun): void {
    const gen = t.gen;
    const input = this.executionInput(run, t);
    const apply = (o: TaskOutcome) => {
      if (t.gen !== gen || t.life !== 'RUNNING') return;
      t.planned = { result: o.result, durationMs: Math.max(0, o.durationMs), ...(o.message !== undefined ? { message: o.message } : {}) };
      if (o.output) t.output = o.output;
      t.planned.finishAt = Math.max(this.now(), (t.exec_start ?? this.now()) + t.planned.durationMs);
      this.ctx.schedule('task_finish', t.planned.finishAt, { task_run_id: t.run_id, gen: t.gen });
    };
    const fail = (err: unknown) => apply({ durationMs: 0, result: 'INTERNAL_ERROR', message: `Task executor failed: ${err instanceof Error ? err.message : String(err)}` });
    try {
      const result = this.ctx.taskExecutors.get(t.type).execute(input);
      if (result instanceof Promise) {
        this.ctx.track(result.then(apply, fail).finally(() => this.ctx.markDirty()));
      } else apply(result);
    } catch (err) {
      fail(err);
    }
  }

  private executionInput(run: RunRecord, t: TaskRun): TaskExecutionInput {
    const payload = (t.spec as Record<string, unknown>)[t.type] as Record<string, unknown> | undefined;
    const path = typeof payload?.notebook_path === 'string' ? payload.notebook_path : typeof payload?.python_file === 'string' ? payload.python_file : undefined;
    const source = path ? this.ctx.service<WorkspaceApi>('workspace')?.readSource(path) : undefined;
    return {
      taskKey: t.task_key,
      taskType: t.type,
      task: t.spec as Record<string, unknown>,
      parameters: t.named_params,
      positional: t.positional_params,
      runId: t.run_id,
      ...(run.job_id !== undefined ? { jobId: run.job_id } : {}),
      runAs: run.run_as,
      startedAt: t.exec_start ?? this.now(),
      ...(source !== undefined ? { source } : {}),
    };
  }

  private onFinish(t: TaskRun): void {
    if (t.life !== 'RUNNING' || !t.planned) return;
    const p = t.planned;
    // The task ends when it was planned to, not a wall-clock millisecond later: in instant mode the
    // clock keeps real pace after each jump, which would make execution_duration drift by 1 ms.
    const at = p.finishAt;
    if (p.result === 'SUCCESS') this.finishTask(t, 'TERMINATED', 'SUCCESS', p.message ?? '', { code: 'SUCCESS', type: 'SUCCESS', message: '' }, at);
    else if (p.result === 'FAILED') this.finishTask(t, 'TERMINATED', 'FAILED', p.message ?? 'Task failed.', { code: 'RUN_EXECUTION_ERROR', type: 'CLIENT_ERROR', message: p.message ?? 'Task failed.' }, at);
    else this.finishTask(t, 'INTERNAL_ERROR', 'FAILED', p.message ?? 'Internal error.', { code: 'INTERNAL_ERROR', type: 'INTERNAL_ERROR', message: p.message ?? 'Internal error.' }, at);
  }

  private onTaskTimeout(t: TaskRun): void {
    if (t.life !== 'RUNNING' && t.life !== 'PENDING') return;
    const msg = `Task ${t.task_key} timed out after ${t.spec.timeout_seconds ?? 0} seconds.`;
    this.finishTask(t, 'TERMINATED', 'TIMEDOUT', msg, { code: 'CANCELED', type: 'CLIENT_ERROR', message: msg });
  }

  /** Puts a task in a terminal state, then retries it or moves the run along. */
  private finishTask(t: TaskRun, life: LifeCycle, result: ResultState, message: string, termination: Termination, endTime?: number): void {
    t.gen++;
    t.life = life;
    t.result = result;
    t.message = message;
    t.termination = termination;
    t.end_time = Math.min(endTime ?? Infinity, this.now());
    if (t.start_time === 0) t.start_time = t.end_time;
    // A for_each task that ends early (timeout, failed start) takes its running iterations with it.
    this.forEach.stop(t);
    const run = this.runs.get(t.parent_run_id);
    if (!run) return;
    if (this.shouldRetry(run, t)) this.scheduleRetry(run, t);
    else this.settled(run, t);
  }

  /** A task run settled for good: an iteration lets its for_each task go on, a task moves the run along. */
  private settled(run: RunRecord, t: TaskRun): void {
    if (t.iteration_of !== undefined) this.forEach.onIterationSettled(run, t);
    else this.advance(run);
  }

  private shouldRetry(run: RunRecord, t: TaskRun): boolean {
    if (run.canceled || run.timed_out) return false;
    const max = t.spec.max_retries ?? 0;
    if (max === 0) return false;
    const retriable = t.result === 'FAILED' || (t.result === 'TIMEDOUT' && t.spec.retry_on_timeout === true);
    return retriable && (max === -1 || t.attempt_number < max);
  }

  private scheduleRetry(run: RunRecord, failed: TaskRun): void {
    const next = this.newTaskRun(run, failed.spec, failed.attempt_number + 1, { named: {}, legacy: {} });
    next.named_params = failed.named_params;
    next.positional_params = failed.positional_params;
    next.life = 'WAITING_FOR_RETRY';
    next.message = `Waiting to retry after failed attempt ${failed.attempt_number}.`;
    // An iteration's retry stays with the iterations; a task's joins the run's tasks.
    if (failed.iteration_of !== undefined) this.forEach.addRetry(failed, next);
    else run.task_ids.splice(run.task_ids.indexOf(failed.run_id) + 1, 0, next.run_id);
    this.ctx.schedule('task_retry', this.now() + Math.max(1, failed.spec.min_retry_interval_millis ?? 0), { task_run_id: next.run_id, gen: next.gen });
  }

  private beginCleanup(run: RunRecord): void {
    run.life = 'TERMINATING';
    run.gen++;
    this.ctx.schedule('run_finalize', this.now() + CLEANUP_MS, { run_id: run.run_id, gen: run.gen });
  }

  private finalize(run: RunRecord): void {
    if (run.life !== 'TERMINATING') return;
    const latest = [...this.latestAttempts(run).values()];
    const { life, result, termination } = this.outcomeOf(run, latest);
    run.life = life;
    run.result = result;
    run.termination = termination;
    run.message = termination.message;
    run.user_cancelled_or_timedout = run.canceled || run.timed_out;
    run.end_time = this.now();
    for (const id of run.job_cluster_ids ?? []) this.ctx.service<ClustersApi>('clusters')?.finishJobCluster(id);
    const repair = run.repair_history[run.repair_history.length - 1];
    if (repair) Object.assign(repair, { end_time: run.end_time, life, result, message: run.message });
    this.notify(run, result === 'SUCCESS' || result === 'SUCCESS_WITH_FAILURES' ? 'run.succeeded' : result === 'CANCELED' ? 'run.canceled' : 'run.failed');
    if (run.job_id !== undefined) this.onSlotFreed?.(run.job_id);
    if (run.parent_task_run_id !== undefined) this.onChildFinished(run);
  }

  /** Set by the jobs service: dequeues the next QUEUED run of the job. */
  onSlotFreed?: (jobId: number) => void;

  private outcomeOf(run: RunRecord, latest: TaskRun[]): { life: LifeCycle; result: ResultState; termination: Termination } {
    if (run.canceled) return { life: 'TERMINATED', result: 'CANCELED', termination: { code: 'USER_CANCELED', type: 'SUCCESS', message: 'Run cancelled.' } };
    if (run.timed_out) {
      return { life: 'TERMINATED', result: 'TIMEDOUT', termination: { code: 'CANCELED', type: 'CLIENT_ERROR', message: `Run timed out after ${run.timeout_seconds} seconds.` } };
    }
    const failed = latest.filter((t) => t.result !== undefined && FAILED_RESULTS.has(t.result));
    const internal = latest.find((t) => t.life === 'INTERNAL_ERROR');
    if (failed.length === 0 && !internal) return { life: 'TERMINATED', result: 'SUCCESS', termination: { code: 'SUCCESS', type: 'SUCCESS', message: '' } };
    const dependedOn = new Set(latest.flatMap((t) => (t.spec.depends_on ?? []).map((d) => d.task_key)));
    const leaves = latest.filter((t) => !dependedOn.has(t.task_key));
    if (!internal && leaves.every((t) => t.result === 'SUCCESS')) {
      return { life: 'TERMINATED', result: 'SUCCESS_WITH_FAILURES', termination: { code: 'SUCCESS_WITH_FAILURES', type: 'SUCCESS', message: '' } };
    }
    const first = internal ?? failed.find((t) => t.result === 'FAILED' || t.result === 'TIMEDOUT') ?? failed[0];
    const message = first ? `Task ${first.task_key} failed with message: ${first.message}` : 'Run failed.';
    if (internal) return { life: 'INTERNAL_ERROR', result: 'FAILED', termination: { code: internal.termination?.code ?? 'INTERNAL_ERROR', type: internal.termination?.type ?? 'INTERNAL_ERROR', message } };
    return { life: 'TERMINATED', result: 'FAILED', termination: { code: 'RUN_EXECUTION_ERROR', type: 'CLIENT_ERROR', message } };
  }

  // ---------- user actions ----------

  /** runs/cancel on a run or a task run. Asynchronous like the real one: the run passes through TERMINATING. */
  cancel(id: number): void {
    const run = this.runs.get(id);
    if (run) return this.cancelRun(run);
    const t = this.taskRuns.get(id);
    if (t && !TERMINAL.has(t.life)) this.cancelTask(t, 'CANCELED');
  }

  cancelRun(run: RunRecord): void {
    // Too late once every task has settled (TERMINATING): the run keeps its result.
    if (TERMINAL.has(run.life) || run.life === 'TERMINATING' || run.canceled) return;
    run.canceled = true;
    if (run.life === 'QUEUED') {
      for (const t of this.tasksOf(run)) this.cancelTask(t, 'CANCELED', false);
      run.life = 'TERMINATING';
      run.gen++;
      this.finalize(run);
      return;
    }
    for (const t of this.tasksOf(run)) if (!TERMINAL.has(t.life)) this.cancelTask(t, t.life === 'BLOCKED' ? 'UPSTREAM_CANCELED' : 'CANCELED', false);
    this.beginCleanup(run);
  }

  private cancelTask(t: TaskRun, result: 'CANCELED' | 'UPSTREAM_CANCELED', advance = true): void {
    if (TERMINAL.has(t.life)) return;
    const child = t.child_run_id !== undefined ? this.runs.get(t.child_run_id) : undefined;
    if (child) this.cancelRun(child);
    this.forEach.stop(t);
    t.gen++;
    // A task that had started ends TERMINATED/CANCELED; one that never started is SKIPPED.
    t.life = result === 'CANCELED' && t.start_time > 0 ? 'TERMINATED' : 'SKIPPED';
    t.result = result;
    t.message = result === 'CANCELED' ? 'Run cancelled.' : 'Upstream task was cancelled.';
    t.termination = { code: result === 'CANCELED' ? 'USER_CANCELED' : 'SKIPPED', type: 'SUCCESS', message: t.message };
    t.end_time = this.now();
    if (t.start_time === 0) t.start_time = t.end_time;
    const run = this.runs.get(t.parent_run_id);
    if (advance && run) this.settled(run, t);
  }

  private onRunTimeout(run: RunRecord): void {
    if (TERMINAL.has(run.life) || run.life === 'TERMINATING' || run.life === 'QUEUED') return;
    run.timed_out = true;
    for (const t of this.tasksOf(run).flatMap((x) => [x, ...this.forEach.iterations(x)])) {
      if (TERMINAL.has(t.life)) continue;
      t.gen++;
      const started = t.life === 'RUNNING' || t.life === 'PENDING';
      t.life = started ? 'TERMINATED' : 'SKIPPED';
      t.result = started ? 'TIMEDOUT' : 'UPSTREAM_CANCELED';
      t.message = 'Run timed out.';
      t.termination = { code: 'CANCELED', type: 'CLIENT_ERROR', message: t.message };
      t.end_time = this.now();
      if (t.start_time === 0) t.start_time = t.end_time;
    }
    this.beginCleanup(run);
  }

  /** runs/repair: re-runs the chosen (or all failed) tasks of a finished run in place. */
  repair(run: RunRecord, input: { rerun_tasks?: string[]; rerun_all_failed_tasks?: boolean; rerun_dependent_tasks?: boolean; latest_repair_id?: number }, named: Record<string, string>, legacy: LegacyParams): number {
    if (!TERMINAL.has(run.life)) throw invalidState(`Run ${run.run_id} is still active. A run can be repaired only after it has finished.`);
    const lastRepair = [...run.repair_history].reverse().find((h) => h.type === 'REPAIR');
    if (lastRepair && input.latest_repair_id !== lastRepair.id) {
      throw invalidParameter(`The latest repair of run ${run.run_id} is ${lastRepair.id}; pass it as latest_repair_id.`);
    }
    const latest = this.latestAttempts(run);
    let keys: string[];
    if (input.rerun_tasks && input.rerun_tasks.length > 0) {
      for (const k of input.rerun_tasks) if (!latest.has(k)) throw invalidParameter(`Task ${k} does not exist in run ${run.run_id}.`);
      keys = [...input.rerun_tasks];
    } else if (input.rerun_all_failed_tasks) {
      keys = [...latest.values()].filter((t) => t.life === 'INTERNAL_ERROR' || (t.result !== undefined && FAILED_RESULTS.has(t.result))).map((t) => t.task_key);
    } else throw invalidParameter('Either rerun_tasks or rerun_all_failed_tasks must be specified.');
    if (input.rerun_dependent_tasks) {
      const all = [...latest.values()];
      let grew = true;
      while (grew) {
        grew = false;
        for (const t of all) {
          if (!keys.includes(t.task_key) && (t.spec.depends_on ?? []).some((d) => keys.includes(d.task_key))) {
            keys.push(t.task_key);
            grew = true;
          }
        }
      }
    }
    if (keys.length === 0) throw invalidParameter(`Run ${run.run_id} has no failed tasks to repair.`);

    const now = this.now();
    this.finishedViews.clear();
    if (run.repair_history.length === 0) {
      run.repair_history.push({ type: 'ORIGINAL', start_time: run.created_time, end_time: run.end_time, task_run_ids: [...run.task_ids], life: run.life, ...(run.result ? { result: run.result } : {}), message: run.message });
    }
    const repairId = this.ctx.ids.numeric(15);
    const newIds: number[] = [];
    for (const key of keys) {
      const old = latest.get(key) as TaskRun;
      const fresh = this.newTaskRun(run, old.spec, 0, { named: Object.keys(named).length > 0 ? named : {}, legacy });
      if (Object.keys(named).length === 0 && Object.keys(legacy).length === 0) {
        fresh.named_params = old.named_params;
        fresh.positional_params = old.positional_params;
      }
      // The repaired attempt replaces the old one in `tasks`; the old task run stays readable by id.
      run.task_ids = run.task_ids.filter((id) => this.taskRuns.get(id)?.task_key !== key);
      run.task_ids.push(fresh.run_id);
      newIds.push(fresh.run_id);
    }
    run.repair_history.push({ type: 'REPAIR', id: repairId, start_time: now, end_time: 0, task_run_ids: newIds });
    run.life = 'PENDING';
    delete run.result;
    delete run.termination;
    run.message = '';
    run.canceled = false;
    run.timed_out = false;
    run.user_cancelled_or_timedout = false;
    run.end_time = 0;
    run.started_at = now;
    run.gen++;
    this.armRunTimeout(run);
    this.advance(run);
    return repairId;
  }

  delete(run: RunRecord): void {
    if (!TERMINAL.has(run.life)) throw invalidState(`Run ${run.run_id} is active and cannot be deleted. Cancel it first.`);
    this.finishedViews.clear();
    for (const id of run.task_ids) this.taskRuns.delete(id);
    for (const t of [...this.taskRuns.values()]) if (t.parent_run_id === run.run_id) this.taskRuns.delete(t.run_id);
    this.runs.delete(run.run_id);
    this.deleted.add(run.run_id);
  }

  /** Changes the timeout of active runs (jobs/reset with a new timeout_seconds applies to them). */
  retime(jobId: number, timeoutSeconds: number): void {
    for (const r of this.activeRunsOf(jobId)) {
      r.timeout_seconds = timeoutSeconds;
      this.armRunTimeout(r);
    }
  }

  onEvent(kind: string, data: Record<string, unknown>, at?: number): void {
    if (kind === 'run_timeout' || kind === 'run_finalize') {
      const run = typeof data.run_id === 'number' ? this.runs.get(data.run_id) : undefined;
      if (!run) return;
      if (kind === 'run_timeout' && data.gen === run.timeout_gen) this.onRunTimeout(run);
      if (kind === 'run_finalize' && data.gen === run.gen) this.finalize(run);
      return;
    }
    const t = typeof data.task_run_id === 'number' ? this.taskRuns.get(data.task_run_id) : undefined;
    if (!t || data.gen !== t.gen) return;
    if (kind === 'task_setup_done') this.onSetupDone(t, at);
    else if (kind === 'task_finish') this.onFinish(t);
    else if (kind === 'task_timeout') this.onTaskTimeout(t);
    else if (kind === 'task_retry' && t.life === 'WAITING_FOR_RETRY') {
      const run = this.runs.get(t.parent_run_id);
      if (run) this.beginTask(run, t);
    }
  }

  /** After a restore: tasks whose async executor was in flight are executed again. */
  resumeInFlight(): void {
    for (const t of this.taskRuns.values()) {
      // A running for_each task has no executor of its own: its iterations are resumed instead.
      if (t.life !== 'RUNNING' || t.planned || t.for_each) continue;
      const run = this.runs.get(t.parent_run_id);
      if (run) this.execute(run, t);
    }
  }

  private notify(run: RunRecord, event: 'run.started' | 'run.succeeded' | 'run.failed' | 'run.canceled' | 'run.skipped'): void {
    const hooks = run.webhook_notifications;
    const list = event === 'run.started' ? hooks?.on_start : event === 'run.succeeded' ? hooks?.on_success : event === 'run.failed' ? hooks?.on_failure : undefined;
    const webhookIds = (list ?? []).map((h) => h.id).filter((id): id is string => typeof id === 'string');
    this.ctx.notify({
      ...(webhookIds.length > 0 ? { webhook_ids: webhookIds } : {}),
      event,
      run_id: run.run_id,
      ...(run.job_id !== undefined ? { job_id: run.job_id } : {}),
      run_name: run.run_name,
      life_cycle_state: run.life,
      ...(run.result ? { result_state: run.result } : {}),
      timestamp: this.now(),
    });
  }
}
