/**
 * LIFO cleanup. Every live Cleanup is also run on SIGINT/SIGTERM (newest first), so no server or
 * worker outlives the benchmark even when it is interrupted.
 */
const live: Cleanup[] = [];
let signalled = false;

function onSignal(signal: NodeJS.Signals): void {
  if (signalled) return;
  signalled = true;
  process.stderr.write(`\n${signal}: stopping servers and workers…\n`);
  void (async () => {
    for (const c of [...live].reverse()) await c.run();
    process.exit(130);
  })();
}

export class Cleanup {
  private readonly steps: { name: string; fn: () => Promise<unknown> }[] = [];

  constructor() {
    if (live.length === 0) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    live.push(this);
  }

  push(name: string, fn: () => Promise<unknown>): void {
    this.steps.push({ name, fn });
  }

  async run(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.fn();
      } catch (err) {
        process.stderr.write(`cleanup of ${step.name} failed: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
    const i = live.indexOf(this);
    if (i >= 0) live.splice(i, 1);
    if (live.length === 0) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

/** Runs `body` with a fresh Cleanup that always runs afterwards. */
export async function withCleanup<T>(body: (cleanup: Cleanup) => Promise<T>): Promise<T> {
  const cleanup = new Cleanup();
  try {
    return await body(cleanup);
  } finally {
    await cleanup.run();
  }
}
