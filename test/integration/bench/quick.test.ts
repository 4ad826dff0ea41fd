/**
 * Smoke run of `npm run bench -- --quick` logic: the reference pipeline (one per variant) and the
 * history section against a real dev server, emulators and a worker child. Asserts the report's
 * shape and that its counts are real (calls from the emulator's stats API, events from history);
 * never timings — benchmarks print figures, tests do not judge them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../bench/report/report.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runBench(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 110_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('npm run bench -- --quick (smoke)', () => {
  it('measures the reference pipeline and history with real counts', { timeout: 120_000 }, async () => {
    const json = join(dir, 'report.json');
    const { code, out } = await runBench(['--quick', '--only', 'pipelines,history', '--pipelines', '1', '--no-write', '--json', json]);
    expect(code, out.slice(-2000)).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;

    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.machine.node).toBe(process.version);
    const a = report.apiLatency!;
    expect(a.variants.map((v) => v.name)).toEqual(['durabricks + hints + webhook', 'durabricks', 'fixed 30 s poll', 'SDK backoff']);
    for (const v of a.variants) {
      expect(v.failed).toBe(0);
      // Counted by the emulator's stats API: a create, at least one poll of each wait, a submit, a delete, a statement.
      expect(v.callsPerPipeline).toBeGreaterThanOrEqual(6);
      expect(v.callsByEndpoint['POST /api/2.1/clusters/create']).toBe(1);
      expect(v.callsByEndpoint['GET /api/2.1/clusters/get']).toBeGreaterThanOrEqual(1);
      expect(v.callsByEndpoint['POST /api/2.0/sql/statements']).toBe(1);
      expect(v.latency.samples).toBe(2);
      expect(Number.isFinite(v.latency.p95)).toBe(true);
    }
    // The hinted variant's run end came by webhook: the receiver turned the notification into a signal.
    expect(a.webhook?.signalled).toBeGreaterThanOrEqual(1);
    expect(a.activitiesPerPipeline).toBeGreaterThanOrEqual(5);
    expect(a.history.events).toBeGreaterThan(10);

    expect(report.history!.map((h) => h.waitSeconds)).toEqual([60, 36_000]);
    for (const h of report.history!) {
      expect(h.events).toBeGreaterThan(10);
      expect(h.bytes).toBeGreaterThan(1000);
      expect(h.polls).toBeGreaterThanOrEqual(2);
      expect(h.activities).toContain('waitClusterRunning');
    }
    expect(report.targets.some((t) => t.item === 1)).toBe(true);
    expect(report.targets.filter((t) => t.item === 2)).toHaveLength(4);
    // The printed report names the machine and the baselines.
    expect(out).toContain('machine:');
    expect(out).toContain('fixed 30 s poll');
  });
});
