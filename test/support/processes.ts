import { execFileSync } from 'node:child_process';
import { isPortFree } from '../../src/dev/ports.js';

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Direct children of a process (Linux `ps`), to check that nothing outlives its parent. */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

/** Polls until `predicate` holds or the deadline passes; returns its last value. */
export async function eventually(predicate: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function portIsReleased(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return isPortFree(Number(port), host);
}
