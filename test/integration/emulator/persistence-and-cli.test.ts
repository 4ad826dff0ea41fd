import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../src/emulator/index.js';
import { TestClient } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'emu-persist-'));
  dirs.push(d);
  return d;
};

describe('--data-dir persistence', () => {
  it('jobs, runs, clusters, secrets, workspace objects and DBFS files survive a restart; ids keep being unique', async () => {
    const dataDir = tempDir();
    const first = await startEmulator({ dataDir, speed: Infinity, seed: 1, rateLimitPerSecond: 0 });
    const a = new TestClient(first);
    const cluster = (await a.post<{ cluster_id: string }>('/api/2.1/clusters/create', { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 })).body.cluster_id;
    const job = (await a.post<{ job_id: number }>('/api/2.2/jobs/create', { name: 'kept', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/n' } }] })).body.job_id;
    const run = (await a.post<{ run_id: number }>('/api/2.2/jobs/run-now', { job_id: job })).body.run_id;
    await a.get('/api/2.2/jobs/runs/get', { run_id: run });
    await a.post('/api/2.0/secrets/scopes/create', { scope: 'kept' });
    await a.post('/api/2.0/secrets/put', { scope: 'kept', key: 'k', string_value: 'v' });
    await a.post('/api/2.0/workspace/import', { path: '/Shared/kept', language: 'SQL', content: Buffer.from('SELECT 1').toString('base64') });
    await a.post('/api/2.0/dbfs/put', { path: '/kept/file.txt', contents: Buffer.from('bytes').toString('base64') });
    await first.close();

    const second = await startEmulator({ dataDir, speed: Infinity, seed: 1, rateLimitPerSecond: 0 });
    try {
      const b = new TestClient(second);
      expect((await b.get<{ state: string }>('/api/2.1/clusters/get', { cluster_id: cluster })).body.state).toBe('RUNNING');
      expect((await b.get<{ settings: { name: string } }>('/api/2.2/jobs/get', { job_id: job })).body.settings.name).toBe('kept');
      expect((await b.get<{ state: { result_state: string } }>('/api/2.2/jobs/runs/get', { run_id: run })).body.state.result_state).toBe('SUCCESS');
      expect((await b.get('/api/2.0/secrets/get', { scope: 'kept', key: 'k' })).body).toEqual({ key: 'k', value: Buffer.from('v').toString('base64') });
      expect((await b.get('/api/2.0/workspace/get-status', { path: '/Shared/kept' })).body).toMatchObject({ object_type: 'NOTEBOOK', language: 'SQL' });
      expect((await b.get('/api/2.0/dbfs/read', { path: '/kept/file.txt' })).body).toEqual({ bytes_read: 5, data: Buffer.from('bytes').toString('base64') });
      const job2 = (await b.post<{ job_id: number }>('/api/2.2/jobs/create', { name: 'new', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/n' } }] })).body.job_id;
      expect(job2).not.toBe(job);
    } finally {
      await second.close();
    }
  });

  it('a run in flight when the emulator stops carries on after the restart', async () => {
    const dataDir = tempDir();
    const first = await startEmulator({ dataDir, speed: 0, rateLimitPerSecond: 0 });
    const a = new TestClient(first);
    const run = (await a.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', { tasks: [{ task_key: 't', notebook_task: { notebook_path: '/n' } }] })).body.run_id;
    await first.advance(30);
    expect((await a.get<{ state: { life_cycle_state: string } }>('/api/2.2/jobs/runs/get', { run_id: run })).body.state.life_cycle_state).toBe('RUNNING');
    await first.close();
    const second = await startEmulator({ dataDir, speed: 0, rateLimitPerSecond: 0 });
    try {
      await second.advance(120);
      const b = new TestClient(second);
      expect((await b.get<{ state: { result_state: string } }>('/api/2.2/jobs/runs/get', { run_id: run })).body.state.result_state).toBe('SUCCESS');
    } finally {
      await second.close();
    }
  });
});

describe('a corrupt state file', () => {
  it('stops the start with a message naming the file', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'emulator-state.json'), '{not json');
    await expect(startEmulator({ dataDir })).rejects.toThrow(/emulator-state\.json.*move the file away/);
  });
});

describe('durabricks emulator (CLI)', () => {
  it('prints one line with its URL, serves the API with the given token, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulator', '--port', '0', '--token', 'dapi-cli-token', '--speed', 'instant', '--seed', '3'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      expect(url).toBeDefined();
      const ok = await fetch(`${url}/api/2.1/clusters/spark-versions`, { headers: { authorization: 'Bearer dapi-cli-token' } });
      expect(ok.status).toBe(200);
      const denied = await fetch(`${url}/api/2.1/clusters/spark-versions`, { headers: { authorization: 'Bearer dapi-emulator-token' } });
      expect(denied.status).toBe(401);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 30_000);

  it('rejects bad values with exit code 2 and a precise message', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulator', '--rate-limit', 'fast'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('exit', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"fast" is not a non-negative integer.');
  }, 30_000);
});
