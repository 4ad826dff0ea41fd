/** Nearest-rank percentile of a list (0 for an empty list). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

export const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Maps real epoch ms to the emulator's virtual epoch ms (its clock is linear while the speed is fixed). */
export function realToVirtual(clock: { now(): number; speed: number }): (realMs: number) => number {
  const r0 = Date.now();
  const v0 = clock.now();
  const rate = Number.isFinite(clock.speed) ? clock.speed : 1;
  return (realMs) => v0 + (realMs - r0) * rate;
}

/** Runs `fn` over items with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/**
 * Rate of `a` ÷ rate of `b` (completed per second), from the unrounded rates, to 3 decimals: targets
 * such as ≥ 0.8 are judged on it, and a ratio of rates already rounded to 0.1/s, then to 2 decimals,
 * once turned 0.796 into a "met" 0.8.
 */
export function rateRatio(a: { completed: number; seconds: number }, b: { completed: number; seconds: number }): number {
  return round(ratePerSecond(a) / Math.max(1e-9, ratePerSecond(b)), 3);
}

/** Completed per second, unrounded (a zero-length phase counts as 1 ms). */
export function ratePerSecond(p: { completed: number; seconds: number }): number {
  return p.completed / Math.max(0.001, p.seconds);
}
