import type { Command } from 'commander';
import { notBuiltYet } from '../errors.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Run a durabricks worker against a Temporal cluster and a Databricks workspace')
    .action(() => notBuiltYet('worker', 'issue #3'));
}
