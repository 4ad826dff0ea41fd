import type { Command } from 'commander';
import { notBuiltYet } from '../errors.js';

export function registerCancel(program: Command): void {
  program
    .command('cancel <workflowId>')
    .description('Cancel a pipeline workflow (cleanup still runs)')
    .action(() => notBuiltYet('cancel', 'issue #8 (workflows, client and CLI)'));
}
