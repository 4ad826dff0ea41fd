import { InvalidArgumentError, type Command } from 'commander';
import { parseNonNegativeInt, parsePort, parsePositiveNumber } from '../errors.js';

interface EmulatorCliOptions {
  port: number;
  host: string;
  token?: string[];
  speed: number;
  seed?: number;
  dataDir?: string;
  rateLimit: number;
}

/** `--speed`: a positive number of virtual seconds per real second, or `instant` (Infinity). */
export function parseSpeed(value: string): number {
  if (/^(instant|infinity)$/i.test(value.trim())) return Infinity;
  try {
    return parsePositiveNumber(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a speed: a positive number of virtual seconds per real second (1, 60, 0.5) or "instant".`);
  }
}

function collectToken(value: string, previous: string[] | undefined): string[] {
  if (value.trim() === '') throw new InvalidArgumentError('a token must not be empty.');
  return [...(previous ?? []), value];
}

export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description('Run the local Databricks workspace emulator (prints its URL when ready; SIGTERM stops it)')
    .option('--port <port>', 'TCP port (0 picks a free one)', parsePort, 0)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--token <token>', 'accepted personal access token; repeat for more (the first is the workspace admin)', collectToken)
    .option('--speed <x>', 'virtual seconds per real second (1 = realistic, 60 = demo, "instant")', parseSpeed, 1)
    .option('--seed <n>', 'seed for deterministic ids', parseNonNegativeInt)
    .option('--data-dir <dir>', 'directory for DBFS files and persisted state (state survives a restart)')
    .option('--rate-limit <n>', 'requests per second per token (0 disables)', parseNonNegativeInt, 30)
    .action(async (opts: EmulatorCliOptions) => {
      const { startEmulator } = await import('../../emulator/index.js');
      const emulator = await startEmulator({
        port: opts.port,
        host: opts.host,
        ...(opts.token ? { tokens: opts.token } : {}),
        speed: opts.speed,
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
        rateLimitPerSecond: opts.rateLimit,
      });
      process.stdout.write(`Databricks emulator listening on ${emulator.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          emulator.close().then(resolve, resolve);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
    });
}
