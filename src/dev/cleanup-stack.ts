/**
 * Things to undo, undone in reverse order exactly once, even if some of them fail: the embedded
 * stack registers each process or server it starts here so that no exit path leaks one.
 */
export class CleanupStack {
  private readonly steps: { name: string; run: () => Promise<void> | void }[] = [];
  private running: Promise<string[]> | undefined;

  push(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  /** Runs every step (last in, first out); resolves with the errors of steps that failed. */
  runAll(): Promise<string[]> {
    this.running ??= (async () => {
      const errors: string[] = [];
      while (this.steps.length > 0) {
        const step = this.steps.pop()!;
        try {
          await step.run();
        } catch (err) {
          errors.push(`${step.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      return errors;
    })();
    return this.running;
  }
}
