import { type CancellationScope, isCancellation, log } from '@temporalio/workflow';
import { LeanScope } from './lean-scope.js';

/** One undo step; `run` must be safe to repeat (activities behind it are idempotent). */
export interface Compensation {
  description: string;
  run(): Promise<string | void>;
}

export interface CompensationOutcome {
  description: string;
  ok: boolean;
  /** What was done ("terminated cluster 0101-…") or why it failed. */
  detail: string;
}

/**
 * A LIFO stack of undo steps. `unwind()` runs them newest first inside a non-cancellable scope, so a
 * cancellation of the workflow cannot interrupt cleanup; one failing step does not stop the others.
 */
export class CompensationStack {
  private readonly stack: Compensation[] = [];

  /**
   * @param shield the non-cancellable scope cleanup runs in, shared with `shielded` and with stacks
   * split off by `takeAll`: one scope serves every shielded call (each new scope costs the SDK
   * several tracked promises, and `run` may be called on a scope any number of times).
   */
  constructor(private readonly shield: CancellationScope = new LeanScope({ cancellable: false })) {}

  /**
   * Runs `fn` where a cancellation of the workflow cannot interrupt it: a create whose undo will be
   * pushed here always finishes, so its id is known and can be cleaned up.
   */
  shielded<T>(fn: () => Promise<T>): Promise<T> {
    return this.shield.run(fn);
  }

  push(description: string, run: () => Promise<string | void>): Compensation {
    const step = { description, run };
    this.stack.push(step);
    return step;
  }

  /** Drops a step that is no longer needed (e.g. "cancel the run" once the run has finished). */
  discard(step: Compensation): void {
    const i = this.stack.lastIndexOf(step);
    if (i >= 0) this.stack.splice(i, 1);
  }

  /** Moves every step to a new stack (to unwind part of the work while new steps keep arriving here). */
  takeAll(): CompensationStack {
    const taken = new CompensationStack(this.shield);
    taken.stack.push(...this.stack.splice(0));
    return taken;
  }

  get size(): number {
    return this.stack.length;
  }

  unwind(): Promise<CompensationOutcome[]> {
    return this.shield.run(async () => {
      const outcomes: CompensationOutcome[] = [];
      while (this.stack.length > 0) {
        const step = this.stack.pop()!;
        try {
          const detail = await step.run();
          outcomes.push({ description: step.description, ok: true, detail: detail || step.description });
        } catch (err) {
          const message = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
          if (!isCancellation(err)) log.warn('compensation failed', { step: step.description, error: message });
          outcomes.push({ description: step.description, ok: false, detail: message });
        }
      }
      return outcomes;
    });
  }
}
