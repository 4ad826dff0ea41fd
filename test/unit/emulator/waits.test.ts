import { afterEach, describe, expect, it, vi } from 'vitest';
import { settledOrAfter, sleep } from '../../../src/emulator/waits.js';

describe('emulator waits', () => {
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
    await waited;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('settledOrAfter resolves after the time when the promise is still pending', async () => {
    vi.useFakeTimers();
    let resolved = false;
    const waited = settledOrAfter(new Promise(() => {}), 25).then(() => (resolved = true));
    await vi.advanceTimersByTimeAsync(24);
    expect(resolved).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waited;
    expect(resolved).toBe(true);
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
