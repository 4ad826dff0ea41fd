import { CancellationScope } from '@temporalio/workflow';

/**
 * A cancellation scope whose `run` adds no promises of its own. The SDK runs `fn` through an async
 * `runInContext` (two promises per call, and the SDK records a stack trace for every promise workflow
 * code creates) whose only extra work is the timer of a scope with a timeout; these scopes take none.
 * `run` still makes this scope current while `fn` schedules its activities, which is what links
 * their cancellation to it. Written against @temporalio/workflow 1.24.0 (pinned in package.json):
 * check `runInContext` in its cancellation-scope.ts again before upgrading.
 */
export class LeanScope extends CancellationScope {
  constructor(options: { cancellable: boolean }) {
    super(options);
  }

  protected override runInContext<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return fn();
    } catch (err) {
      // As the SDK's async version does: a synchronous throw in `fn` becomes a rejection.
      return Promise.reject(err);
    }
  }
}
