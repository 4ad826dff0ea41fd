import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { expectErrorShape, startTestEmulator, type TestClient } from './helpers.js';

/**
 * Random and mutated requests against every part-1 endpoint: the emulator never crashes (no 500),
 * always answers a real-looking error body, and a rejected request changes nothing (compared
 * through the full state snapshot and the DBFS tree).
 */

interface Seeded {
  clusterId: string;
  jobId: number;
  runId: number;
  policyId: string;
}

type Endpoint = { method: 'GET' | 'POST'; path: string; body: (s: Seeded) => Record<string, unknown> };

const V = (v: string, p: string) => `/api/${v}${p}`;
const endpoints: Endpoint[] = [
  { method: 'POST', path: V('2.1', '/clusters/create'), body: () => ({ spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1, custom_tags: { a: 'b' } }) },
  { method: 'POST', path: V('2.0', '/clusters/edit'), body: (s) => ({ cluster_id: s.clusterId, spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 2 }) },
  { method: 'POST', path: V('2.1', '/clusters/resize'), body: (s) => ({ cluster_id: s.clusterId, num_workers: 3 }) },
  { method: 'POST', path: V('2.1', '/clusters/update'), body: (s) => ({ cluster_id: s.clusterId, update_mask: 'cluster_name', cluster: { cluster_name: 'n' } }) },
  { method: 'POST', path: V('2.1', '/clusters/events'), body: (s) => ({ cluster_id: s.clusterId, limit: 2, order: 'ASC' }) },
  { method: 'GET', path: V('2.1', '/clusters/get'), body: (s) => ({ cluster_id: s.clusterId }) },
  { method: 'GET', path: V('2.1', '/clusters/list'), body: () => ({ page_size: 1, 'filter_by.cluster_states': 'RUNNING' }) },
  { method: 'POST', path: V('2.2', '/jobs/create'), body: () => ({ name: 'j', tasks: [{ task_key: 'a', notebook_task: { notebook_path: '/n' } }, { task_key: 'b', depends_on: [{ task_key: 'a' }], spark_python_task: { python_file: '/p.py' } }] }) },
  { method: 'POST', path: V('2.1', '/jobs/update'), body: (s) => ({ job_id: s.jobId, new_settings: { name: 'x', tasks: [{ task_key: 'c', notebook_task: { notebook_path: '/c' } }] }, fields_to_remove: ['tags'] }) },
  { method: 'POST', path: V('2.2', '/jobs/reset'), body: (s) => ({ job_id: s.jobId, new_settings: { name: 'r', tasks: [{ task_key: 'a', notebook_task: { notebook_path: '/n' } }] } }) },
  { method: 'POST', path: V('2.2', '/jobs/run-now'), body: (s) => ({ job_id: s.jobId, notebook_params: { k: 'v' }, idempotency_token: 'tok' }) },
  { method: 'POST', path: V('2.2', '/jobs/runs/submit'), body: () => ({ run_name: 'r', tasks: [{ task_key: 'a', notebook_task: { notebook_path: '/n' } }] }) },
  { method: 'POST', path: V('2.2', '/jobs/runs/repair'), body: (s) => ({ run_id: s.runId, rerun_tasks: ['a'] }) },
  { method: 'POST', path: V('2.2', '/jobs/runs/cancel'), body: (s) => ({ run_id: s.runId }) },
  { method: 'GET', path: V('2.2', '/jobs/runs/get'), body: (s) => ({ run_id: s.runId }) },
  { method: 'GET', path: V('2.1', '/jobs/runs/list'), body: (s) => ({ job_id: s.jobId, limit: 5 }) },
  { method: 'GET', path: V('2.2', '/jobs/runs/get-output'), body: (s) => ({ run_id: s.runId }) },
  { method: 'GET', path: V('2.2', '/jobs/list'), body: () => ({ limit: 2, expand_tasks: true }) },
  { method: 'POST', path: V('2.0', '/dbfs/put'), body: () => ({ path: '/fuzz/file', contents: 'aGVsbG8=', overwrite: true }) },
  { method: 'POST', path: V('2.0', '/dbfs/mkdirs'), body: () => ({ path: '/fuzz/dir' }) },
  { method: 'POST', path: V('2.0', '/dbfs/move'), body: () => ({ source_path: '/fuzz/file', destination_path: '/fuzz/moved' }) },
  { method: 'POST', path: V('2.0', '/dbfs/add-block'), body: () => ({ handle: 1, data: 'aGVsbG8=' }) },
  { method: 'GET', path: V('2.0', '/dbfs/read'), body: () => ({ path: '/fuzz/file', offset: 1, length: 3 }) },
  { method: 'POST', path: V('2.0', '/secrets/scopes/create'), body: () => ({ scope: 'fuzz-scope' }) },
  { method: 'POST', path: V('2.0', '/secrets/put'), body: () => ({ scope: 'seeded', key: 'k', string_value: 'v' }) },
  { method: 'POST', path: V('2.0', '/secrets/acls/put'), body: () => ({ scope: 'seeded', principal: 'users', permission: 'READ' }) },
  { method: 'GET', path: V('2.0', '/secrets/get'), body: () => ({ scope: 'seeded', key: 'k' }) },
  { method: 'POST', path: V('2.0', '/workspace/import'), body: () => ({ path: '/Shared/fuzz', format: 'SOURCE', language: 'PYTHON', content: 'cHJpbnQoMSk=', overwrite: true }) },
  { method: 'POST', path: V('2.0', '/workspace/mkdirs'), body: () => ({ path: '/Shared/fuzzdir' }) },
  { method: 'POST', path: V('2.0', '/workspace/delete'), body: () => ({ path: '/Shared/fuzzdir', recursive: false }) },
  { method: 'GET', path: V('2.0', '/workspace/export'), body: () => ({ path: '/Shared/seeded', format: 'SOURCE' }) },
  { method: 'POST', path: V('2.0', '/policies/clusters/create'), body: () => ({ name: 'fuzz-policy', definition: '{"num_workers":{"type":"range","maxValue":3}}', max_clusters_per_user: 2 }) },
  { method: 'POST', path: V('2.0', '/policies/clusters/edit'), body: (s) => ({ policy_id: s.policyId, name: 'seeded-policy', definition: '{"custom_tags.team":{"type":"fixed","value":"x"}}' }) },
  { method: 'GET', path: V('2.0', '/policies/clusters/get'), body: (s) => ({ policy_id: s.policyId }) },
  { method: 'GET', path: V('2.0', '/policies/clusters/list'), body: () => ({ sort_column: 'POLICY_NAME', sort_order: 'DESC' }) },
  { method: 'GET', path: V('2.0', '/policy-families'), body: () => ({ max_results: 2 }) },
  {
    method: 'POST',
    path: V('2.1', '/clusters/create'),
    body: (s) => ({ spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1, policy_id: s.policyId, apply_policy_default_values: true, custom_tags: { team: 'x' } }),
  },
];

type Mutation = { kind: 'valid' } | { kind: 'drop'; index: number } | { kind: 'replace'; index: number; value: unknown } | { kind: 'add'; key: string; value: unknown } | { kind: 'whole'; value: unknown } | { kind: 'raw'; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>({ kind: 'valid' }),
  fc.nat(5).map((index): Mutation => ({ kind: 'drop', index })),
  fc.record({ index: fc.nat(5), value: fc.jsonValue({ maxDepth: 2 }) }).map((r): Mutation => ({ kind: 'replace', ...r })),
  fc.record({ key: fc.string({ maxLength: 12 }), value: fc.jsonValue({ maxDepth: 2 }) }).map((r): Mutation => ({ kind: 'add', ...r })),
  fc.jsonValue({ maxDepth: 3 }).map((value): Mutation => ({ kind: 'whole', value })),
  fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('{', '{"a":', 'null', '[]', '{"cluster_id": {"$gt": 1}}', '\u0000\u0001')).map((text): Mutation => ({ kind: 'raw', text })),
);

function applyMutation(body: Record<string, unknown>, m: Mutation): unknown {
  const keys = Object.keys(body);
  switch (m.kind) {
    case 'valid':
      return body;
    case 'drop': {
      const copy = { ...body };
      delete copy[keys[m.index % keys.length] as string];
      return copy;
    }
    case 'replace':
      return { ...body, [keys[m.index % keys.length] as string]: m.value };
    case 'add':
      return { ...body, [m.key]: m.value };
    case 'whole':
      return m.value;
    case 'raw':
      return m.text;
  }
}

function toQuery(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `v=${encodeURIComponent(JSON.stringify(value) ?? '')}`;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(value)) qs.append(k, typeof v === 'string' ? v : JSON.stringify(v) ?? '');
  return qs.toString();
}

describe('fuzzing the emulator with random and mutated requests', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  let seeded: Seeded;

  beforeAll(async () => {
    // Paused clock: nothing changes unless a request changes it.
    ({ emu, api } = await startTestEmulator({ speed: 0 }));
    const cluster = await api.post<{ cluster_id: string }>('/api/2.1/clusters/create', { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 });
    const job = await api.post<{ job_id: number }>('/api/2.2/jobs/create', { name: 'seed', max_concurrent_runs: 100, tasks: [{ task_key: 'a', notebook_task: { notebook_path: '/n' } }] });
    const run = await api.post<{ run_id: number }>('/api/2.2/jobs/run-now', { job_id: job.body.job_id });
    await api.post('/api/2.0/secrets/scopes/create', { scope: 'seeded' });
    await api.post('/api/2.0/dbfs/put', { path: '/fuzz/file', contents: 'aGk=' });
    await api.post('/api/2.0/workspace/import', { path: '/Shared/seeded', language: 'PYTHON', content: 'eA==' });
    const policy = await api.post<{ policy_id: string }>('/api/2.0/policies/clusters/create', {
      name: 'seeded-policy',
      definition: JSON.stringify({ num_workers: { type: 'range', maxValue: 2 }, 'custom_tags.team': { type: 'regex', pattern: '[a-z]+' }, autotermination_minutes: { type: 'unlimited', defaultValue: 30 } }),
    });
    seeded = { clusterId: cluster.body.cluster_id, jobId: job.body.job_id, runId: run.body.run_id, policyId: policy.body.policy_id };
  });
  afterAll(() => emu.close());

  const fingerprint = async (): Promise<string> => {
    const state = (await api.control<Record<string, unknown>>('GET', '/state')).body;
    delete state.virtual_time;
    const root = await api.get('/api/2.0/dbfs/list', { path: '/' });
    const fuzz = await api.get('/api/2.0/dbfs/list', { path: '/fuzz' });
    return JSON.stringify([state, root.body, fuzz.body]);
  };

  it('never crashes, always answers a real error body, and changes nothing on rejection', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(endpoints.length - 1),
        mutation,
        fc.constantFrom<string | undefined>('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', undefined),
        fc.constantFrom('good', 'good', 'good', 'good', 'none', 'wrong'),
        fc.boolean(),
        async (endpointIndex, m, contentType, auth, swapMethod) => {
          const ep = endpoints[endpointIndex] as Endpoint;
          const payload = applyMutation(ep.body(seeded), m);
          const method = swapMethod && m.kind !== 'valid' ? (ep.method === 'GET' ? 'POST' : 'GET') : ep.method;
          const headers: Record<string, string> = {};
          if (auth === 'good') headers.authorization = `Bearer ${emu.token}`;
          if (auth === 'wrong') headers.authorization = 'Bearer dapi-not-a-real-token';
          if (contentType) headers['content-type'] = contentType;
          const before = await fingerprint();
          const url = method === 'GET' ? `${emu.url}${ep.path}?${toQuery(payload)}` : `${emu.url}${ep.path}`;
          const res = await fetch(url, { method, headers, ...(method === 'POST' ? { body: typeof payload === 'string' ? payload : JSON.stringify(payload) } : {}) });
          const text = await res.text();
          expect(res.status, text).not.toBe(500);
          const body = JSON.parse(text) as Record<string, unknown>;
          if (res.status >= 400) {
            expectErrorShape(body);
            expect(await fingerprint(), `${method} ${ep.path} ${text}`).toBe(before);
          }
          if (auth !== 'good') expect(res.status).toBe(401);
        },
      ),
      { numRuns: 300, seed: 20261125 },
    );
    // Still alive and serving.
    expect((await api.get('/api/2.1/clusters/get', { cluster_id: seeded.clusterId })).status).toBe(200);
  }, 120_000);
});

describe('fuzzing the control API', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  beforeAll(async () => ({ emu, api } = await startTestEmulator({ speed: 0 })));
  afterAll(() => emu.close());

  it('answers random bodies on every control endpoint without a 500 and with a real error body', async () => {
    const targets: [string, string][] = [
      ['POST', '/faults'],
      ['POST', '/clock'],
      ['POST', '/seed'],
      ['POST', '/principals'],
      ['POST', '/notifications'],
      ['POST', '/rate-limit'],
      ['DELETE', '/faults/abc'],
      ['GET', '/nope'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(targets.length - 1), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 40 })), async (i, payload) => {
        const [method, path] = targets[i] as [string, string];
        const res = await fetch(`${emu.url}/_emulator${path}`, {
          method,
          ...(method === 'POST' ? { body: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json' } } : {}),
        });
        const text = await res.text();
        expect(res.status, text).not.toBe(500);
        if (res.status >= 400) expectErrorShape(JSON.parse(text) as Record<string, unknown>);
        // Whatever was configured, reset keeps the next case independent.
        await api.control('DELETE', '/faults');
        await api.control('POST', '/rate-limit', { per_second: 0 });
      }),
      { numRuns: 150, seed: 7 },
    );
    expect((await api.control('GET', '/health')).body).toEqual({ ok: true });
  }, 60_000);
});
