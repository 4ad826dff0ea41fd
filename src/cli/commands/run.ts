import type { Command } from 'commander';
import { notBuiltYet } from '../errors.js';

export function registerRun(program: Command): void {
  program
    .command('run <spec>')
    .description('Start an ETL pipeline from a spec file and follow its progress')
    .action(() => notBuiltYet('run', 'issue #8 (workflows, client and CLI)'));
}
