/**
 * Timers for the emulator's waits. All are unref'd: a pending wait never keeps the process alive.
 */

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

/**
 * Resolves when `p` does or after `ms`, whichever is first. The timer is cleared either way: left
 * pending it would wake the process once more, for nothing, after nearly every request that waits.
 */
export function settledOrAfter(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((r) => {
    timer = setTimeout(r, ms).unref();
  });
  return Promise.race([p.then(() => undefined), elapsed]).finally(() => clearTimeout(timer));
}
