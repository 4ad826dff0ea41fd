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

export class Scheduler {
  private queue: ScheduledEvent[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly clock: VirtualClock,
    private readonly dispatch: EventDispatcher,
    private readonly onError: (err: unknown, event: ScheduledEvent) => void,
  ) {}

  schedule(service: string, kind: string, at: number, data: Record<string, unknown> = {}, idle = false): void {
    const event: ScheduledEvent = { seq: ++this.seq, at, service, kind, data, ...(idle ? { idle } : {}) };
    // Binary insertion keeps (at, seq) order; queues stay small enough that this beats a heap in practice.
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.queue[mid] as ScheduledEvent;
      if (m.at < at || (m.at === at && m.seq < event.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, event);
    this.arm();
  }

  /** Drops pending events matching the predicate (e.g. a deleted resource's timers). */
  cancel(predicate: (e: ScheduledEvent) => boolean): void {
    this.queue = this.queue.filter((e) => !predicate(e));
  }

  /** Fires every due event in order; called before each request and by the wake-up timer. */
  runDue(): void {
    let fired = 0;
    while (this.queue.length > 0 && fired < MAX_EVENTS_PER_RUN) {
      const next = this.nextDue();
      if (next < 0) break;
      const [event] = this.queue.splice(next, 1) as [ScheduledEvent];
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

  /** Index of the next event to fire now, or -1. */
  private nextDue(): number {
    const now = this.clock.now();
    for (let i = 0; i < this.queue.length; i++) {
      const e = this.queue[i] as ScheduledEvent;
      if (e.at <= now) return i;
      if (this.clock.instant && !e.idle) return i;
      // Sorted by time: later idle events cannot be due either; later non-idle ones can in instant mode.
      if (!this.clock.instant) return -1;
    }
    return -1;
  }

  /** Sets one real timer for the next event so transitions happen even when nobody polls. */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.queue.length === 0) return;
    let delay = Infinity;
    for (const e of this.queue) {
      const d = this.clock.instant && !e.idle ? 0 : this.clock.realDelayUntil(e.at);
      if (d < delay) delay = d;
      if (!this.clock.instant) break;
    }
    if (delay === Infinity) return;
    this.timer = setTimeout(() => this.runDue(), Math.min(Math.ceil(delay), 2_147_483_000));
    this.timer.unref();
  }

  /** Re-arms after the clock's speed changed or time was advanced. */
  rearm(): void {
    this.arm();
  }

  /** Due time of the earliest pending event, if any. */
  nextAt(): number | undefined {
    return this.queue[0]?.at;
  }

  pending(): readonly ScheduledEvent[] {
    return this.queue;
  }

  clear(): void {
    this.queue = [];
    this.arm();
  }

  snapshot(): { seq: number; queue: ScheduledEvent[] } {
    return { seq: this.seq, queue: this.queue.map((e) => ({ ...e })) };
  }

  restore(s: { seq: number; queue: ScheduledEvent[] }): void {
    this.seq = s.seq;
    this.queue = [...s.queue].sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.arm();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
