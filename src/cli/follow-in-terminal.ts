import type { DurabricksClient } from '../client/connect.js';
import type { FollowOptions } from '../client/follow.js';
import { temporalUiUrl } from '../client/ui-url.js';
import { onShutdownSignal } from './shutdown-signals.js';

/**
 * Shared by `run`, `provision` and `deprovision`: says what was started (or attached to) and where to
 * watch it, then follows it unless `detach`.
 */
export async function announceAndFollow<R>(
  conn: Pick<DurabricksClient, 'address' | 'namespace'>,
  started: { started: boolean; workflowId: string },
  what: string,
  detach: boolean | undefined,
  follow: Parameters<typeof followInTerminal<R>>[0],
): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`${started.started ? 'started' : 'already running, following'} ${what} as workflow ${started.workflowId}`);
  const ui = temporalUiUrl(conn.address, conn.namespace, started.workflowId);
  if (ui) say(`Temporal UI: ${ui}`);
  if (detach) {
    say(`follow with: durabricks status ${started.workflowId}`);
    return;
  }
  await followInTerminal(follow);
}

/**
 * Print progress lines while following, then the result lines, or
 * the failure lines on stderr (exit code 1). Ctrl-C stops following, not the workflow (exit 130).
 */
export async function followInTerminal<R>(options: {
  follow: (opts: FollowOptions) => Promise<R>;
  formatResult: (result: R) => string[];
  formatFailure: (err: unknown) => string[];
  /** Printed when the user stops following, e.g. how to cancel the workflow. */
  stoppedNote: string;
}): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const stop = new AbortController();
  const signals = onShutdownSignal(async () => stop.abort(new Error('stopped following')));
  try {
    const result = await options.follow({ onLines: (lines) => lines.forEach((l) => say(l)), signal: stop.signal });
    say('');
    options.formatResult(result).forEach((l) => say(l));
  } catch (err) {
    if (stop.signal.aborted) {
      say(options.stoppedNote);
      process.exitCode = 130;
      return;
    }
    say('');
    options.formatFailure(err).forEach((l) => process.stderr.write(`${l}\n`));
    process.exitCode = 1;
  } finally {
    signals.dispose();
  }
}
