/**
 * Timed waits that never outlive what they wait for. Their timers are unref'd: a pending wait never
 * keeps the process alive on its own.
 */

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

/**
 * Resolves when `p` does (true) or after `ms` (false), whichever is first; rejects if `p` rejects
 * first. The timer is cleared either way: left pending it would fire once more for nothing (and a
 * ref'd one would hold the process open until then).
 */
export function settledOrAfter(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), ms).unref();
  });
  return Promise.race([p.then(() => true as const), elapsed]).finally(() => clearTimeout(timer));
}
