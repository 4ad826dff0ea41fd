import { InvalidArgumentError } from 'commander';

/** Exit code for bad usage: unknown flags, bad values (same convention as commander and most CLIs). */
export const EXIT_USAGE = 2;
/** Exit code for a command that exists in the help but is not implemented yet. */
export const EXIT_NOT_IMPLEMENTED = 3;

/** A user error found after parsing (e.g. a spec file that fails validation): printed without a stack. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** A failure whose message already says what is wrong and what to do; printed as one sentence. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}

export function reportFatal(err: unknown): number {
  if (err instanceof UserFacingError || err instanceof CliUsageError) {
    process.stderr.write(`error: ${err.message}\n`);
    return err instanceof CliUsageError ? EXIT_USAGE : 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`error: ${message}\n`);
  if (process.env.DURABRICKS_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return 1;
}

/** commander argument parsers that reject bad values with a precise message (exit code 2). */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a TCP port (an integer from 0 to 65535).`);
  }
  return n;
}

export function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`"${value}" is not a positive number.`);
  return n;
}

export function parseNonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`"${value}" is not a non-negative integer.`);
  return n;
}

export function notBuiltYet(command: string, issue: string): never {
  process.stderr.write(`durabricks ${command}: not built yet (tracked in ${issue}).\n`);
  process.exit(EXIT_NOT_IMPLEMENTED);
}
