import { join } from 'node:path';
import { runQuick } from './binary-resolver.js';
import { buildOnce } from './cached-build.js';
import { findPython } from './install-steps.js';
import { stateDir } from './paths.js';

/** The official Databricks Python SDK the emulator is tested against (test/integration/emulator/python-sdk). */
export const PYTHON_SDK_VERSION = '0.162.0';

export interface PythonSdk {
  /** The interpreter to run scripts with. */
  python: string;
  /** Put this on PYTHONPATH: databricks-sdk and its dependencies, installed with `pip install --target`. */
  path: string;
}

/**
 * `pip install --target .durabricks/python/databricks-sdk-<version>` (with its dependencies) once
 * (buildOnce: later calls install nothing, an interrupted install is redone). Fails with the fix
 * when python3 or pip is missing.
 */
export function ensurePythonSdk(log: (line: string) => void = () => {}): PythonSdk {
  let python: string;
  try {
    python = findPython();
  } catch {
    throw new Error('The Python SDK conformance test needs python3 (≥ 3.8) on PATH. Fix: install python3 and pip (e.g. apt-get install python3 python3-pip).');
  }
  const target = join(stateDir(), 'python', `databricks-sdk-${PYTHON_SDK_VERSION}`);
  buildOnce(target, PYTHON_SDK_VERSION, (staging) => {
    try {
      runQuick(python, ['-m', 'pip', '--version']);
    } catch (err) {
      throw new Error(`${python} -m pip does not work (${(err as Error).message}). Fix: install pip for ${python} (e.g. apt-get install python3-pip).`);
    }
    log(`installing databricks-sdk==${PYTHON_SDK_VERSION} from PyPI into ${target}`);
    try {
      runQuick(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '--target', staging, `databricks-sdk==${PYTHON_SDK_VERSION}`], { timeoutMs: 600_000 });
    } catch (err) {
      throw new Error(`Could not install databricks-sdk==${PYTHON_SDK_VERSION} with pip: ${(err as Error).message}`);
    }
  });
  return { python, path: target };
}
