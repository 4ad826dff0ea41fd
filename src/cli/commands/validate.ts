import type { Command } from 'commander';
import { loadPipelineSpecFile, loadProvisionSpecFile, SpecFileError } from '../../client/spec-file.js';
import { CliUsageError } from '../errors.js';

/**
 * `durabricks validate <spec...>`: the checks `run` and `provision` make before they connect, for
 * every file given, without a Temporal server or a workspace (for a repository's CI). Exit 2 when any
 * file is invalid, after listing every problem of every file.
 */
export function registerValidate(program: Command): void {
  program
    .command('validate <specs...>')
    .description('Check pipeline specs (or provisioning specs with --provision) offline: every problem of every file, exit 2 if any is invalid')
    .option('--provision', 'the files are provisioning specs (durabricks provision), not pipeline specs')
    .action(async (files: string[], opts: { provision?: boolean }) => {
      const invalid: string[] = [];
      for (const file of files) {
        try {
          const spec = opts.provision ? await loadProvisionSpecFile(file) : await loadPipelineSpecFile(file);
          process.stdout.write(`ok ${file}: ${opts.provision ? 'provisioning' : 'pipeline'} spec ${spec.name}\n`);
        } catch (err) {
          if (!(err instanceof SpecFileError)) throw err;
          invalid.push(err.message);
        }
      }
      if (invalid.length > 0) throw new CliUsageError(`${invalid.join('\n')}\n${invalid.length} of ${files.length} spec file${files.length === 1 ? ' is' : 's are'} invalid`);
    });
}
