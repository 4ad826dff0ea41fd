import { CleanupStack } from '../../../src/dev/cleanup-stack.js';

/**
 * The cleanup stacks of environments that are up, so a signal handler can close them all. A stack
 * closed while its environment was still starting is remembered: whatever starts after that is
 * stopped at once instead of outliving the run.
 */
export class StackRegistry {
  private readonly live = new Set<CleanupStack>();
  private readonly stopped = new WeakSet<CleanupStack>();

  open(): CleanupStack {
    const cleanup = new CleanupStack();
    this.live.add(cleanup);
    return cleanup;
  }

  forget(cleanup: CleanupStack): void {
    this.live.delete(cleanup);
  }

  isStopped(cleanup: CleanupStack): boolean {
    return this.stopped.has(cleanup);
  }

  async closeAll(): Promise<string[]> {
    const errors: string[] = [];
    for (const c of [...this.live]) {
      this.stopped.add(c);
      errors.push(...(await c.runAll()));
    }
    this.live.clear();
    return errors;
  }

  /** Registers a teardown; if the stack was already closed by a signal, stops the thing at once. */
  own(cleanup: CleanupStack, name: string, stop: () => Promise<unknown> | unknown): void {
    if (this.stopped.has(cleanup)) {
      void Promise.resolve()
        .then(stop)
        .catch(() => {});
      throw new Error(`stopping: ${name} started after the stop signal and was stopped again`);
    }
    cleanup.push(name, async () => {
      await stop();
    });
  }
}
