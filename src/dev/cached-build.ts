import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether `target` holds a completed build stamped `stamp` (see buildOnce). */
export function isBuilt(target: string, stamp: string): boolean {
  const marker = join(target, '.built');
  return existsSync(marker) && readFileSync(marker, 'utf8').trim() === stamp;
}

/**
 * Builds `target` once per `stamp`: `build` fills a staging folder that is stamped and renamed over
 * `target` only when it succeeded, so an interrupted build is redone, never half-used. `build` may
 * take what it can reuse from the previous `target` (it is replaced afterwards).
 */
export function buildOnce(target: string, stamp: string, build: (staging: string) => void): void {
  if (isBuilt(target, stamp)) return;
  const staging = `${target}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    build(staging);
    writeFileSync(join(staging, '.built'), `${stamp}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}
