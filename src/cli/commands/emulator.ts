import type { Command } from 'commander';
import { notBuiltYet } from '../errors.js';

export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description('Run the local Databricks workspace emulator')
    .action(() => notBuiltYet('emulator', 'issue #4 (emulator part 1)'));
}
