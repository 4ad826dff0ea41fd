import type { Command } from 'commander';
import { notBuiltYet } from '../errors.js';

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('Start the embedded stack: Temporal dev server, emulator and worker')
    .action(() => notBuiltYet('dev', 'issue #3'));
}
