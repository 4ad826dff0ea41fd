import type { FollowOptions } from '../client/follow.js';
import { onShutdownSignal } from './shutdown-signals.js';

/**
 * Shared by `run` and `provision`: print progress lines while following, then the result lines, or
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
