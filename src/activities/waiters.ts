/**
 * Waiters without held slots or history growth. Each activity attempt checks ONCE:
 * - target reached → the activity completes with the object as last read (ClusterDetails, Run, …);
 * - a terminal failure state → non-retryable failure (ClusterFailed, RunFailed, …) with the reason,
 *   the run page URL where there is one, and the last seen state in details[0];
 * - otherwise → a retryable `StillWaiting` failure whose nextRetryDelay is the next poll interval.
 * Temporal's retry timer does the sleeping: retries write no history events and occupy no worker
 * slot, so a 10-hour wait costs the same history as a 10-second one. Use WAIT_ACTIVITY options
 * (unlimited attempts) and bound the wait with scheduleToCloseTimeout.
 */
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { z } from 'zod';
import type { ClusterDetails, ClusterLibraryStatuses, Run, StatementResponse, Warehouse } from '../databricks/index.js';
import { FailureType } from '../common/activity-policies.js';
import type { Body, OpContext } from './define.js';
import { invalidInput, toFailure } from './failures.js';
import { recordWait } from './metrics.js';

const PollOptions = {
  /** Shortest poll interval (seconds, default 1): never poll faster than this — the workspace's rate limit is shared. */
  minPollSeconds: z.number().min(0.5).max(3600).optional(),
  /** Longest poll interval (seconds, default 60). When given, it also caps the sleep before an expected end. */
  maxPollSeconds: z.number().min(1).max(3600).optional(),
  /**
   * How long the wait typically takes (seconds, a hint): check at once, sleep until shortly before
   * that, poll densely around it, then back off as without a hint. See `pollDelayMs`.
   */
  expectedSeconds: z.number().positive().max(30 * 24 * 3600).optional(),
};

/**
 * Adaptive poll interval: ~10% of the time already waited, between min and max. A 5-second wait is
 * seen within ~1 s of finishing; a 10-hour wait polls once a minute (~600 checks instead of 36 000).
 * Upward jitter only (≤10%), so concurrent waiters spread out but never poll faster than the floor.
 */
export function nextPollDelayMs(waitedMs: number, minMs = 1000, maxMs = 60_000, random: () => number = Math.random): number {
  const base = Math.min(maxMs, Math.max(minMs, waitedMs / 10));
  return Math.round(Math.min(maxMs, base * (1 + 0.1 * random())));
}

/** The window around an expected end: it opens at 95 % of the expected duration and closes at 150 %. */
export const EXPECTED_WINDOW = { opens: 0.95, closes: 1.5, stepsPerExpected: 60 } as const;

export interface PollPolicy {
  /** Floor of every interval (ms). */
  minMs: number;
  /** Cap of every interval (ms), except the one sleep before the window when `sleepMaxMs` says otherwise. */
  maxMs: number;
  /** The expected duration of the wait (ms); without it the schedule is `nextPollDelayMs`. */
  expectedMs?: number;
  /** Cap of the sleep before the window (ms); default `maxMs`. The waiter lifts it when no maxPollSeconds was given. */
  sleepMaxMs?: number;
  random?: () => number;
}

/**
 * The waiters' poll schedule: the delay (ms) before the next check, given the time already waited.
 *
 * Without `expectedMs`: `nextPollDelayMs` (~10 % of the time waited, within [min, max]).
 * With `expectedMs` = E (the first check happens at once, as the activity's first attempt):
 * - before 0.95 E: sleep until the window opens (one sleep, at most `sleepMaxMs`);
 * - from 0.95 E to 1.5 E: poll every E/60 (within [min, max]) — a 5-minute cluster start is polled
 *   every 5 s around its expected end, so a start up to 30 s late costs ~10 checks and is seen within ~5 s;
 * - after 1.5 E: the hint was wrong; back off as without one.
 * Jitter is upward only and small (≤ 10 % of the window step), so concurrent waiters spread out
 * without overshooting the window. Deterministic for a given `random`.
 */
export function pollDelayMs(waitedMs: number, policy: PollPolicy): number {
  const { minMs, expectedMs } = policy;
  const maxMs = Math.max(minMs, policy.maxMs);
  const random = policy.random ?? Math.random;
  if (expectedMs === undefined || !(expectedMs > 0)) return nextPollDelayMs(waitedMs, minMs, maxMs, random);
  const opens = EXPECTED_WINDOW.opens * expectedMs;
  const closes = EXPECTED_WINDOW.closes * expectedMs;
  const step = Math.min(maxMs, Math.max(minMs, expectedMs / EXPECTED_WINDOW.stepsPerExpected));
  if (waitedMs >= closes) return nextPollDelayMs(waitedMs, minMs, maxMs, random);
  const jitter = 0.1 * step * random();
  if (waitedMs >= opens) return Math.round(Math.min(maxMs, step + jitter));
  const sleepMax = Math.max(minMs, policy.sleepMaxMs ?? maxMs);
  return Math.round(Math.min(sleepMax, Math.max(minMs, opens - waitedMs + jitter)));
}

/** How long before scheduleToClose a waiter stops scheduling checks (see the comment where it is used). */
const DEADLINE_MARGIN_MS = 2000;

interface Check<R> {
  /** Target reached: the activity's result. */
  done?: R;
  /** Cannot reach the target any more. */
  fail?: { type: string; message: string };
  /** What was seen (goes into StillWaiting / failure details). */
  seen: Record<string, unknown>;
}

type WaitInput<I> = I & { minPollSeconds?: number; maxPollSeconds?: number; expectedSeconds?: number };

/** Workspace time per real time (deps.pollTimeScale; 1 for a real workspace, or when it cannot say). */
async function timeScaleOf(ctx: OpContext): Promise<number> {
  if (!ctx.deps.pollTimeScale) return 1;
  try {
    const scale = await ctx.deps.pollTimeScale();
    return Number.isFinite(scale) && scale > 0 ? scale : 1;
  } catch {
    return 1;
  }
}

/**
 * A check that failed with a retryable error that names no delay of its own (a 5xx without
 * Retry-After, a dropped connection) is retried when the hint-less schedule would check next, as if it
 * had answered "not yet". Left to the retry policy, its delay would grow with the attempt number, and
 * in a waiter every poll is an attempt: one error after the ninth poll would cost the policy's
 * maximumInterval. Without the hint's long sleep, so a first check that fails is tried again soon.
 */
async function retriedOnSchedule(ctx: OpContext, failure: unknown, waitedMs: number, minMs: number, maxMs: number): Promise<unknown> {
  if (!(failure instanceof ApplicationFailure) || failure.nonRetryable || failure.nextRetryDelay != null) return failure;
  const scale = await timeScaleOf(ctx);
  const delay = Math.max(1, Math.round(pollDelayMs(waitedMs * scale, { minMs, maxMs }) / scale));
  return ApplicationFailure.create({
    type: failure.type ?? undefined,
    message: failure.message,
    nonRetryable: false,
    details: failure.details ?? [],
    nextRetryDelay: delay,
    ...(failure.cause ? { cause: failure.cause } : {}),
  });
}

function waiter<I extends object, R>(name: string, schema: z.ZodObject, check: (ctx: OpContext, input: I) => Promise<Check<R>>): Body<WaitInput<I>, R> {
  const full = schema.extend(PollOptions);
  return async (ctx, raw) => {
    const parsed = full.safeParse(raw);
    if (!parsed.success) throw invalidInput(name, parsed.error);
    const input = parsed.data as WaitInput<I>;
    const waitedMs = Date.now() - ctx.info.scheduledTimestampMs;
    const minMs = (input.minPollSeconds ?? 1) * 1000;
    const maxMs = Math.max(minMs, (input.maxPollSeconds ?? 60) * 1000);
    let r: Check<R>;
    try {
      r = await check(ctx, input);
    } catch (err) {
      throw await retriedOnSchedule(ctx, toFailure(err, name), waitedMs, minMs, maxMs);
    }
    if (r.done !== undefined) {
      recordWait(ctx.deps.metrics, name, 'reached', waitedMs);
      return r.done;
    }
    if (r.fail) {
      recordWait(ctx.deps.metrics, name, r.fail.type, waitedMs);
      throw ApplicationFailure.create({ type: r.fail.type, message: r.fail.message, nonRetryable: true, details: [r.seen] });
    }
    // The schedule is in workspace time: an emulator whose clock runs S× faster is polled S× as often.
    const scale = await timeScaleOf(ctx);
    const workspaceDelay = pollDelayMs(waitedMs * scale, {
      minMs,
      maxMs,
      ...(input.expectedSeconds !== undefined ? { expectedMs: input.expectedSeconds * 1000 } : {}),
      // Without an explicit maxPollSeconds the default cap bounds the polling, not the one sleep before the window.
      ...(input.maxPollSeconds === undefined ? { sleepMaxMs: Infinity } : {}),
    });
    let delay = Math.max(1, Math.round(workspaceDelay / scale));
    // The server refuses a retry that would start too close to scheduleToClose (observed: even ~0.5 s
    // before it) and fails with a TimeoutFailure whose cause the TS SDK does not decode. Giving up here,
    // with a margin, keeps the last seen state in a typed failure.
    const { scheduleToCloseTimeoutMs, scheduledTimestampMs } = ctx.info;
    const lastCheckAt = scheduledTimestampMs + scheduleToCloseTimeoutMs - DEADLINE_MARGIN_MS - 1;
    // A hint's long sleep that would pass the deadline becomes one last check just before it (the wait
    // may well be done by then); without a hint the intervals are short and the waiter gives up as before.
    const now = Date.now();
    if (scheduleToCloseTimeoutMs > 0 && input.expectedSeconds !== undefined && now + delay > lastCheckAt && lastCheckAt - now >= minMs / scale) {
      delay = lastCheckAt - now;
    }
    if (scheduleToCloseTimeoutMs > 0 && now + delay + DEADLINE_MARGIN_MS >= scheduledTimestampMs + scheduleToCloseTimeoutMs) {
      recordWait(ctx.deps.metrics, name, FailureType.WaitTimedOut, waitedMs);
      throw ApplicationFailure.create({
        type: FailureType.WaitTimedOut,
        message: `${name}: gave up after ${Math.round(waitedMs / 1000)} s (scheduleToCloseTimeout); last seen ${JSON.stringify(r.seen).slice(0, 300)}`,
        nonRetryable: true,
        details: [r.seen],
      });
    }
    throw ApplicationFailure.create({
      type: FailureType.StillWaiting,
      message: `${name}: not yet (${JSON.stringify(r.seen).slice(0, 200)}), next check in ${delay} ms`,
      nonRetryable: false,
      nextRetryDelay: delay,
      details: [r.seen],
      // Expected, not an error: the worker logs it at DEBUG and keeps it out of failure metrics.
      category: ApplicationFailureCategory.BENIGN,
    });
  };
}

// ---- clusters (reference §3.1) ----
const ClusterInput = z.object({ cluster_id: z.string().min(1) });
type ClusterInput = z.infer<typeof ClusterInput>;
const clusterSeen = (c: ClusterDetails) => ({
  cluster_id: c.cluster_id,
  state: c.state,
  state_message: c.state_message,
  ...(c.termination_reason ? { termination_reason: c.termination_reason } : {}),
});
const reason = (c: ClusterDetails) =>
  [c.state_message, c.termination_reason?.code, c.termination_reason?.type].filter((s) => s).join('; ') || 'no reason given';

export const waitClusterRunning = waiter<ClusterInput, ClusterDetails>('waitClusterRunning', ClusterInput, async ({ client, opts }, { cluster_id }) => {
  const c = await client.clusters.get({ cluster_id }, opts);
  const seen = clusterSeen(c);
  if (c.state === 'RUNNING') return { done: c, seen };
  if (c.state === 'ERROR' || c.state === 'TERMINATED') {
    return { fail: { type: FailureType.ClusterFailed, message: `Cluster ${cluster_id} is ${c.state} while waiting for RUNNING: ${reason(c)}` }, seen };
  }
  return { seen };
});

export const waitClusterTerminated = waiter<ClusterInput, ClusterDetails>('waitClusterTerminated', ClusterInput, async ({ client, opts }, { cluster_id }) => {
  const c = await client.clusters.get({ cluster_id }, opts);
  const seen = clusterSeen(c);
  if (c.state === 'TERMINATED') return { done: c, seen };
  if (c.state === 'ERROR') return { fail: { type: FailureType.ClusterFailed, message: `Cluster ${cluster_id} is ERROR while waiting for TERMINATED: ${reason(c)}` }, seen };
  return { seen };
});

// ---- job runs (§3.2) ----
const RunInput = z.object({ run_id: z.number().int().nonnegative() });
type RunInput = z.infer<typeof RunInput>;
/** Result states of a finished run that count as failures (the SDK waiter ignores result_state; we do not). */
const FAILED_RESULTS = new Set(['FAILED', 'TIMEDOUT', 'CANCELED', 'INTERNAL_ERROR']);
const runSeen = (r: Run) => ({
  run_id: r.run_id,
  life_cycle_state: r.state?.life_cycle_state,
  result_state: r.state?.result_state,
  state_message: r.state?.state_message,
  ...(r.status?.termination_details ? { termination_details: r.status.termination_details } : {}),
  run_page_url: r.run_page_url,
});

export const waitRunTerminated = waiter<RunInput, Run>('waitRunTerminated', RunInput, async ({ client, opts }, { run_id }) => {
  // Only the top-level state is needed; no history, no resolved values.
  const r = await client.jobs.getRun({ run_id }, opts);
  const seen = runSeen(r);
  const life = r.state?.life_cycle_state;
  const result = r.state?.result_state;
  const why = [r.state?.state_message, r.status?.termination_details?.code, r.status?.termination_details?.message].filter((s) => s).join('; ') || 'no reason given';
  if (life === 'INTERNAL_ERROR' || (result !== undefined && FAILED_RESULTS.has(result))) {
    return { fail: { type: FailureType.RunFailed, message: `Run ${run_id} ${result ?? life}: ${why} (${r.run_page_url ?? 'no run page'})` }, seen };
  }
  if (life === 'TERMINATED' || life === 'SKIPPED') return { done: r, seen };
  return { seen };
});

// ---- SQL warehouses (§3.3) ----
const WarehouseInput = z.object({ id: z.string().min(1) });
type WarehouseInput = z.infer<typeof WarehouseInput>;
const warehouseSeen = (w: Warehouse) => ({ id: w.id, state: w.state, health: w.health?.status, summary: w.health?.summary });

export const waitWarehouseRunning = waiter<WarehouseInput, Warehouse>('waitWarehouseRunning', WarehouseInput, async ({ client, opts }, { id }) => {
  const w = await client.warehouses.get({ id }, opts);
  const seen = warehouseSeen(w);
  if (w.state === 'RUNNING') return { done: w, seen };
  // As the SDK waiter: a warehouse that is (or went back to) STOPPED will not become RUNNING on its own.
  if (w.state === 'STOPPED' || w.state === 'DELETED' || w.state === 'DELETING') {
    return { fail: { type: FailureType.WarehouseFailed, message: `Warehouse ${id} is ${w.state} while waiting for RUNNING${w.health?.summary ? `: ${w.health.summary}` : ''}` }, seen };
  }
  return { seen };
});

export const waitWarehouseStopped = waiter<WarehouseInput, Warehouse>('waitWarehouseStopped', WarehouseInput, async ({ client, opts }, { id }) => {
  const w = await client.warehouses.get({ id }, opts);
  const seen = warehouseSeen(w);
  if (w.state === 'STOPPED') return { done: w, seen };
  if (w.state === 'DELETED') return { fail: { type: FailureType.WarehouseFailed, message: `Warehouse ${id} was deleted while waiting for STOPPED` }, seen };
  return { seen };
});

// ---- statements (§3.4) ----
const StatementInput = z.object({ statement_id: z.string().min(1) });
type StatementInput = z.infer<typeof StatementInput>;

export const waitStatement = waiter<StatementInput, StatementResponse>('waitStatement', StatementInput, async ({ client, opts }, { statement_id }) => {
  const s = await client.statements.get({ statement_id }, opts);
  const state = s.status?.state;
  const seen = { statement_id, status: s.status };
  if (state === 'SUCCEEDED') return { done: s, seen };
  if (state === 'FAILED' || state === 'CANCELED' || state === 'CLOSED') {
    const e = s.status?.error;
    return { fail: { type: FailureType.StatementFailed, message: `Statement ${statement_id} ${state}${e ? `: ${e.error_code ?? ''} ${e.message ?? ''}`.trimEnd() : ''}` }, seen };
  }
  return { seen };
});

// ---- libraries (§3.4) ----
const LibrariesInput = z.object({ cluster_id: z.string().min(1) });
type LibrariesInput = z.infer<typeof LibrariesInput>;
const DONE_LIBRARY = new Set(['INSTALLED', 'SKIPPED', 'RESTORED', 'UNINSTALL_ON_RESTART']);
const librariesSeen = (s: ClusterLibraryStatuses) => ({
  cluster_id: s.cluster_id,
  statuses: (s.library_statuses ?? []).map((l) => ({ library: l.library, status: l.status, ...(l.messages?.length ? { messages: l.messages } : {}) })),
});

export const waitLibrariesInstalled = waiter<LibrariesInput, ClusterLibraryStatuses>('waitLibrariesInstalled', LibrariesInput, async ({ client, opts }, { cluster_id }) => {
  const s = await client.libraries.clusterStatus({ cluster_id }, opts);
  const seen = librariesSeen(s);
  const failed = seen.statuses.filter((l) => l.status === 'FAILED');
  if (failed.length > 0) {
    const msg = failed.map((l) => `${JSON.stringify(l.library)}: ${(l.messages ?? []).join(' ') || 'failed'}`).join('; ');
    return { fail: { type: FailureType.LibraryInstallFailed, message: `Libraries failed on cluster ${cluster_id}: ${msg}` }, seen };
  }
  if (seen.statuses.every((l) => l.status !== undefined && DONE_LIBRARY.has(l.status))) return { done: s, seen };
  return { seen };
});
