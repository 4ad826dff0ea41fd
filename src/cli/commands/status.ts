import type { Command } from 'commander';
import { notBuiltYet } from '../errors.js';

export function registerStatus(program: Command): void {
  program
    .command('status <workflowId>')
    .description('Show the progress of a pipeline workflow')
    .action(() => notBuiltYet('status', 'issue #8 (workflows, client and CLI)'));
}
