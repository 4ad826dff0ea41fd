import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { CliUsageError, EXIT_USAGE, reportFatal } from './errors.js';

/** Builds the `durabricks` command tree; exported so tests can drive it without spawning a process. */
export function buildProgram(): Command {
  const program = new Command()
    .name('durabricks')
    .description('Durable Databricks automation on Temporal')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCommands(program);
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError(`(run "durabricks ${cmd.name()} --help" for usage)`);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are "errors" to commander but successes to the user.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return EXIT_USAGE;
    }
    if (err instanceof CliUsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      return EXIT_USAGE;
    }
    return reportFatal(err);
  }
}

const isEntryPoint = process.argv[1] !== undefined && /(?:cli[\\/]main\.ts|bin[\\/]durabricks(?:\.js)?)$/.test(process.argv[1]);
if (isEntryPoint) {
  // `durabricks status | head`: a reader that stops reading is no failure (Node has no SIGPIPE death).
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.exitCode = reportFatal(err);
    },
  );
}
