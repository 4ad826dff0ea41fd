import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runQuick } from './binary-resolver.js';
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
 * `pip install --target .durabricks/python/databricks-sdk-<version>` (with its dependencies) once;
 * later calls find the completed folder and install nothing. Installing into a staging folder that
 * is renamed at the end means an interrupted install is redone, never half-used. Fails with the
 * fix when python3 or pip is missing.
 */
export function ensurePythonSdk(log: (line: string) => void = () => {}): PythonSdk {
  let python: string;
  try {
    python = findPython();
  } catch {
    throw new Error('The Python SDK conformance test needs python3 (≥ 3.8) on PATH. Fix: install python3 and pip (e.g. apt-get install python3 python3-pip).');
  }
  const target = join(stateDir(), 'python', `databricks-sdk-${PYTHON_SDK_VERSION}`);
  const marker = join(target, '.installed');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === PYTHON_SDK_VERSION) return { python, path: target };

  try {
    runQuick(python, ['-m', 'pip', '--version']);
  } catch (err) {
    throw new Error(`${python} -m pip does not work (${(err as Error).message}). Fix: install pip for ${python} (e.g. apt-get install python3-pip).`);
  }
  const staging = `${target}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(target, '..'), { recursive: true });
  log(`installing databricks-sdk==${PYTHON_SDK_VERSION} from PyPI into ${target}`);
  try {
    runQuick(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '--target', staging, `databricks-sdk==${PYTHON_SDK_VERSION}`], { timeoutMs: 600_000 });
    writeFileSync(join(staging, '.installed'), `${PYTHON_SDK_VERSION}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Could not install databricks-sdk==${PYTHON_SDK_VERSION} with pip: ${(err as Error).message}`);
  }
  return { python, path: target };
}
