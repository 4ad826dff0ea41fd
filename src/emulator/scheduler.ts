import type { VirtualClock } from './clock.js';

/**
 * A future state transition, stored as data (not a closure) so the queue can be persisted and a
 * restarted emulator carries on where it stopped — moto-style declarative transitions.
 */
export interface ScheduledEvent {
  seq: number;
  /** Virtual epoch ms when it is due. */
  at: number;
  service: string;
  kind: string;
  data: Record<string, unknown>;
  /**
   * Idle timers (auto-termination, handle expiry) fire only when virtual time reaches them; in
   * instant mode they do not make the clock jump, or every cluster would auto-terminate at once.
   */
  idle?: boolean;
}

export type EventDispatcher = (event: ScheduledEvent) => void;

/** Runaway guard: an instant-mode handler that keeps rescheduling itself cannot hang a request. */
const MAX_EVENTS_PER_RUN = 20_000;

/** (at, seq) order: the order events fire in, as a sort comparator. */
const firingOrder = (a: ScheduledEvent, b: ScheduledEvent) => a.at - b.at || a.seq - b.seq;
const before = (a: ScheduledEvent, b: ScheduledEvent) => firingOrder(a, b) < 0;

/** Binary insertion keeps (at, seq) order; queues stay small enough that this beats a heap in practice. */
function insertSorted(queue: ScheduledEvent[], event: ScheduledEvent): void {
  let lo = 0;
  let hi = queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(queue[mid] as ScheduledEvent, event)) lo = mid + 1;
    else hi = mid;
  }
  queue.splice(lo, 0, event);
}

export class Scheduler {
  /**
   * Transitions and idle timers in two queues, each in (at, seq) order, so finding the next event
   * and arming the timer look at two heads instead of scanning: in instant mode every idle timer
   * (result expiry, run retention, …) stays queued, and a scan per request grew with them.
   */
  private transitions: ScheduledEvent[] = [];
  private idleTimers: ScheduledEvent[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Due-now wake-up (see arm). */
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(
    private readonly clock: VirtualClock,
    private readonly dispatch: EventDispatcher,
    private readonly onError: (err: unknown, event: ScheduledEvent) => void,
  ) {}

  schedule(service: string, kind: string, at: number, data: Record<string, unknown> = {}, idle = false): void {
    const event: ScheduledEvent = { seq: ++this.seq, at, service, kind, data, ...(idle ? { idle } : {}) };
    insertSorted(idle ? this.idleTimers : this.transitions, event);
    this.arm();
  }

  /** Drops pending events matching the predicate (e.g. a deleted resource's timers). */
  cancel(predicate: (e: ScheduledEvent) => boolean): void {
    this.transitions = this.transitions.filter((e) => !predicate(e));
    this.idleTimers = this.idleTimers.filter((e) => !predicate(e));
  }

  /** Fires every due event in order; called before each request and by the wake-up timer. */
  runDue(): void {
    let fired = 0;
    while (fired < MAX_EVENTS_PER_RUN) {
      const queue = this.nextDueQueue();
      if (!queue) break;
      const event = queue.shift() as ScheduledEvent;
      if (this.clock.instant && !event.idle) this.clock.jumpTo(event.at);
      fired++;
      try {
        this.dispatch(event);
      } catch (err) {
        this.onError(err, event);
      }
    }
    this.arm();
  }

  /**
   * The queue whose head fires next, if any is due: an idle timer when virtual time has reached
   * it, a transition then too, or at once in instant mode; the earlier of the two when both are.
   */
  private nextDueQueue(): ScheduledEvent[] | undefined {
    const now = this.clock.now();
    const transition = this.transitions[0];
    const idle = this.idleTimers[0];
    const transitionDue = transition !== undefined && (this.clock.instant || transition.at <= now);
    const idleDue = idle !== undefined && idle.at <= now;
    if (transitionDue && idleDue) return before(idle, transition) ? this.idleTimers : this.transitions;
    if (transitionDue) return this.transitions;
    if (idleDue) return this.idleTimers;
    return undefined;
  }

  /** Sets one real timer for the next event so transitions happen even when nobody polls. */
  private arm(): void {
    this.disarm();
    if (this.closed) return;
    const transition = this.transitions[0];
    const idle = this.idleTimers[0];
    const delay = Math.min(
      transition === undefined ? Infinity : this.clock.instant ? 0 : this.clock.realDelayUntil(transition.at),
      idle === undefined ? Infinity : this.clock.realDelayUntil(idle.at),
    );
    if (delay === Infinity) return;
    // Due now (instant mode, mostly): run right after the current I/O callbacks, in the same turn of
    // the event loop. A 0 ms timer would put the process to sleep and wake it again for the next
    // turn, which costs more CPU than the transitions themselves when requests come one at a time.
    if (delay <= 0) {
      this.immediate = setImmediate(() => this.runDue());
      this.immediate.unref();
      return;
    }
    this.timer = setTimeout(() => this.runDue(), Math.min(Math.ceil(delay), 2_147_483_000));
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  /** Re-arms after the clock's speed changed or time was advanced. */
  rearm(): void {
    this.arm();
  }

  /** Due time of the earliest pending event, if any. */
  nextAt(): number | undefined {
    const at = Math.min(this.transitions[0]?.at ?? Infinity, this.idleTimers[0]?.at ?? Infinity);
    return at === Infinity ? undefined : at;
  }

  /** Every pending event in firing order. */
  pending(): readonly ScheduledEvent[] {
    return [...this.transitions, ...this.idleTimers].sort(firingOrder);
  }

  clear(): void {
    this.transitions = [];
    this.idleTimers = [];
    this.arm();
  }

  snapshot(): { seq: number; queue: ScheduledEvent[] } {
    return { seq: this.seq, queue: this.pending().map((e) => ({ ...e })) };
  }

  restore(s: { seq: number; queue: ScheduledEvent[] }): void {
    this.seq = s.seq;
    const sorted = [...s.queue].sort(firingOrder);
    this.transitions = sorted.filter((e) => !e.idle);
    this.idleTimers = sorted.filter((e) => e.idle);
    this.arm();
  }

  close(): void {
    this.closed = true;
    this.disarm();
  }
}
