import type { Logger } from '../../common/logger.js';
import type { Principals } from '../auth.js';
import type { VirtualClock } from '../clock.js';
import type { IdGenerator } from '../ids.js';
import type { ApiRequest, RouteDef } from '../http/router.js';
import type { ScheduledEvent } from '../scheduler.js';
import type { TaskExecutorRegistry } from './jobs/executors.js';
import type { RunNotification } from '../notifications.js';

/** Everything a service gets from the emulator; see the how-to at the top of ./index.ts. */
export interface ServiceContext {
  /** This service's name (its key in snapshots, stats and scheduled events). */
  readonly name: string;
  /** Virtual time: use `clock.now()` for every timestamp and due time, never Date.now(). */
  readonly clock: VirtualClock;
  /** Seeded ids: `ids.numeric()`, `ids.hex(n)`, `ids.uuid()`… (deterministic for a given --seed). */
  readonly ids: IdGenerator;
  /** Token → principal table; `principals.addToken(token, principal, expiresAtRealMs?)` makes a token valid. */
  readonly principals: Principals;
  readonly logger: Logger;
  /** Always set: the --data-dir, or a temp dir removed on close. Keep service files under `<dataDir>/<name>/`. */
  readonly dataDir: string;
  /** Why create() is running: a fresh start, a POST /_emulator/reset, or a state restore (restart with --data-dir). */
  readonly reason: 'start' | 'reset' | 'restore';
  /** True when --data-dir was given (state is persisted across restarts). */
  readonly persistent: boolean;
  readonly workspaceId: number;
  /** e.g. `http://127.0.0.1:8080` (known once the server listens). */
  baseUrl(): string;
  /** Schedules `onEvent({kind, data})` on this service at virtual time `at`; `idle` timers never make instant mode jump. */
  schedule(kind: string, at: number, data?: Record<string, unknown>, options?: { idle?: boolean }): void;
  /** Drops this service's pending events that match. */
  cancelScheduled(predicate: (event: ScheduledEvent) => boolean): void;
  /** Another service's `api` object (e.g. `service<WorkspaceApi>('workspace')`), or undefined if not loaded. */
  service<T>(name: string): T | undefined;
  /** Jobs task executors keyed by task type; part 2 registers the real `sql_task` executor here. */
  readonly taskExecutors: TaskExecutorRegistry;
  /** Sends a run event to the control API's notification URLs and to the destinations its `webhook_ids` name. */
  notify(event: RunNotification): void;
  /**
   * Registers in-flight async work (e.g. an async task executor). In instant mode each request
   * first waits (≤ 2 s) for tracked work to settle, so reads see the settled state; a paused clock's
   * advance waits briefly (≤ 100 ms) at each transition it steps through.
   */
  track(work: Promise<unknown>): void;
  /** Call after a state change that happened outside a request (scheduled events do this for you). */
  markDirty(): void;
}

export interface ServiceInstance<Api = unknown> {
  routes: RouteDef[];
  /** Public methods for other services (looked up with ctx.service(name)). */
  api?: Api;
  /** Runs after validation and before every route's handler, any service's; throw to refuse (part 2's permissions enforce ACLs this way). */
  guard?(req: ApiRequest, input: unknown): void;
  /** Receives the events this service scheduled. */
  onEvent?(event: ScheduledEvent): void;
  /** JSON-serialisable state for --data-dir persistence and GET /_emulator/state. */
  snapshot?(): unknown;
  /** Inverse of snapshot; input is untrusted JSON. */
  restore?(state: unknown): void;
  close?(): void | Promise<void>;
}

export interface ServiceModule {
  name: string;
  /** Called at start and on every reset with fresh state. */
  create(ctx: ServiceContext): ServiceInstance;
}
