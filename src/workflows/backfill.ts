/**
 * Backfill: one ETL pipeline per logical time in [from, to), `every` apart (a day by default), each a
 * child `etlPipeline` with that logical time under its dated id (`etl-<name>-<date>`, the id
 * `durabricks run --logical-date` uses), at most `concurrency` at once. A failed day does not stop
 * the others; the backfill fails at the end naming every day that failed. Cancelling it cancels the
 * pipelines in flight, which clean up as any cancelled pipeline does, and starts no more.
 *
 * Every `batch` runs it continues as new with no child in flight, so a year of days keeps a short
 * history. Children are REQUEST_CANCEL on parent close: a terminated backfill still lets its
 * pipelines clean up.
 */
import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  ChildWorkflowFailure,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  setHandler,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { etlPipeline } from './etl-pipeline.js';
import { backfillRange } from './lib/backfill-plan.js';
import {
  BackfillFailureType,
  backfillProgressQuery,
  type BackfillCarried,
  type BackfillFailureDetails,
  type BackfillInput,
  type BackfillProgress,
  type BackfillResult,
  type BackfillRun,
} from './lib/backfill-types.js';
import { datedPipelineWorkflowId } from './lib/logical-time.js';
import { InvalidPipelineSpecError, parsePipelineSpec } from './lib/pipeline-spec.js';
import { errorMessage } from './lib/pipeline-helpers.js';

export * from './lib/backfill-types.js';

const DEFAULT_BATCH = 50;
/** Ended runs the progress query shows (the counts cover all). */
const RECENT = 100;
/** Failures carried across continue-as-new and reported (the count covers all). */
const FAILURES_KEPT = 100;

export async function backfillPipeline(input: BackfillInput): Promise<BackfillResult> {
  const spec = (() => {
    try {
      return parsePipelineSpec(input?.spec);
    } catch (err) {
      if (err instanceof InvalidPipelineSpecError) throw invalid(err.message, err.problems);
      throw err;
    }
  })();
  const checked = backfillRange(input);
  if (!checked.ok) throw invalid(`invalid backfill: ${checked.problems.join('; ')}`, checked.problems);
  const { range } = checked;
  const carried: BackfillCarried = input.carried ?? { from: range.from.toISOString(), total: range.times.length, succeeded: 0, failed: 0, cancelled: 0, failures: [] };
  const batch = input.batch ?? DEFAULT_BATCH;
  const now = range.times.slice(0, batch);
  const later = range.times.slice(batch);

  const running = new Map<string, BackfillRun>();
  const recent: BackfillRun[] = [];
  const failures = [...carried.failures];
  let succeeded = carried.succeeded;
  let failed = carried.failed;
  let cancelled = carried.cancelled;
  let phase: BackfillProgress['phase'] = 'running';
  setHandler(backfillProgressQuery, () => ({
    pipeline: spec.name,
    from: carried.from,
    to: range.to.toISOString(),
    every: range.everySeconds,
    concurrency: range.concurrency,
    total: carried.total,
    succeeded,
    failed,
    cancelled,
    phase,
    running: [...running.values()].map((r) => ({ ...r })),
    recent: recent.map((r) => ({ ...r })),
  }));

  const ended = (run: BackfillRun) => {
    running.delete(run.workflowId);
    recent.push(run);
    if (recent.length > RECENT) recent.shift();
    if (run.status === 'succeeded') return void succeeded++;
    if (run.status === 'cancelled') cancelled++;
    else failed++;
    if (failures.length < FAILURES_KEPT) failures.push(run);
  };

  const runOne = async (time: Date): Promise<void> => {
    const run: BackfillRun = { logicalTime: time.toISOString(), workflowId: datedPipelineWorkflowId(spec.name, time), status: 'running' };
    running.set(run.workflowId, run);
    try {
      await executeChild(etlPipeline, {
        workflowId: run.workflowId,
        args: [{ spec, logicalTime: run.logicalTime }],
        parentClosePolicy: 'REQUEST_CANCEL',
        memo: { pipeline: spec.name },
        staticSummary: `ETL pipeline ${spec.name} for ${run.logicalTime}`,
      });
      ended({ ...run, status: 'succeeded' });
    } catch (err) {
      ended({ ...run, ...outcomeOf(err) });
    }
  };

  const inFlight = new Set<Promise<void>>();
  let stopped: unknown;
  try {
    for (const time of now) {
      await condition(() => inFlight.size < range.concurrency);
      const p: Promise<void> = runOne(time).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  } catch (err) {
    // Cancelled while waiting for a free slot: the children in flight were cancelled with this scope.
    if (!isCancellation(err)) throw err;
    stopped = err;
  }
  // Wait for the pipelines in flight (cancelled ones clean up first); a cancellation must not cut this short.
  await CancellationScope.nonCancellable(() => Promise.all(inFlight));
  if (stopped !== undefined || CancellationScope.current().consideredCancelled) {
    phase = 'cancelled';
    throw stopped ?? new CancelledFailure(`backfill of ${spec.name} cancelled: ${succeeded} of ${carried.total} runs succeeded`);
  }
  if (later.length > 0) {
    return continueAsNew<typeof backfillPipeline>({ ...input, from: later[0]!.toISOString(), carried: { ...carried, succeeded, failed, cancelled, failures } });
  }
  if (failed > 0 || cancelled > 0) {
    phase = 'failed';
    const details: BackfillFailureDetails = { total: carried.total, succeeded, failures };
    const named = failures.slice(0, 5).map((f) => `${shortTime(f.logicalTime)} (${f.error ?? f.status})`).join('; ');
    throw ApplicationFailure.create({
      type: BackfillFailureType.Incomplete,
      message: `${failed + cancelled} of ${carried.total} runs of ${spec.name} did not succeed: ${named}${failures.length > 5 ? ` and ${failures.length - 5} more` : ''}`,
      nonRetryable: true,
      details: [details],
    });
  }
  phase = 'succeeded';
  return { pipeline: spec.name, total: carried.total, succeeded, first: carried.from, last: range.times.at(-1)!.toISOString() };
}

/** `2026-11-02` for a midnight, the whole time otherwise (hourly backfills). */
function shortTime(iso: string): string {
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** How a child's failure counts: cancelled, or failed with the pipeline's own message. */
function outcomeOf(err: unknown): Pick<BackfillRun, 'status' | 'error'> {
  if (err instanceof WorkflowExecutionAlreadyStartedError) return { status: 'failed', error: 'a run for this logical time is already in progress under the same workflow id' };
  if (err instanceof ChildWorkflowFailure) {
    if (err.cause instanceof CancelledFailure) return { status: 'cancelled', error: 'cancelled' };
    return { status: 'failed', error: err.cause ? errorMessage(err.cause) : err.message };
  }
  if (isCancellation(err)) return { status: 'cancelled', error: 'cancelled' };
  return { status: 'failed', error: errorMessage(err) };
}

function invalid(message: string, problems: string[]): ApplicationFailure {
  return ApplicationFailure.create({ type: BackfillFailureType.InvalidBackfill, message, nonRetryable: true, details: [{ problems }] });
}
