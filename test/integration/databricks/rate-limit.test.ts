import { describe, expect, it } from 'vitest';
import type { ResponseEvent } from '../../../src/databricks/index.js';
import { useEmulator } from './emulator.js';

// The emulator throttles each token at 5 req/s (429 + Retry-After, like the real service).
const ctx = useEmulator({ rateLimitPerSecond: 5 });

describe('rate limits against the emulator', () => {
  it('without a client-side limit, a burst is throttled and the client waits Retry-After until every call succeeds', async () => {
    const events: ResponseEvent[] = [];
    const client = ctx.makeClient({ rateLimitPerSecond: 0, hooks: { onResponse: (e) => events.push(e) } });
    const results = await Promise.all(Array.from({ length: 10 }, () => client.clusters.sparkVersions()));
    expect(results.every((r) => (r.versions?.length ?? 0) > 0)).toBe(true);
    const throttled = events.filter((e) => e.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((e) => e.willRetry && e.error?.retryAfterMs !== undefined && e.error.retryAfterMs >= 1000)).toBe(true);
  });

  it('with the client token bucket under the server limit, no request is throttled', async () => {
    const events: ResponseEvent[] = [];
    // A second token has its own server-side bucket.
    const client = ctx.makeClient({ token: 'dapi-integration-user-2', rateLimitPerSecond: 4, hooks: { onResponse: (e) => events.push(e) } });
    await Promise.all(Array.from({ length: 10 }, () => client.clusters.sparkVersions()));
    expect(events).toHaveLength(10);
    expect(events.every((e) => e.status === 200)).toBe(true);
  });
});
