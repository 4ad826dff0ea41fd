/**
 * Client-side token bucket. Databricks limits per workspace and principal, so every client in this
 * process that talks to the same host as the same principal shares one bucket (a worker with many
 * activities then stays under the limit as a whole instead of each activity on its own).
 */
import type { Clock } from './config.js';

export class TokenBucket {
  private tokens: number;
  private last: number;
  /** Waiters are served in order so a burst cannot starve an early caller. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    private readonly clock: Clock,
    /** Burst size: one second's worth by default. */
    readonly capacity = Math.max(1, ratePerSecond),
  ) {
    this.tokens = this.capacity;
    this.last = clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }

  /** Resolves when a token is available; rejects if the signal aborts while waiting. */
  acquire(signal?: AbortSignal): Promise<void> {
    // Fast path keeps the common un-throttled case free of promise chaining.
    this.refill();
    if (this.tokens >= 1 && this.idle) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    this.pending++;
    const turn = this.queue.then(() => this.take(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private pending = 0;
  private get idle(): boolean {
    return this.pending === 0;
  }

  private async take(signal?: AbortSignal): Promise<void> {
    try {
      for (;;) {
        signal?.throwIfAborted();
        this.refill();
        if (this.tokens >= 1) {
          this.tokens -= 1;
          return;
        }
        await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000), signal);
      }
    } finally {
      this.pending--;
    }
  }
}

// Keyed by clock too, so a test with a fake clock never shares a bucket with real time.
const buckets = new WeakMap<Clock, Map<string, TokenBucket>>();

/** The process-wide bucket for `key` (host + principal id, never a secret in clear). */
export function sharedBucket(key: string, ratePerSecond: number, clock: Clock): TokenBucket {
  let byKey = buckets.get(clock);
  if (!byKey) buckets.set(clock, (byKey = new Map()));
  const k = `${key}@${ratePerSecond}`;
  let b = byKey.get(k);
  if (!b) byKey.set(k, (b = new TokenBucket(ratePerSecond, clock)));
  return b;
}
