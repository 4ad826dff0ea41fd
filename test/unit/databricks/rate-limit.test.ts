import { describe, expect, it } from 'vitest';
import { TokenBucket, sharedBucket } from '../../../src/databricks/rate-limit.js';
import { FakeClock, harness } from './helpers.js';

describe('TokenBucket', () => {
  it('allows a burst of one second, then spaces requests at the rate', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket(10, clock);
    const start = clock.now();
    for (let i = 0; i < 10; i++) await b.acquire();
    expect(clock.now()).toBe(start);
    for (let i = 0; i < 5; i++) await b.acquire();
    // 5 more tokens at 10/s need 500 ms of virtual time.
    expect(clock.now() - start).toBe(500);
  });

  it('serves concurrent waiters in order', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket(1, clock);
    await b.acquire();
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((i) => b.acquire().then(() => order.push(i))));
    expect(order).toEqual([1, 2, 3]);
  });

  it('is shared per host+principal', () => {
    const clock = new FakeClock();
    expect(sharedBucket('h|p', 30, clock)).toBe(sharedBucket('h|p', 30, clock));
    expect(sharedBucket('h|p', 30, clock)).not.toBe(sharedBucket('h|q', 30, clock));
  });

  it('two clients with the same host and token share the limit', async () => {
    const a = harness({ rateLimitPerSecond: 2 });
    const clock = a.clock;
    const b = harness({ host: a.client.host, rateLimitPerSecond: 2, clock, dispatcher: a.agent });
    a.pool.intercept({ path: '/api/2.0/token/list', method: 'GET' }).reply(200, {}).times(4);
    const t0 = clock.now();
    await Promise.all([a.client.tokens.listPage(), b.client.tokens.listPage(), a.client.tokens.listPage(), b.client.tokens.listPage()]);
    // 2 from the burst, 2 more at 2/s.
    expect(clock.now() - t0).toBe(1000);
    await a.agent.close();
    await b.agent.close();
  });
});
