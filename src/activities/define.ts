/**
 * The one generic wrapper every Databricks activity goes through: it gives the body the client,
 * the activity's cancellation signal (passed to every request), and turns whatever the body throws
 * into the right ApplicationFailure (failures.ts), counting each attempt on the way.
 */
import { Context, type Info } from '@temporalio/activity';
import type { MetricMeter } from '@temporalio/common';
import type { Logger } from '../common/logger.js';
import { ConfigurationError, type CallOptions, type DatabricksClient } from '../databricks/index.js';
import { project, takeFields, type FieldsOption } from './fields.js';
import { toFailure } from './failures.js';
import { recordActivityAttempt } from './metrics.js';
import type { SecretRef } from './secret-refs.js';

/** What activities close over; one set per worker (and so per Databricks workspace). */
export interface ActivityDeps {
  logger: Logger;
  /**
   * The workspace client. Optional only so a worker that runs no Databricks activity (smoke tests)
   * can be built without credentials; every Databricks activity fails non-retryably without it.
   */
  databricks?: DatabricksClient;
  /** Fallback meter when an activity context has none (the worker's meter is used when present). */
  metrics?: MetricMeter;
  /** Resolves secret references inside the activity; default reads the environment variable or file. */
  secretResolver?: (ref: SecretRef) => Promise<string>;
  /**
   * Workspace seconds per real second, for the waiters' poll schedule (waiters.ts): the time waited is
   * converted to workspace time, the schedule applied, and the delay converted back. Absent (or not a
   * positive number): 1, a real workspace. An emulator whose clock runs faster supplies its speed, so
   * a 5-minute cluster start at 10× is polled as a real one would be.
   */
  pollTimeScale?: () => number | Promise<number>;
}

/** What an activity body receives. */
export interface OpContext {
  client: DatabricksClient;
  /** Pass to every client call: cancellation of the activity aborts the request. */
  opts: CallOptions;
  signal: AbortSignal;
  info: Info;
  deps: ActivityDeps;
  logger: Logger;
  /** Report progress (transfers: offsets); the keep-alive ticks repeat the last details given here. */
  heartbeat(details?: unknown): void;
}

export type Body<I, O> = (ctx: OpContext, input: I) => Promise<O>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyBody = Body<any, any>;
type InputOf<B> = B extends Body<infer I, unknown> ? I : never;
type OutputOf<B> = B extends Body<never, infer O> ? O : never;

/**
 * An activity function: one serializable input object (optional when the API call takes none), one
 * serializable result. Every input also takes `fields` (fields.ts): with it, the result holds only
 * those fields, whatever its type says.
 */
export type ActivityOf<B> = undefined extends InputOf<B> ? (input?: InputOf<B> & FieldsOption) => Promise<OutputOf<B>> : (input: InputOf<B> & FieldsOption) => Promise<OutputOf<B>>;

/**
 * Keeps an activity that has a heartbeatTimeout alive while its call is in flight. A worker that dies
 * mid-call is then noticed within that timeout (and the call retried elsewhere) instead of at
 * startToCloseTimeout, and a cancellation reaches the call, which the SDK only delivers in a
 * heartbeat's response. The first tick comes after a third of the timeout, so quick calls (nearly
 * all) send nothing; a tick repeats the body's own last details so it never erases them.
 */
function keepAlive(context: Context): { heartbeat(details?: unknown): void; stop(): void } {
  const timeoutMs = context.info.heartbeatTimeoutMs ?? 0;
  let last: unknown;
  const heartbeat = (details?: unknown) => {
    last = details;
    context.heartbeat(details);
  };
  if (context.info.isLocal || timeoutMs <= 0) return { heartbeat, stop: () => {} };
  const timer = setInterval(() => context.heartbeat(last), Math.max(1000, Math.floor(timeoutMs / 3)));
  timer.unref();
  return { heartbeat, stop: () => clearInterval(timer) };
}

async function runBody<I, O>(name: string, deps: ActivityDeps, body: Body<I, O>, rawInput: I): Promise<O> {
  const context = Context.current();
  const { info } = context;
  const alive = keepAlive(context);
  try {
    if (!deps.databricks) {
      throw new ConfigurationError('This worker was started without a Databricks client (createActivities({ databricks }))');
    }
    const { input, fields } = takeFields(name, rawInput);
    const signal = context.cancellationSignal;
    const result = await body({ client: deps.databricks, opts: { signal }, signal, info, deps, logger: deps.logger, heartbeat: alive.heartbeat }, input);
    recordActivityAttempt(deps.metrics, name, 'ok', info.attempt);
    return fields ? project(result, fields) : result;
  } catch (err) {
    const failure = toFailure(err, name);
    const type = (failure as { type?: unknown }).type;
    recordActivityAttempt(deps.metrics, name, typeof type === 'string' ? type : failure instanceof Error ? failure.name : 'error', info.attempt);
    deps.logger.debug({ activity: name, attempt: info.attempt, type }, 'activity attempt failed');
    throw failure;
  } finally {
    alive.stop();
  }
}

/** Wraps a table of bodies into activities named by their keys. */
export function defineActivities<T extends Record<string, AnyBody>>(deps: ActivityDeps, table: T): { [K in keyof T]: ActivityOf<T[K]> } {
  const out: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [name, body] of Object.entries(table)) {
    out[name] = (input: unknown) => runBody(name, deps, body, input);
  }
  return out as { [K in keyof T]: ActivityOf<T[K]> };
}
