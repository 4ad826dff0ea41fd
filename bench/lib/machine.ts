import { cpus, totalmem } from 'node:os';

export interface Machine {
  cores: number;
  cpuModel: string;
  node: string;
  memoryGiB: number;
  platform: string;
  /** 1-minute load average when the benchmark started: other work on a shared machine skews every figure. */
  loadAverage: number;
}

export async function machine(): Promise<Machine> {
  const { loadavg } = await import('node:os');
  const list = cpus();
  return {
    cores: list.length,
    cpuModel: (list[0]?.model ?? 'unknown').trim(),
    node: process.version,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function machineLine(m: Machine): string {
  return `${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}, load ${m.loadAverage} at start`;
}

/** The commit measured, and whether src/ had uncommitted changes (the worker bundles the working tree). */
export async function revision(): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim() !== '';
    return `${head}${dirty ? ' + uncommitted changes in src/' : ''}`;
  } catch {
    return 'unknown';
  }
}
