import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where a binary came from; printed so a user always knows which server they run. */
export type BinarySource = 'env' | 'path' | 'cache' | 'pip' | 'go' | 'sdk-download';

export interface ResolvedBinary {
  /** Absolute path, or undefined when the SDK will download the server itself. */
  path?: string;
  source: BinarySource;
  detail: string;
}

/** One way of finding or obtaining a binary. `undefined` = not available this way (with a reason recorded). */
export interface Strategy {
  source: BinarySource;
  describe: string;
  attempt(log: (line: string) => void): Promise<ResolvedBinary | undefined>;
}

export class BinaryNotFoundError extends Error {
  override name = 'BinaryNotFoundError';
  constructor(
    readonly binary: string,
    readonly attempts: { describe: string; outcome: string }[],
    fix: string,
  ) {
    super(
      `Could not find or obtain the ${binary} binary. Tried:\n` +
        attempts.map((a, i) => `  ${i + 1}. ${a.describe}: ${a.outcome}`).join('\n') +
        `\n${fix}`,
    );
  }
}

/** Thrown by a strategy to say why it could not provide the binary; the resolver moves on. */
export class StrategyUnavailable extends Error {}

/** Tries each strategy in order and returns the first binary found; one clear error if none works. */
export async function resolveBinary(
  binary: string,
  strategies: Strategy[],
  fix: string,
  log: (line: string) => void = () => {},
): Promise<ResolvedBinary> {
  const attempts: { describe: string; outcome: string }[] = [];
  for (const strategy of strategies) {
    try {
      const found = await strategy.attempt(log);
      if (found) {
        log(`using ${binary} from ${found.source}: ${found.detail}`);
        return found;
      }
      attempts.push({ describe: strategy.describe, outcome: 'not found' });
    } catch (err) {
      attempts.push({ describe: strategy.describe, outcome: err instanceof Error ? err.message : String(err) });
    }
  }
  throw new BinaryNotFoundError(binary, attempts, fix);
}

export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Sidecar file recording the hash of a binary when we installed it, to detect a corrupt cache. */
export function checksumPath(binaryPath: string): string {
  return `${binaryPath}.sha256`;
}

/** True when the cached binary still has the hash recorded at install time. */
export async function matchesRecordedChecksum(binaryPath: string): Promise<boolean> {
  const sidecar = checksumPath(binaryPath);
  if (!existsSync(sidecar)) return false;
  return readFileSync(sidecar, 'utf8').trim() === (await sha256File(binaryPath));
}

/** Runs a short command and returns its stdout, or throws with its stderr; never hangs past the timeout. */
export function runQuick(cmd: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): string {
  const res = spawnSync(cmd, args, { encoding: 'utf8', timeout: options.timeoutMs ?? 20_000, env: options.env ?? process.env, cwd: options.cwd });
  if (res.error) throw new StrategyUnavailable(`${cmd} could not run (${(res.error as NodeJS.ErrnoException).code ?? res.error.message})`);
  if (res.status !== 0) {
    const tail = (res.stderr || res.stdout || '').trim().split('\n').slice(-2).join(' ').slice(0, 300);
    throw new StrategyUnavailable(`${cmd} ${args[0] ?? ''} exited with ${res.status ?? res.signal}${tail ? `: ${tail}` : ''}`);
  }
  return res.stdout;
}
