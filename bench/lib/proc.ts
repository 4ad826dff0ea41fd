/** Per-process figures from /proc (Linux): RSS and CPU seconds of one pid, children excluded. */
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface ProcSample {
  rssBytes: number;
  peakRssBytes: number;
  cpuSeconds: number;
}

export function procSample(pid: number): ProcSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" of the command name; utime and stime are the 14th and 15th fields overall.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM'), cpuSeconds: ticks / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}

/** CPU seconds used by a set of processes between two points: call the returned function to read. */
export function cpuMeter(pids: Record<string, number | undefined>): () => Record<string, number> {
  const start = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pid === undefined ? 0 : (procSample(pid)?.cpuSeconds ?? 0)]));
  return () => Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pid === undefined ? 0 : Math.max(0, (procSample(pid)?.cpuSeconds ?? 0) - (start[k] ?? 0))]));
}
