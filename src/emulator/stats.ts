/** Calls per `METHOD path` since the last reset; benchmarks read API call counts from it. */
export class CallStats {
  private counts = new Map<string, number>();
  private totalCalls = 0;

  record(method: string, path: string): void {
    const key = `${method} ${path}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.totalCalls++;
  }

  reset(): void {
    this.counts = new Map();
    this.totalCalls = 0;
  }

  snapshot(): { total: number; calls: Record<string, number> } {
    const calls: Record<string, number> = {};
    for (const [k, v] of [...this.counts.entries()].sort((a, b) => a[0].localeCompare(b[0]))) calls[k] = v;
    return { total: this.totalCalls, calls };
  }
}
