import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { startTestEmulator, type TestClient } from './helpers.js';

/**
 * Random sequences of valid operations on clusters and jobs, with random clock advances in
 * between (paused clock): never a 500, and every run keeps the invariants the SDK waiters rely on.
 */
type Op =
  | { kind: 'createCluster'; outcome: 'ok' | 'ERROR' }
  | { kind: 'clusterAction'; action: 'start' | 'restart' | 'delete' | 'resize' | 'edit' | 'permanent-delete'; pick: number }
  | { kind: 'createJob'; shape: number; maxConcurrent: number; queue: boolean }
  | { kind: 'runNow'; pick: number }
  | { kind: 'submit'; outcome: string }
  | { kind: 'runAction'; action: 'cancel' | 'repair' | 'delete'; pick: number }
  | { kind: 'cancelAll'; pick: number }
  | { kind: 'deleteJob'; pick: number }
  | { kind: 'advance'; seconds: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('createCluster' as const), outcome: fc.constantFrom('ok' as const, 'ERROR' as const) }),
  fc.record({ kind: fc.constant('clusterAction' as const), action: fc.constantFrom('start' as const, 'restart' as const, 'delete' as const, 'resize' as const, 'edit' as const, 'permanent-delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('createJob' as const), shape: fc.nat(3), maxConcurrent: fc.integer({ min: 0, max: 2 }), queue: fc.boolean() }),
  fc.record({ kind: fc.constant('runNow' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('submit' as const), outcome: fc.constantFrom('SUCCESS', 'FAILED', 'INTERNAL_ERROR') }),
  fc.record({ kind: fc.constant('runAction' as const), action: fc.constantFrom('cancel' as const, 'repair' as const, 'delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('cancelAll' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('deleteJob' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('advance' as const), seconds: fc.constantFrom(1, 5, 30, 120, 600, 3600) }),
);

const SPEC = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 };
const nb = (key: string, params: Record<string, string> = {}, extra: Record<string, unknown> = {}) => ({ task_key: key, notebook_task: { notebook_path: `/${key}`, base_parameters: params }, ...extra });

function jobSettings(shape: number, maxConcurrent: number, queue: boolean): Record<string, unknown> {
  const base = { name: `j${shape}`, max_concurrent_runs: maxConcurrent, queue: { enabled: queue } };
  switch (shape) {
    case 0:
      return { ...base, tasks: [nb('a')] };
    case 1:
      return { ...base, tasks: [nb('a', { 'emulator.outcome': 'FAILED' }, { max_retries: 1 }), nb('b', {}, { depends_on: [{ task_key: 'a' }] }), nb('c', {}, { depends_on: [{ task_key: 'a' }], run_if: 'ALL_DONE' })] };
    case 2:
      return { ...base, timeout_seconds: 100, job_clusters: [{ job_cluster_key: 'k', new_cluster: SPEC }], tasks: [nb('a', { 'emulator.duration_s': '300' }, { job_cluster_key: 'k' })] };
    default:
      return { ...base, tasks: [nb('a', { 'emulator.duration_s': '50' }, { timeout_seconds: 20, max_retries: 1, retry_on_timeout: true }), nb('b', {}, { depends_on: [{ task_key: 'a' }] })] };
  }
}

describe('random walks over clusters and jobs', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  beforeAll(async () => ({ emu, api } = await startTestEmulator({ speed: 0 })));
  afterAll(() => emu.close());

  it('never answers 500 and keeps run invariants', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (ops) => {
        await api.control('POST', '/reset');
        const clusters: string[] = [];
        const jobs: number[] = [];
        const runs: number[] = [];
        const at = <T>(list: T[], i: number) => list[i % Math.max(1, list.length)];
        for (const o of ops) {
          let status = 200;
          switch (o.kind) {
            case 'createCluster': {
              const r = await api.post<{ cluster_id: string }>('/api/2.1/clusters/create', { ...SPEC, ...(o.outcome === 'ERROR' ? { custom_tags: { 'emulator.outcome': 'ERROR' } } : {}) });
              status = r.status;
              if (r.body.cluster_id) clusters.push(r.body.cluster_id);
              break;
            }
            case 'clusterAction': {
              const id = at(clusters, o.pick);
              if (!id) break;
              const body = o.action === 'resize' ? { cluster_id: id, num_workers: 3 } : o.action === 'edit' ? { cluster_id: id, ...SPEC, num_workers: 2 } : { cluster_id: id };
              status = (await api.post(`/api/2.1/clusters/${o.action}`, body)).status;
              break;
            }
            case 'createJob': {
              const r = await api.post<{ job_id: number }>('/api/2.2/jobs/create', jobSettings(o.shape, o.maxConcurrent, o.queue));
              status = r.status;
              if (r.body.job_id) jobs.push(r.body.job_id);
              break;
            }
            case 'runNow': {
              const id = at(jobs, o.pick);
              if (id === undefined) break;
              const r = await api.post<{ run_id: number }>('/api/2.2/jobs/run-now', { job_id: id });
              status = r.status;
              if (r.body.run_id) runs.push(r.body.run_id);
              break;
            }
            case 'submit': {
              const r = await api.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', { tasks: [nb('s', { 'emulator.outcome': o.outcome })] });
              status = r.status;
              if (r.body.run_id) runs.push(r.body.run_id);
              break;
            }
            case 'runAction': {
              const id = at(runs, o.pick);
              if (id === undefined) break;
              const body = o.action === 'repair' ? { run_id: id, rerun_all_failed_tasks: true } : { run_id: id };
              status = (await api.post(`/api/2.2/jobs/runs/${o.action}`, body)).status;
              break;
            }
            case 'cancelAll': {
              const id = at(jobs, o.pick);
              if (id !== undefined) status = (await api.post('/api/2.2/jobs/runs/cancel-all', { job_id: id })).status;
              break;
            }
            case 'deleteJob': {
              const id = at(jobs, o.pick);
              if (id !== undefined) status = (await api.post('/api/2.2/jobs/delete', { job_id: id })).status;
              break;
            }
            case 'advance':
              status = (await api.control('POST', '/clock', { advance_seconds: o.seconds })).status;
              break;
          }
          expect(status, JSON.stringify(o)).toBeLessThan(500);
        }
        // Invariants the SDK waiters and our client rely on.
        for (const id of runs) {
          const r = await api.get<{ state: { life_cycle_state: string; result_state?: string }; status: { state: string }; tasks?: { state: { life_cycle_state: string }; status: { state: string } }[] }>('/api/2.2/jobs/runs/get', { run_id: id });
          expect(r.status).toBeLessThan(500);
          if (r.status !== 200) continue; // deleted runs answer 400 like the real service
          expect(typeof r.body.state.life_cycle_state).toBe('string');
          expect(typeof r.body.status.state).toBe('string');
          if (r.body.state.life_cycle_state === 'TERMINATED') expect(r.body.state.result_state).toBeDefined();
          for (const t of r.body.tasks ?? []) expect(typeof t.state.life_cycle_state === 'string' && typeof t.status.state === 'string').toBe(true);
        }
        for (const id of clusters) expect((await api.get('/api/2.1/clusters/get', { cluster_id: id })).status).toBeLessThan(500);
        expect((await api.control('GET', '/state')).status).toBe(200);
      }),
      { numRuns: 40, seed: 424242 },
    );
  }, 120_000);
});
