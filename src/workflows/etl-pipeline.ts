/**
 * The ETL pipeline: cluster (existing, new, or none) → wait RUNNING → run a job (run-now or
 * runs/submit) → wait for the run → clean up the cluster as the spec says → follow-up SQL on a
 * warehouse → a bounded result.
 *
 * Every resource is recorded in a ledger and has an undo step on a compensation stack; on failure or
 * cancellation the stack unwinds in a non-cancellable scope (run cancelled, cluster terminated).
 * Waits are single waiter activities that poll by retrying, so history stays small however long they
 * take; a `runEvent` signal (webhook) ends the run wait early.
 */
import {
  ApplicationFailure,
  type CancellationScope,
  CancelledFailure,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import { CREATE_ACTIVITY, FailureType, isFailureType, READ_ACTIVITY, WAIT_ACTIVITY } from '../common/activity-policies.js';
import type { ClusterDetails, Run, StatementResponse } from '../databricks/index.js';
import { utf8ToBase64 } from './lib/base64.js';
import { CompensationStack, type CompensationOutcome } from './lib/compensation.js';
import { LeanScope } from './lib/lean-scope.js';
import { ResourceLedger, type LedgerEntry } from './lib/ledger.js';
import { chooseLogicalTime, parseLogicalTime, withLogicalTime, type LogicalTimeSource } from './lib/logical-time.js';
import type { PipelineActivities } from './lib/pipeline-activities.js';
import { InvalidPipelineSpecError, parsePipelineSpec, taskTypeOf, type PipelineSpec } from './lib/pipeline-spec.js';
import {
  PipelineFailureType,
  progressQuery,
  runEventSignal,
  type EtlPipelineInput,
  type FailedTask,
  type LogicalTime,
  type PipelineCounts,
  type PipelineFailureDetails,
  type PipelineProgress,
  type PipelineResult,
  type RunEvent,
  type SqlResult,
  type TaskResult,
} from './lib/pipeline-types.js';
import { ProgressTracker } from './lib/progress.js';
import { repairDetail, shouldRepair, tasksToRerun, type RepairRecord } from './lib/run-repair.js';
import { checkFailure } from './lib/sql-check.js';
import { EPHEMERAL_TAG, errorMessage, isTerminalRun, ownershipTags, runSeconds, runState, truncateEnd, truncateStart } from './lib/pipeline-helpers.js';

export * from './lib/pipeline-types.js';

const STEPS = [
  { name: 'files', title: 'Upload workspace files' },
  { name: 'cluster', title: 'Cluster ready' },
  { name: 'run', title: 'Start the job run' },
  { name: 'wait', title: 'Wait for the run' },
  { name: 'cleanup', title: 'Clean up the cluster' },
  { name: 'sql', title: 'Follow-up SQL' },
] as const;
type StepName = (typeof STEPS)[number]['name'];

const DEFAULTS = { clusterStartSeconds: 30 * 60, runSeconds: 24 * 3600, sqlSeconds: 30 * 60, maxRows: 100 };
/**
 * When the run's end events arrive by webhook (spec job.run_events: webhook) the `runEvent` signal ends
 * the run wait; polling is only the safety net for a lost event: at most every 5 minutes (15 after
 * a long wait), so a lost event costs minutes, never the pipeline.
 */
const WEBHOOK_SAFETY_NET = { minPollSeconds: 5 * 60, maxPollSeconds: 15 * 60 };
/** Databricks' own run timeout ends the run; the workflow waits a little longer to see that ending. */
const RUN_WAIT_MARGIN_SECONDS = 10 * 60;
/**
 * Run waits a `runEvent` signal may end before the pipeline stops trusting signals for that run and
 * only polls: each one the API contradicts (the run is still going) costs a read and a fresh waiter,
 * so a stream of stale or early events cannot grow the history without bound.
 */
const MAX_SIGNALLED_RUN_WAITS = 5;
/** Patch ids (workflow versioning): histories recorded before these changes replay the old way. */
const PATCH_REWAIT_AFTER_EARLY_SIGNAL = 'rewait-after-early-run-signal';
const PATCH_KEEP_EVENTS_DURING_REPAIR = 'keep-run-events-during-repair';
/**
 * Result rows are kept in history twice (the statement activity's result and the workflow's), so
 * their bytes are bounded whatever the row count; beyond this the result is marked truncated.
 */
const SQL_BYTE_LIMIT = 16 * 1024;
/**
 * What the pipeline reads of each object (the activities' `fields`): only these reach history. A
 * whole Run carries every task's settings and grows with the job; a cluster or warehouse, its spec.
 */
const RUN_FIELDS = ['run_id', 'run_page_url', 'state', 'status', 'start_time', 'end_time', 'run_duration', 'tasks.task_key', 'tasks.run_id', 'tasks.state', 'tasks.start_time', 'tasks.end_time'];
const CLUSTER_FIELDS = ['cluster_id', 'state', 'state_message'];
const WAREHOUSE_FIELDS = ['id', 'state'];

// Not async: `execute` is the one promise a run needs (the SDK records a stack trace for each).
export function etlPipeline(input: EtlPipelineInput): Promise<PipelineResult> {
  try {
    const spec = specOf(input);
    const logical = logicalTimeOf(input);
    return new PipelineRun({ ...spec, job: withLogicalTime(spec.job, logical.time), ...(spec.sql ? { sql: withLogicalTime(spec.sql, logical.time) } : {}) }, logical).execute();
  } catch (err) {
    return Promise.reject(err);
  }
}

function specOf(input: EtlPipelineInput): PipelineSpec {
  try {
    return parsePipelineSpec(input?.spec);
  } catch (err) {
    if (err instanceof InvalidPipelineSpecError) throw invalidSpec(err.message, err.problems);
    throw err;
  }
}

function invalidSpec(message: string, problems: string[]): ApplicationFailure {
  return ApplicationFailure.create({ type: PipelineFailureType.InvalidSpec, message, nonRetryable: true, details: [{ problems }] });
}

/** The given logical time, else the Schedule firing's (set by Temporal on every scheduled start), else the start time. */
function logicalTimeOf(input: EtlPipelineInput): { time: Date; source: LogicalTimeSource } {
  const info = workflowInfo();
  let given: Date | undefined;
  if (input.logicalTime !== undefined) {
    given = typeof input.logicalTime === 'string' ? parseLogicalTime(input.logicalTime) : undefined;
    if (!given) {
      const problem = `logicalTime: must be an ISO-8601 date (2026-11-20) or date-time with a zone (2026-11-20T03:00:00Z), got ${JSON.stringify(input.logicalTime)}`;
      throw invalidSpec(`invalid pipeline input: ${problem}`, [problem]);
    }
  }
  const scheduled = info.typedSearchAttributes.getAll().find((p) => p.key.name === SCHEDULED_START_TIME)?.value;
  return chooseLogicalTime(given, scheduled instanceof Date ? scheduled : undefined, info.startTime);
}

/** Temporal's search attribute on workflows a Schedule starts (firings, triggers, backfills): the nominal time. */
const SCHEDULED_START_TIME = 'TemporalScheduledStartTime';

/** One execution's state; a class so the steps share it without threading a dozen arguments. */
class PipelineRun {
  private readonly info = workflowInfo();
  private readonly ledger = new ResourceLedger();
  /** Undo steps; creates also run in its non-cancellable scope (`shielded`). */
  private readonly compensations = new CompensationStack();
  private readonly progress = new ProgressTracker<PipelineCounts>(STEPS, { activities: 0, signals: 0, tasksTotal: 0, tasksSucceeded: 0, tasksFailed: 0, rows: 0, repairs: 0 });
  private phase: PipelineProgress['phase'] = 'running';
  private error?: string;
  private clusterId?: string;
  private runId?: number;
  private runPageUrl?: string;
  /**
   * Latest event per run id, with the number of the signal that brought it; events can arrive
   * before the run id is known, so they are kept.
   */
  private readonly runEvents = new Map<number, { event: RunEvent; signal: number }>();
  private readonly a: {
    /**
     * Quick calls that are safe to repeat (reads, overwriting imports, terminate, cancel) run as
     * local activities: a marker event instead of three activity events and usually no extra
     * workflow task, which keeps the history small. Creates stay regular activities: their
     * exactly-once lookup relies on attempt numbers a worker crash would reset for a local one.
     */
    local: PipelineActivities;
    create: PipelineActivities;
    waitCluster: PipelineActivities;
    waitRun: PipelineActivities;
    waitSql: PipelineActivities;
  };

  constructor(
    private readonly spec: PipelineSpec,
    private readonly logical: { time: Date; source: LogicalTimeSource },
  ) {
    const t = spec.timeouts ?? {};
    const runTimeout = t.run ?? (spec.job.timeout !== undefined ? spec.job.timeout + RUN_WAIT_MARGIN_SECONDS : DEFAULTS.runSeconds);
    const waitFor = (seconds: number): ActivityOptions => ({ ...WAIT_ACTIVITY, scheduleToCloseTimeout: seconds * 1000 });
    this.a = {
      local: this.counted(proxyLocalActivities<PipelineActivities>({ startToCloseTimeout: '1 minute', localRetryThreshold: '10 seconds', retry: READ_ACTIVITY.retry })),
      create: this.counted(proxyActivities<PipelineActivities>(CREATE_ACTIVITY)),
      waitCluster: this.counted(proxyActivities<PipelineActivities>(waitFor(t.cluster_start ?? DEFAULTS.clusterStartSeconds))),
      waitRun: this.counted(proxyActivities<PipelineActivities>(waitFor(runTimeout))),
      waitSql: this.counted(proxyActivities<PipelineActivities>(waitFor(t.sql ?? DEFAULTS.sqlSeconds))),
    };
    setHandler(progressQuery, () => this.snapshot());
    setHandler(runEventSignal, (event) => {
      this.progress.counts.signals++;
      if (typeof event?.run_id !== 'number') return;
      this.runEvents.set(event.run_id, { event, signal: this.progress.counts.signals });
      if (this.runEvents.size > 20) this.runEvents.delete(this.runEvents.keys().next().value!);
      if (event.run_id === this.runId) this.progress.saw('run', event.life_cycle_state);
      const wait = this.runWait;
      if (wait && !wait.signalled && this.sawRunEnd(wait.runId)) {
        wait.signalled = true;
        wait.scope.cancel();
      }
    });
  }

  private logicalTime(): LogicalTime {
    return { time: this.logical.time.toISOString(), source: this.logical.source };
  }

  /** Counts activity calls for the progress query (a Proxy keeps the typed surface). */
  private counted(acts: PipelineActivities): PipelineActivities {
    return new Proxy(acts, {
      get: (target, prop, receiver) => {
        const fn = Reflect.get(target, prop, receiver) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          this.progress.counts.activities++;
          return fn(...args);
        };
      },
    });
  }

  private snapshot(): PipelineProgress {
    return {
      pipeline: this.spec.name,
      logicalTime: this.logicalTime(),
      phase: this.phase,
      currentStep: this.progress.current()?.name,
      steps: this.progress.snapshotSteps(),
      statesSeen: structuredCloneStates(this.progress.statesSeen),
      ...(this.clusterId !== undefined ? { clusterId: this.clusterId } : {}),
      ...(this.runId !== undefined ? { runId: this.runId } : {}),
      ...(this.runPageUrl !== undefined ? { runPageUrl: this.runPageUrl } : {}),
      counts: { ...this.progress.counts },
      resources: this.ledger.snapshot(),
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
  }

  async execute(): Promise<PipelineResult> {
    let step: StepName = 'files';
    try {
      step = 'files';
      // No await at all when there is nothing to upload: every promise in workflow code costs the SDK a stack capture.
      if (this.spec.files?.length) await this.uploadFiles(this.spec.files);
      else this.progress.end('files', 'skipped', 'no files');
      step = 'cluster';
      const cluster = await this.prepareCluster();
      step = 'run';
      const runId = await this.startRun();
      step = 'wait';
      const run = await this.repairWhileFailing(await this.waitForRun(runId));
      const tasks = this.taskResults(run);
      const state = runState(run);
      if (state !== 'SUCCESS' && state !== 'SUCCESS_WITH_FAILURES') {
        this.progress.end('wait', 'failed', `run ended ${state}`);
        throw await this.taskFailure(run, state);
      }
      this.progress.end('wait', 'done', `run ${state}: ${tasks.length} task(s)`);
      step = 'cleanup';
      let cleanedUp: CompensationOutcome[];
      let sql: SqlResult | undefined;
      try {
        [cleanedUp, sql] = await this.cleanupThenSql();
      } catch (err) {
        // Cleanup and SQL run side by side; a failure of the statement or its check is the SQL step's.
        // (A try, not a .catch(): every promise in workflow code costs the SDK a stack capture.)
        if (isFailureType(err, PipelineFailureType.SqlFailed) || isFailureType(err, PipelineFailureType.CheckFailed)) step = 'sql';
        throw err;
      }
      step = 'sql';
      this.phase = 'succeeded';
      return {
        pipeline: this.spec.name,
        workflowId: this.info.workflowId,
        logicalTime: this.logicalTime(),
        ...(cluster ? { cluster: { id: cluster.id, created: cluster.created, cleanup: this.clusterCleanupNote(cleanedUp) } } : {}),
        run: { runId, ...(this.runPageUrl ? { runPageUrl: this.runPageUrl } : {}), state, tasks, ...(runSeconds(run) !== undefined ? { seconds: runSeconds(run) } : {}), ...(this.repairs.length ? { repairs: this.repairs } : {}) },
        ...(sql ? { sql } : {}),
        steps: this.progress.snapshotSteps(),
        resources: this.ledger.snapshot(),
        cleanedUp,
      };
    } catch (err) {
      const cancelled = isCancellation(err);
      this.phase = cancelled ? 'cancelled' : 'failed';
      // A cancellation is no error: the phase says it (its message would be the interrupted activity's "Activity cancelled").
      if (!cancelled) this.error = errorMessage(err);
      this.progress.abort(cancelled ? 'cancelled' : 'failed', cancelled ? 'cancelled' : errorMessage(err));
      const cleanedUp = await this.compensations.unwind();
      this.markCleaned(cleanedUp);
      const summary = cleanedUp.map((c) => `${c.ok ? '' : 'FAILED: '}${c.detail}`).join('; ') || 'nothing to clean up';
      log.info('pipeline ended early; cleanup done', { cancelled, cleanedUp: summary });
      const details: PipelineFailureDetails = {
        step,
        ...(this.runId !== undefined ? { runId: this.runId } : {}),
        ...(this.runPageUrl ? { runPageUrl: this.runPageUrl } : {}),
        cleanedUp,
      };
      if (cancelled) throw new CancelledFailure(`pipeline ${this.spec.name} cancelled during ${step}; cleaned up: ${summary}`, [details]);
      throw this.asPipelineFailure(err, step, details);
    }
  }

  // ── steps ───────────────────────────────────────────────────────────────────────────────────

  private async uploadFiles(files: NonNullable<PipelineSpec['files']>): Promise<void> {
    this.progress.start('files', `${files.length} file(s)`);
    await Promise.all(
      files.map(async (f) => {
        const entry = this.ledger.intend('workspace_file', f.path);
        await this.a.local.workspaceImport({ path: f.path, content: utf8ToBase64(f.content), format: 'AUTO', overwrite: true });
        this.ledger.created(entry, f.path);
        this.ledger.kept(entry, 'pipeline source, left in place');
      }),
    );
    this.progress.end('files', 'done', files.map((f) => f.path).join(', '));
  }

  private async prepareCluster(): Promise<{ id: string; created: boolean } | undefined> {
    const c = this.spec.cluster;
    if (!c) return this.progress.end('cluster', 'skipped', 'tasks bring their own compute'), undefined;
    this.progress.start('cluster');
    let id: string;
    let created: boolean;
    let details: ClusterDetails | undefined;
    if (c.new_cluster) {
      const name = (c.new_cluster.cluster_name as string | undefined) ?? `durabricks-${this.spec.name}`;
      const entry = this.ledger.intend('cluster', name);
      // The create finishes even if a cancellation arrives meanwhile, so its id is known and cleaned up.
      const res = await this.compensations.shielded(() =>
        this.a.create.clustersCreate({
          ...c.new_cluster!,
          cluster_name: name,
          // clustersCreate adds the workflow and idempotency tags; the ephemeral tag lets the sweeper reclaim it.
          custom_tags: { ...(this.spec.tags ?? {}), ...(c.new_cluster!.custom_tags ?? {}), [EPHEMERAL_TAG]: 'true' },
        }),
      );
      id = res.cluster_id;
      created = true;
      this.ledger.created(entry, id);
      this.clusterCleanup(entry, c.cleanup ?? 'terminate');
    } else {
      id = c.existing_cluster_id!;
      created = false;
      const entry = this.ledger.adopt('cluster', id, id);
      details = await this.a.local.clustersGet({ cluster_id: id, fields: CLUSTER_FIELDS });
      this.progress.saw('cluster', details.state);
      if (details.state === 'TERMINATED') {
        await this.a.create.clustersStart({ cluster_id: id });
        details = undefined;
      }
      this.clusterCleanup(entry, c.cleanup ?? 'keep');
    }
    this.clusterId = id;
    this.progress.detail('cluster', `${id}: waiting for RUNNING`);
    if (details?.state !== 'RUNNING') {
      try {
        details = await this.a.waitCluster.waitClusterRunning({ cluster_id: id, ...this.expected('cluster_start'), fields: CLUSTER_FIELDS });
      } catch (err) {
        if (isFailureType(err, FailureType.ClusterFailed)) {
          this.progress.saw('cluster', 'ERROR');
          throw ApplicationFailure.create({ type: PipelineFailureType.ClusterStartFailed, message: `cluster ${id} did not start: ${errorMessage(err)}`, nonRetryable: true, cause: err as Error });
        }
        throw err;
      }
    }
    this.progress.saw('cluster', details.state);
    this.progress.end('cluster', 'done', `${id} RUNNING`);
    return { id, created };
  }

  /** Pushes the cluster's cleanup per policy: terminate, delete, or keep (recorded, nothing done). */
  private clusterCleanup(entry: LedgerEntry, policy: 'terminate' | 'delete' | 'keep'): void {
    const id = entry.id!;
    if (policy === 'keep') {
      this.ledger.kept(entry, 'kept (cleanup: keep)');
      return;
    }
    // A then, not an async function: one promise fewer for the SDK to record a stack trace of.
    this.compensations.push(`${policy} cluster ${id}`, () =>
      (policy === 'delete' ? this.a.local.clustersPermanentDelete({ cluster_id: id }) : this.a.local.clustersDelete({ cluster_id: id })).then(() => {
        const note = policy === 'delete' ? `deleted cluster ${id}` : `terminated cluster ${id}`;
        this.ledger.cleaned(entry, note);
        this.progress.saw('cluster', policy === 'delete' ? 'DELETED' : 'TERMINATING');
        return note;
      }),
    );
  }

  private async startRun(): Promise<number> {
    this.progress.start('run');
    const job = this.spec.job;
    // Same token on every retry of this start, new for every workflow run (≤ 64 characters).
    const idempotency_token = `durabricks-${this.info.runId}-run`;
    const entry = this.ledger.intend('run', job.job_id !== undefined ? `job ${job.job_id}` : (job.run_name ?? this.spec.name));
    const { run_id } = await this.compensations.shielded(() =>
      job.job_id !== undefined
        ? this.a.create.jobsRunNow({ job_id: job.job_id, idempotency_token, ...(job.parameters ? { job_parameters: job.parameters } : {}) })
        : this.a.create.jobsSubmit({
            // The marker lets the leak sweeper tie a run to its workflow (runs have no tags).
            run_name: `${job.run_name ?? this.spec.name} [durabricks:${this.info.workflowId}]`,
            tasks: this.tasksForSubmit(),
            ...(job.job_clusters ? { job_clusters: job.job_clusters.map((jc) => ({ ...jc, new_cluster: this.tagged(jc.new_cluster) })) } : {}),
            ...(job.timeout !== undefined ? { timeout_seconds: Math.ceil(job.timeout) } : {}),
            ...(job.webhook_notifications ? { webhook_notifications: job.webhook_notifications } : {}),
            idempotency_token,
          }),
    );
    this.runId = run_id;
    this.ledger.created(entry, String(run_id));
    this.guardRun(run_id, entry);
    this.progress.end('run', 'done', `run ${run_id}`);
    return run_id;
  }

  /** While the run is active, a failure or cancellation of the pipeline cancels it. */
  private guardRun(run_id: number, entry: LedgerEntry): void {
    this.cancelRunStep = this.compensations.push(`cancel run ${run_id}`, async () => {
      await this.a.local.jobsCancelRun({ run_id });
      this.ledger.cleaned(entry, `cancelled run ${run_id}`);
      return `cancelled run ${run_id}`;
    });
  }

  private readonly repairs: RepairRecord[] = [];
  private lastRepairId?: number;

  /**
   * `job.repair`: while the run ended FAILED or TIMEDOUT and attempts remain, wait `delay` (a durable
   * timer), re-run its failed tasks in place (runs/repair, exactly once: the activity adopts a repair
   * an earlier attempt made) and wait for the run again. Cancelling the pipeline meanwhile cancels the
   * repaired run, as it would the original.
   */
  private async repairWhileFailing(run: Run): Promise<Run> {
    const policy = this.spec.job.repair;
    const runId = run.run_id;
    while (shouldRepair(run, policy, this.repairs.length)) {
      const attempt = this.repairs.length + 1;
      const tasks = tasksToRerun(run);
      this.progress.detail('wait', repairDetail(run, policy!, attempt, tasks));
      if (policy!.delay) await sleep(policy!.delay * 1000);
      const signalsBefore = this.progress.counts.signals;
      const { repair_id } = await this.compensations.shielded(() =>
        this.a.create.jobsRepairRun({ run_id: runId, rerun_all_failed_tasks: true, ...(this.lastRepairId !== undefined ? { latest_repair_id: this.lastRepairId } : {}) }),
      );
      this.lastRepairId = repair_id;
      this.repairs.push({ repairId: repair_id, tasks });
      this.progress.counts.repairs = this.repairs.length;
      // Events from before the repair call told of the failed run. One that came while the call was in
      // flight may be the repaired run's end (a quick failure, or an activity retried after a worker
      // crash): it is kept, and the wait reads the run to tell which.
      const latest = this.runEvents.get(runId);
      if (latest && (latest.signal <= signalsBefore || !patched(PATCH_KEEP_EVENTS_DURING_REPAIR))) this.runEvents.delete(runId);
      this.runFinished = false;
      const entry = this.runEntry(runId);
      if (entry) this.guardRun(runId, this.ledger.created(entry, String(runId), `repair ${attempt} (${repair_id}): ${tasks.join(', ')}`));
      run = await this.waitForRun(runId, attempt);
    }
    return run;
  }

  /**
   * The run page URL, fetched side by side with the first wait so both go out in one workflow task
   * (one fewer round of history events); failing to get it never fails the pipeline.
   */
  private fetchRunPageUrl(runId: number): void {
    this.a.local.jobsGetRun({ run_id: runId, fields: ['run_page_url', 'state.life_cycle_state'] }).then(
      (run) => {
        this.runPageUrl ??= run.run_page_url;
        // This answer may arrive after the wait ended; an older state must not follow the final one.
        if (!this.runFinished) this.progress.saw('run', run.state?.life_cycle_state);
        if (this.runPageUrl) this.progress.detail('run', `run ${runId} ${this.runPageUrl}`);
      },
      () => {},
    );
  }

  private cancelRunStep?: ReturnType<CompensationStack['push']>;
  private runFinished = false;
  /** The run wait in progress, which a `runEvent` signal for its run ends. */
  private runWait?: { runId: number; scope: CancellationScope; signalled: boolean };

  /** Tasks as submitted: the pipeline cluster for tasks with no compute, ownership tags on new clusters. */
  /** The ledger's entry of the run `runId` (a repair keeps the run's id, so one entry serves every attempt). */
  private runEntry(runId: number): LedgerEntry | undefined {
    return this.ledger.entries().find((e) => e.kind === 'run' && e.id === String(runId));
  }

  private tasksForSubmit(): Record<string, unknown>[] & { task_key: string }[] {
    return (this.spec.job.tasks ?? []).map((t) => {
      const task: Record<string, unknown> & { task_key: string } = { ...t };
      const hasCompute = t.existing_cluster_id !== undefined || t.new_cluster !== undefined || t.job_cluster_key !== undefined || t.environment_key !== undefined;
      const type = taskTypeOf(t);
      if (!hasCompute && this.clusterId !== undefined && type !== 'sql_task' && type !== 'condition_task' && type !== 'run_job_task' && type !== 'pipeline_task') {
        task.existing_cluster_id = this.clusterId;
      }
      if (t.new_cluster) task.new_cluster = this.tagged(t.new_cluster);
      return task;
    });
  }

  private tagged<T extends { custom_tags?: Record<string, string> }>(cluster: T): T {
    return { ...cluster, custom_tags: { ...(this.spec.tags ?? {}), ...(cluster.custom_tags ?? {}), ...ownershipTags(this.info) } };
  }

  /** Whether a `runEvent` signal said this run has ended. */
  private sawRunEnd(runId: number): boolean {
    const e = this.runEvents.get(runId)?.event;
    return e !== undefined && e.event !== 'run.started' && (e.life_cycle_state === undefined || isTerminalRun(e.life_cycle_state));
  }

  /**
   * Waits for the run to end and reads it, with one waiter activity that polls by retrying (no
   * history per poll). A `runEvent` signal saying the run ended cancels the waiter from the signal
   * handler (see the constructor), or skips it when one already came, and the run is read. When the
   * read contradicts the event (it ran ahead of the API, was a stale duplicate, or told of the end a
   * repair superseded) the event is dropped and the run waited for again, which a later event can end
   * in turn, up to MAX_SIGNALLED_RUN_WAITS times; after that only polling counts. (The handler cancels
   * the scope directly rather than racing a `condition`, and this loop is not split into an async
   * helper: every promise in workflow code costs the SDK a stack capture.)
   */
  private async waitForRun(runId: number, repair?: number): Promise<Run> {
    if (repair === undefined) {
      this.progress.start('wait', `run ${runId}`);
      this.fetchRunPageUrl(runId);
    } else this.progress.detail('wait', `run ${runId}, repair ${repair}${this.runPageUrl ? ` ${this.runPageUrl}` : ''}`);
    let run: Run | undefined;
    for (let waits = 0; ; waits++) {
      const listen = waits < MAX_SIGNALLED_RUN_WAITS;
      if (!listen || !this.sawRunEnd(runId)) {
        const wait = { runId, scope: new LeanScope({ cancellable: true }), signalled: false };
        if (listen) this.runWait = wait;
        let failure: unknown;
        try {
          run = await wait.scope.run(() => this.a.waitRun.waitRunTerminated(this.runWaitInput(runId)));
        } catch (err) {
          // Once the signal has cancelled the wait, its cancellation is expected; anything else is not.
          if (!(wait.signalled && isCancellation(err))) failure = err;
        } finally {
          if (listen) this.runWait = undefined;
        }
        if (wait.signalled) log.info('run wait ended by webhook signal', { runId });
        // A workflow cancellation or a timeout is final; a RunFailed verdict still needs the run's details.
        if (failure !== undefined && (isCancellation(failure) || !isFailureType(failure, FailureType.RunFailed))) {
          if (isTimeout(failure)) {
            throw ApplicationFailure.create({ type: PipelineFailureType.RunTimedOut, message: `run ${runId} did not finish within the wait timeout`, nonRetryable: true, cause: failure as Error });
          }
          throw failure;
        }
      }
      const heard = this.runEvents.get(runId);
      run ??= await this.a.local.jobsGetRun({ run_id: runId, fields: RUN_FIELDS });
      if (isTerminalRun(run.state?.life_cycle_state)) break;
      if (!patched(PATCH_REWAIT_AFTER_EARLY_SIGNAL)) {
        run = await this.a.waitRun.waitRunTerminated(this.runWaitInput(runId));
        break;
      }
      // The read contradicted the event it followed; one that came in during the read is newer and stays.
      if (this.runEvents.get(runId) === heard) this.runEvents.delete(runId);
      run = undefined;
    }
    // Life-cycle states only; the result state is in the step detail and the result.
    this.progress.saw('run', run.state?.life_cycle_state);
    this.runFinished = true;
    this.runPageUrl ??= run.run_page_url;
    if (this.cancelRunStep) this.compensations.discard(this.cancelRunStep);
    const entry = this.runEntry(runId);
    if (entry) this.ledger.kept(entry, `finished ${runState(run)}`);
    return run;
  }

  private taskResults(run: Run): TaskResult[] {
    const tasks = (run.tasks ?? []).map((t) => ({
      taskKey: t.task_key,
      ...(t.run_id !== undefined ? { runId: t.run_id } : {}),
      state: t.state?.result_state ?? t.state?.life_cycle_state ?? 'UNKNOWN',
      ...(t.start_time && t.end_time ? { seconds: Math.round((t.end_time - t.start_time) / 100) / 10 } : {}),
    }));
    this.progress.counts.tasksTotal = tasks.length;
    this.progress.counts.tasksSucceeded = tasks.filter((t) => t.state === 'SUCCESS').length;
    this.progress.counts.tasksFailed = tasks.filter((t) => FAILED_TASK_STATES.has(t.state)).length;
    return tasks;
  }

  /** Typed failure naming the failed task(s) with their error output (runs/get-output per task run). */
  private async taskFailure(run: Run, state: string): Promise<ApplicationFailure> {
    const failed = (run.tasks ?? []).filter((t) => FAILED_TASK_STATES.has(t.state?.result_state ?? t.state?.life_cycle_state ?? ''));
    const outputs = await Promise.all(
      failed.slice(0, 5).map(async (t): Promise<FailedTask> => {
        const base: FailedTask = { taskKey: t.task_key, ...(t.run_id !== undefined ? { runId: t.run_id } : {}), state: t.state?.result_state ?? t.state?.life_cycle_state ?? 'UNKNOWN' };
        if (t.run_id === undefined) return base;
        try {
          const out = await this.a.local.jobsGetRunFailureOutput({ run_id: t.run_id });
          return { ...base, ...(out.error ? { error: truncateEnd(out.error, 2000) } : {}), ...(out.error_trace ? { errorTrace: truncateStart(out.error_trace, 4000) } : {}) };
        } catch (err) {
          if (isCancellation(err)) throw err;
          return { ...base, error: `(output unavailable: ${errorMessage(err)})` };
        }
      }),
    );
    const first = outputs[0];
    const message = first
      ? `task "${first.taskKey}" ${first.state}${first.error ? `: ${first.error.split('\n')[0]}` : ''}${outputs.length > 1 ? ` (and ${outputs.length - 1} more failed task(s))` : ''}`
      : `run ${run.run_id} ended ${state}${run.state?.state_message ? `: ${run.state.state_message}` : ''}`;
    const repaired = this.repairs.length ? ` after ${this.repairs.length} repair${this.repairs.length === 1 ? '' : 's'}` : '';
    return ApplicationFailure.create({ type: PipelineFailureType.TaskFailed, message: `${message}${repaired}`, nonRetryable: true, details: [{ failedTasks: outputs }] });
  }

  /** Cluster cleanup and the warehouse check run side by side: one workflow task for both. */
  private async cleanupThenSql(): Promise<[CompensationOutcome[], SqlResult | undefined]> {
    const sql = this.spec.sql;
    // Only what is on the stack now (the cluster) is this step's; the SQL step pushes its own.
    const clusterCleanup = this.compensations.takeAll();
    const cleanupStep = async (): Promise<CompensationOutcome[]> => {
      if (clusterCleanup.size === 0) {
        this.progress.end('cleanup', 'skipped', this.clusterId ? 'cluster kept' : 'no cluster');
        return [];
      }
      this.progress.start('cleanup');
      const outcomes = await clusterCleanup.unwind();
      this.markCleaned(outcomes);
      const failedCleanup = outcomes.find((o) => !o.ok);
      this.progress.end('cleanup', failedCleanup ? 'failed' : 'done', outcomes.map((o) => o.detail).join('; '));
      return outcomes;
    };
    if (!sql) {
      const outcomes = await cleanupStep();
      this.progress.end('sql', 'skipped', 'no follow-up SQL');
      return [outcomes, undefined];
    }
    // allSettled, not all: a failing statement must not end the workflow while cleanup is in flight.
    const [outcomes, result] = await Promise.allSettled([cleanupStep(), this.followUpSql(sql)]);
    if (outcomes.status === 'rejected') throw outcomes.reason;
    if (result.status === 'rejected') throw result.reason;
    return [outcomes.value, result.value];
  }

  private async followUpSql(sql: NonNullable<PipelineSpec['sql']>): Promise<SqlResult> {
    this.progress.start('sql', `warehouse ${sql.warehouse_id}`);
    const id = sql.warehouse_id;
    const wh = await this.a.local.warehousesGet({ id, fields: WAREHOUSE_FIELDS });
    this.progress.saw('warehouse', wh.state);
    if (wh.state !== 'RUNNING') {
      if (wh.state === 'STOPPED' || wh.state === 'STOPPING') {
        if (sql.start_if_stopped === false) {
          throw ApplicationFailure.create({ type: PipelineFailureType.SqlFailed, message: `warehouse ${id} is ${wh.state} and sql.start_if_stopped is false`, nonRetryable: true });
        }
        this.progress.detail('sql', `starting warehouse ${id}`);
        await this.a.create.warehousesStart({ id });
      }
      const running = await this.a.waitSql.waitWarehouseRunning({ id, ...this.expected('sql'), fields: WAREHOUSE_FIELDS });
      this.progress.saw('warehouse', running.state);
    }
    this.progress.detail('sql', 'running statement');
    const maxRows = sql.max_rows ?? DEFAULTS.maxRows;
    let st: StatementResponse = await this.a.create.statementsExecute({
      warehouse_id: id,
      statement: sql.statement,
      ...(sql.catalog ? { catalog: sql.catalog } : {}),
      ...(sql.schema ? { schema: sql.schema } : {}),
      ...(sql.parameters ? { parameters: Object.entries(sql.parameters).map(([name, value]) => ({ name, value })) } : {}),
      wait_timeout: '30s',
      on_wait_timeout: 'CONTINUE',
      disposition: 'INLINE',
      format: 'JSON_ARRAY',
      row_limit: maxRows,
      byte_limit: SQL_BYTE_LIMIT,
    });
    this.progress.saw('statement', st.status?.state);
    if (st.status?.state === 'PENDING' || st.status?.state === 'RUNNING') {
      const statementId = st.statement_id;
      const cancel = this.compensations.push(`cancel statement ${statementId}`, async () => {
        await this.a.local.statementsCancel({ statement_id: statementId });
        return `cancelled statement ${statementId}`;
      });
      try {
        st = await this.a.waitSql.waitStatement({ statement_id: statementId, ...this.expected('sql') });
      } catch (err) {
        if (isFailureType(err, FailureType.StatementFailed)) {
          throw ApplicationFailure.create({ type: PipelineFailureType.SqlFailed, message: `follow-up SQL failed: ${errorMessage(err)}`, nonRetryable: true, cause: err as Error });
        }
        throw err;
      }
      this.compensations.discard(cancel);
      this.progress.saw('statement', st.status?.state);
    }
    if (st.status?.state !== 'SUCCEEDED') {
      const reason = st.status?.error?.message ?? st.status?.state ?? 'unknown state';
      throw ApplicationFailure.create({ type: PipelineFailureType.SqlFailed, message: `follow-up SQL ${st.status?.state ?? 'failed'}: ${truncateEnd(reason, 2000)}`, nonRetryable: true });
    }
    const rows = (st.result?.data_array ?? []).slice(0, maxRows);
    const total = st.manifest?.total_row_count;
    const columns = (st.manifest?.schema?.columns ?? []).map((c) => c.name);
    this.progress.counts.rows = rows.length;
    const failedCheck = sql.check ? checkFailure(columns, rows) : undefined;
    if (failedCheck !== undefined) {
      this.progress.end('sql', 'failed', `check failed: ${failedCheck}`);
      throw ApplicationFailure.create({ type: PipelineFailureType.CheckFailed, message: `data check failed: ${truncateEnd(failedCheck, 2000)}`, nonRetryable: true, details: [{ columns, row: rows[0] ?? null, statementId: st.statement_id }] });
    }
    this.progress.end('sql', 'done', `${rows.length} row(s)${total !== undefined && total > rows.length ? ` of ${total}` : ''}${sql.check ? ', check passed' : ''}`);
    return {
      warehouseId: id,
      statementId: st.statement_id,
      columns,
      rows,
      ...(total !== undefined ? { totalRows: total } : {}),
      truncated: st.manifest?.truncated === true || (total !== undefined && total > rows.length),
    };
  }

  // ── waiter hints ──────────────────────────────────────────────────────────────────────────────

  /** The spec's typical duration for a wait, as the waiter's `expectedSeconds` hint (nothing when not given). */
  private expected(wait: 'cluster_start' | 'run' | 'sql'): { expectedSeconds?: number } {
    const seconds = this.spec.expected?.[wait];
    return seconds !== undefined ? { expectedSeconds: seconds } : {};
  }

  /** The run waiter's input: the hint, and only a slow safety-net poll when end events come by webhook. */
  private runWaitInput(runId: number): { run_id: number; expectedSeconds?: number; minPollSeconds?: number; maxPollSeconds?: number; fields: string[] } {
    return { run_id: runId, ...this.expected('run'), ...(this.spec.job.run_events === 'webhook' ? WEBHOOK_SAFETY_NET : {}), fields: RUN_FIELDS };
  }

  // ── bookkeeping ─────────────────────────────────────────────────────────────────────────────

  private markCleaned(outcomes: CompensationOutcome[]): void {
    for (const o of outcomes) if (!o.ok) log.warn('cleanup step failed', { step: o.description, error: o.detail });
  }

  private clusterCleanupNote(outcomes: CompensationOutcome[]): string {
    const entry = this.ledger.entries().find((e) => e.kind === 'cluster');
    const done = outcomes.find((o) => o.description.includes('cluster'));
    if (done) return done.ok ? done.detail : `cleanup failed: ${done.detail}`;
    return entry?.note ?? 'kept';
  }

  private asPipelineFailure(err: unknown, step: string, details: PipelineFailureDetails): ApplicationFailure {
    if (err instanceof ApplicationFailure && Object.values(PipelineFailureType).includes(err.type as never)) {
      // Re-create so details carry the cleanup report alongside the type-specific details.
      const own = (err.details?.[0] ?? {}) as Record<string, unknown>;
      return ApplicationFailure.create({ type: err.type ?? PipelineFailureType.StepFailed, message: err.message, nonRetryable: true, details: [{ ...own, ...details }], ...(err.cause ? { cause: err.cause } : {}) });
    }
    return ApplicationFailure.create({
      type: PipelineFailureType.StepFailed,
      message: `step "${step}" failed: ${errorMessage(err)}`,
      nonRetryable: true,
      details: [details],
      ...(err instanceof Error ? { cause: err } : {}),
    });
  }
}

const FAILED_TASK_STATES: ReadonlySet<string> = new Set(['FAILED', 'TIMEDOUT', 'CANCELED', 'INTERNAL_ERROR', 'MAXIMUM_CONCURRENT_RUNS_REACHED']);

function isTimeout(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { name?: unknown }).name === 'TimeoutFailure') return true;
  }
  return false;
}

function structuredCloneStates(states: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(states).map(([k, v]) => [k, [...v]]));
}
