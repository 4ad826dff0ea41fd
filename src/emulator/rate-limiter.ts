import { ApiError } from './http/errors.js';

/**
 * Per-token token bucket on the real clock (throttling protects real resources, so virtual time
 * does not apply). Capacity = one second's worth, so short bursts pass like on the real service.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(private perSecond: number) {}

  setLimit(perSecond: number): void {
    this.perSecond = perSecond;
    this.buckets.clear();
  }

  get limit(): number {
    return this.perSecond;
  }

  /** Throws 429 REQUEST_LIMIT_EXCEEDED with an integer Retry-After when the key is over its rate. */
  take(key: string, now = Date.now()): void {
    if (this.perSecond <= 0) return;
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: this.perSecond, updatedAt: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.perSecond, b.tokens + ((now - b.updatedAt) / 1000) * this.perSecond);
    b.updatedAt = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return;
    }
    const retryAfter = Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond));
    throw new ApiError(429, 'REQUEST_LIMIT_EXCEEDED', `Too many requests. Please wait a moment and try again. (limit: ${this.perSecond} requests per second)`, {
      'Retry-After': String(retryAfter),
    });
  }

  reset(): void {
    this.buckets.clear();
  }
}
