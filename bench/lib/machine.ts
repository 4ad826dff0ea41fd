import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface Machine {
  cores: number;
  cpuModel: string;
  node: string;
  memoryGiB: number;
  platform: string;
  /** 1-minute load average when the benchmark started: other work on a shared machine skews every figure. */
  loadAverage: number;
  /**
   * Percent of all cores busy in the second before the benchmark started (Linux /proc/stat; absent
   * elsewhere and in older reports). Unlike the load average it does not count work that just ended,
   * such as a previous benchmark run.
   */
  busyAtStart?: number;
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
    ...(await busyPercent(1000).then((busy) => (busy !== undefined ? { busyAtStart: busy } : {}))),
  };
}

/** Busy share of all cores over `ms`, from the aggregate `cpu` line of /proc/stat (idle and iowait count as idle). */
export async function busyPercent(ms: number, read: () => string = () => readFileSync('/proc/stat', 'utf8')): Promise<number | undefined> {
  const sample = () => {
    try {
      return parseCpuLine(read());
    } catch {
      return undefined;
    }
  };
  const before = sample();
  if (!before) return undefined;
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = sample();
  if (!after) return undefined;
  const total = after.total - before.total;
  return total > 0 ? Math.round((1000 * (total - (after.idle - before.idle))) / total) / 10 : undefined;
}

/** Jiffies of the `cpu` line: user nice system idle iowait irq softirq steal (guest time is already in user). */
export function parseCpuLine(stat: string): { total: number; idle: number } | undefined {
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait };
}

export function machineLine(m: Machine): string {
  return `${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}, load ${m.loadAverage} at start${m.busyAtStart !== undefined ? `, ${m.busyAtStart} % busy in the second before` : ''}`;
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
