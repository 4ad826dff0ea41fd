import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the nearest folder above this file that holds package.json. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/**
 * The ignored per-project folder for downloaded binaries, dev-server databases and emulator data
 * (`.durabricks/`, listed in .gitignore). DURABRICKS_HOME moves it.
 */
export function stateDir(): string {
  return process.env.DURABRICKS_HOME ? resolve(process.env.DURABRICKS_HOME) : join(projectRoot(), '.durabricks');
}

export function binDir(): string {
  return join(stateDir(), 'bin');
}
