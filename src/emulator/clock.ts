/**
 * Virtual time for every state machine. `speed` is virtual seconds per real second:
 * 1 = realistic (a cluster takes minutes), 60 = demos, 0 = paused (only `advance` moves time),
 * Infinity = instant (scheduled transitions fire as soon as anything looks, and the clock jumps
 * to their due time so timestamps and durations still look real).
 */
export class VirtualClock {
  private anchorReal: number;
  private anchorVirtual: number;
  private speedValue: number;

  constructor(speed = 1, startVirtualMs = Date.now(), private readonly realNow: () => number = Date.now) {
    if (!(speed >= 0)) throw new RangeError('speed must be >= 0 (Infinity = instant)');
    this.speedValue = speed;
    this.anchorReal = realNow();
    this.anchorVirtual = startVirtualMs;
  }

  /** Current virtual epoch ms (integer, monotonic). */
  now(): number {
    const elapsed = this.realNow() - this.anchorReal;
    // Instant mode keeps ordinary wall-clock pace between jumps, so "now" never stands still.
    const rate = this.speedValue === Infinity ? 1 : this.speedValue;
    return Math.floor(this.anchorVirtual + elapsed * rate);
  }

  get speed(): number {
    return this.speedValue;
  }

  get instant(): boolean {
    return this.speedValue === Infinity;
  }

  setSpeed(speed: number): void {
    if (!(speed >= 0)) throw new RangeError('speed must be >= 0 (Infinity = instant)');
    this.reanchor();
    this.speedValue = speed;
  }

  /** Moves virtual time forward by `ms` (never backwards). */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError('advance must be a finite number >= 0');
    this.reanchor();
    this.anchorVirtual += ms;
  }

  /** Moves virtual time forward to `t` if it is behind (used when an instant-mode event fires). */
  jumpTo(t: number): void {
    const now = this.now();
    if (t > now) this.advance(t - now);
  }

  /** Real ms until virtual time `t` at the current speed; Infinity when paused. */
  realDelayUntil(t: number): number {
    const remaining = t - this.now();
    if (remaining <= 0) return 0;
    if (this.speedValue === 0) return Infinity;
    const rate = this.speedValue === Infinity ? 1 : this.speedValue;
    return remaining / rate;
  }

  private reanchor(): void {
    this.anchorVirtual = this.now();
    this.anchorReal = this.realNow();
  }
}
