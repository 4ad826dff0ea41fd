import { describe, expect, it } from 'vitest';
import { busyPercent, parseCpuLine } from '../../../bench/lib/machine.js';

const stat = (user: number, idle: number, iowait = 0) => `cpu  ${user} 0 0 ${idle} ${iowait} 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1 2\n`;

describe('busy share of the cores before a benchmark', () => {
  it('reads the aggregate cpu line, counting iowait as idle', () => {
    expect(parseCpuLine(stat(100, 300, 50))).toEqual({ total: 450, idle: 350 });
    expect(parseCpuLine('intr 1 2\n')).toBeUndefined();
  });

  it('is the busy share of the jiffies between two samples', async () => {
    const samples = [stat(1000, 5000), stat(1150, 5050)];
    expect(await busyPercent(1, () => samples.shift()!)).toBe(75);
  });

  it('is unknown where /proc/stat cannot be read', async () => {
    expect(
      await busyPercent(1, () => {
        throw new Error('ENOENT');
      }),
    ).toBeUndefined();
  });
});
