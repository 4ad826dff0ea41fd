import { afterEach, describe, expect, it, vi } from 'vitest';
import { settledOrAfter, sleep } from '../../../src/common/waits.js';

describe('waits', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('settledOrAfter resolves with the promise and leaves no timer behind', async () => {
    vi.useFakeTimers();
    let settle!: () => void;
    const done = new Promise<void>((r) => (settle = r));
    const waited = settledOrAfter(done, 25);
    expect(vi.getTimerCount()).toBe(1);
    settle();
    expect(await waited).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('settledOrAfter resolves after the time when the promise is still pending', async () => {
    vi.useFakeTimers();
    let resolved = false;
    const waited = settledOrAfter(new Promise(() => {}), 25).then((settled) => ((resolved = true), settled));
    await vi.advanceTimersByTimeAsync(24);
    expect(resolved).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await waited).toBe(false);
    expect(resolved).toBe(true);
  });

  it('settledOrAfter rejects when the promise rejects first, and clears its timer', async () => {
    vi.useFakeTimers();
    await expect(settledOrAfter(Promise.reject(new Error('boom')), 25)).rejects.toThrow('boom');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sleep waits the given time', async () => {
    vi.useFakeTimers();
    let woke = false;
    const slept = sleep(10).then(() => (woke = true));
    await vi.advanceTimersByTimeAsync(9);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await slept;
    expect(woke).toBe(true);
  });
});
