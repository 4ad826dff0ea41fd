import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { createLogger } from '../../../src/common/logger.js';
import { expectErrorShape, startTestEmulator, TestClient } from './helpers.js';

const CREATE_CLUSTER = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 };

describe('emulator server: auth, errors, validation', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  beforeAll(async () => ({ emu, api } = await startTestEmulator({ tokens: ['dapi-admin-token', 'dapi-user-token'] })));
  afterAll(() => emu.close());
  afterEach(() => emu.reset());

  it('accepts Bearer and Basic token:<PAT> credentials', async () => {
    const bearer = await fetch(`${emu.url}/api/2.1/clusters/spark-versions`, { headers: { authorization: 'Bearer dapi-admin-token' } });
    expect(bearer.status).toBe(200);
    const basic = await fetch(`${emu.url}/api/2.1/clusters/spark-versions`, {
      headers: { authorization: `Basic ${Buffer.from('token:dapi-user-token').toString('base64')}` },
    });
    expect(basic.status).toBe(200);
  });

  it('answers 401 UNAUTHENTICATED for missing, unknown or non-token Basic credentials, without echoing the token', async () => {
    for (const header of [undefined, 'Bearer dapi-wrong-secret', `Basic ${Buffer.from('alice:dapi-admin-token').toString('base64')}`, 'Token abc']) {
      const res = await fetch(`${emu.url}/api/2.1/clusters/list`, header ? { headers: { authorization: header } } : {});
      const text = await res.text();
      expect(res.status).toBe(401);
      expect(text).not.toContain('dapi-wrong-secret');
      expect(text).not.toContain('dapi-admin-token');
      const body = JSON.parse(text) as Record<string, unknown>;
      expectErrorShape(body);
      expect(body.error_code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers 403 PERMISSION_DENIED when the principal lacks the permission (non-admin pins a cluster)', async () => {
    const { body } = await api.post<{ cluster_id: string }>('/api/2.1/clusters/create', CREATE_CLUSTER);
    const res = await api.as('dapi-user-token').post('/api/2.1/clusters/pin', { cluster_id: body.cluster_id });
    expect(res.status).toBe(403);
    expect(res.body.error_code).toBe('PERMISSION_DENIED');
    expect((await api.post('/api/2.1/clusters/pin', { cluster_id: body.cluster_id })).status).toBe(200);
  });

  it('answers unknown endpoints with 404 ENDPOINT_NOT_FOUND', async () => {
    const res = await api.get('/api/2.1/clusters/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error_code: 'ENDPOINT_NOT_FOUND', message: "No API found for 'GET /clusters/nope'" });
  });

  it('rejects malformed JSON with 400 MALFORMED_REQUEST', async () => {
    const res = await fetch(`${emu.url}/api/2.1/clusters/create`, {
      method: 'POST',
      headers: { authorization: 'Bearer dapi-admin-token', 'content-type': 'application/json' },
      body: '{"spark_version": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Record<string, unknown>).error_code).toBe('MALFORMED_REQUEST');
  });

  it('names a missing required field and a field of the wrong type precisely', async () => {
    const missing = await api.post('/api/2.1/clusters/create', { node_type_id: 'i3.xlarge' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: spark_version' });
    const wrong = await api.post('/api/2.1/clusters/create', { ...CREATE_CLUSTER, num_workers: 'many' });
    expect(wrong.body.message).toBe('Invalid value for field num_workers: expected number, got string.');
    const nested = await api.post('/api/2.2/jobs/create', { name: 'x', tasks: [{ task_key: 'a', notebook_task: {} }] });
    expect(nested.body.message).toBe('Missing required field: tasks[0].notebook_task.notebook_path');
  });

  it("reads a JSON object sent with curl's default form content type (curl --data @file.json); other form bodies are not JSON", async () => {
    const post = (body: string) =>
      fetch(`${emu.url}/api/2.1/clusters/create`, { method: 'POST', headers: { authorization: 'Bearer dapi-admin-token', 'content-type': 'application/x-www-form-urlencoded' }, body });
    const created = await post(JSON.stringify({ ...CREATE_CLUSTER, cluster_name: 'from-curl' }));
    expect(created.status).toBe(200);
    const { cluster_id } = (await created.json()) as { cluster_id: string };
    expect((await api.get<{ cluster_name: string }>('/api/2.1/clusters/get', { cluster_id })).body.cluster_name).toBe('from-curl');
    const form = await post('spark_version=15.4.x-scala2.12&num_workers=1');
    expect(form.status).toBe(400);
    expect(((await form.json()) as { message: string }).message).toMatch(/spark_version/);
    const broken = await post('{"spark_version": ');
    expect(((await broken.json()) as { error_code: string }).error_code).toBe('MALFORMED_REQUEST');
  });

  it('ignores unknown fields', async () => {
    const res = await api.post<{ cluster_id: string }>('/api/2.1/clusters/create', { ...CREATE_CLUSTER, surprise: { nested: true } });
    expect(res.status).toBe(200);
    const got = await api.get('/api/2.1/clusters/get', { cluster_id: res.body.cluster_id });
    expect(got.body).not.toHaveProperty('surprise');
  });

  it('accepts GET parameters sent as a JSON body, as old clients do', async () => {
    // fetch refuses GET bodies, so speak HTTP on a raw socket.
    const raw = await rawRequest(
      emu.port,
      'GET /api/2.0/clusters/get HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer dapi-admin-token\r\nContent-Type: application/json\r\nContent-Length: 22\r\nConnection: close\r\n\r\n{"cluster_id": "nope"}',
    );
    expect(raw).toMatch(/^HTTP\/1.1 400/);
    expect(raw).toContain('Cluster nope does not exist');
  });
});

describe('emulator server: rate limiter', () => {
  it('answers 429 REQUEST_LIMIT_EXCEEDED with an integer Retry-After once a token exceeds its rate, per token', async () => {
    const emu = await startEmulator({ speed: Infinity, rateLimitPerSecond: 5, tokens: ['t-one-token', 't-two-token'] });
    try {
      const one = new TestClient(emu, 't-one-token');
      const statuses: number[] = [];
      let limited: Awaited<ReturnType<TestClient['get']>> | undefined;
      for (let i = 0; i < 20; i++) {
        const r = await one.get('/api/2.1/clusters/spark-versions');
        statuses.push(r.status);
        if (r.status === 429) limited ??= r;
      }
      expect(statuses).toContain(429);
      expect((limited?.body as { error_code?: string } | undefined)?.error_code).toBe('REQUEST_LIMIT_EXCEEDED');
      expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
      // The other token has its own bucket; the control API is never limited.
      expect((await new TestClient(emu, 't-two-token').get('/api/2.1/clusters/spark-versions')).status).toBe(200);
      expect((await one.control('GET', '/stats')).status).toBe(200);
    } finally {
      await emu.close();
    }
  });
});

describe('emulator control API', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  beforeAll(async () => ({ emu, api } = await startTestEmulator()));
  afterAll(() => emu.close());
  afterEach(() => emu.reset());

  it('counts calls per METHOD path since the last reset, not counting itself', async () => {
    await api.get('/api/2.1/clusters/spark-versions');
    await api.get('/api/2.1/clusters/spark-versions');
    await api.post('/api/2.1/clusters/create', CREATE_CLUSTER);
    const stats = await api.control('GET', '/stats');
    expect(stats.body).toEqual({ total: 3, calls: { 'GET /api/2.1/clusters/spark-versions': 2, 'POST /api/2.1/clusters/create': 1 } });
    await api.control('POST', '/reset');
    expect((await api.control('GET', '/stats')).body).toEqual({ total: 0, calls: {} });
  });

  it('reset forgets state; objects tests hold (faults, principals) stay live', async () => {
    const { body } = await api.post<{ cluster_id: string }>('/api/2.1/clusters/create', CREATE_CLUSTER);
    const faults = emu.faults;
    faults.add({ path: '/api/2.1/clusters/get', action: 'respond', status: 503 });
    await api.control('POST', '/reset');
    expect((await api.get('/api/2.1/clusters/get', { cluster_id: body.cluster_id })).status).toBe(400);
    faults.add({ path: '/api/2.1/clusters/get', action: 'respond', status: 503 });
    expect((await api.get('/api/2.1/clusters/get', { cluster_id: body.cluster_id })).status).toBe(503);
  });

  it('fault "respond" answers the n-th matching call with the given status, body and Retry-After, without touching state', async () => {
    await api.control('POST', '/faults', { method: 'POST', path: '/api/2.1/clusters/create', nth: 2, action: 'respond', status: 429, retry_after: 7, body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' } });
    expect((await api.post('/api/2.1/clusters/create', CREATE_CLUSTER)).status).toBe(200);
    const second = await api.post('/api/2.1/clusters/create', CREATE_CLUSTER);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('7');
    expect(second.body).toEqual({ error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' });
    expect((await api.post('/api/2.1/clusters/create', CREATE_CLUSTER)).status).toBe(200);
    const list = await api.get<{ clusters: unknown[] }>('/api/2.1/clusters/list');
    expect(list.body.clusters).toHaveLength(2);
  });

  it('fault "drop_after_apply" applies the change and then drops the connection', async () => {
    await api.control('POST', '/faults', { path_regex: 'clusters/create$', action: 'drop_after_apply' });
    await expect(api.post('/api/2.1/clusters/create', CREATE_CLUSTER)).rejects.toThrow();
    await api.control('DELETE', '/faults');
    const list = await api.get<{ clusters: unknown[] }>('/api/2.1/clusters/list');
    expect(list.body.clusters).toHaveLength(1);
  });

  it('fault "reset_before_apply" drops the connection and changes nothing', async () => {
    await api.control('POST', '/faults', { path: '/api/2.1/clusters/create', action: 'reset_before_apply', times: 1 });
    await expect(api.post('/api/2.1/clusters/create', CREATE_CLUSTER)).rejects.toThrow();
    const list = await api.get<{ clusters?: unknown[] }>('/api/2.1/clusters/list');
    expect(list.body.clusters ?? []).toHaveLength(0);
    expect((await api.post('/api/2.1/clusters/create', CREATE_CLUSTER)).status).toBe(200);
  });

  it('fault "latency" delays the answer; probability 0 never fires', async () => {
    await api.control('POST', '/faults', { rules: [{ path: '/api/2.1/clusters/list', action: 'respond', status: 500, probability: 0 }, { path: '/api/2.1/clusters/list', action: 'latency', latency_ms: 150 }] });
    const t0 = performance.now();
    const res = await api.get('/api/2.1/clusters/list');
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    const rules = await api.control<{ rules: { fired: number; matched: number }[] }>('GET', '/faults');
    expect(rules.body.rules.map((r) => [r.matched, r.fired])).toEqual([
      [1, 0],
      [1, 1],
    ]);
  });

  it('rejects an invalid fault rule with a precise 400', async () => {
    const res = await api.control('POST', '/faults', { action: 'explode' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('action');
  });

  it('clock: reads, changes speed and advances virtual time', async () => {
    const before = await api.control<{ now_ms: number; speed: unknown }>('GET', '/clock');
    expect(before.body.speed).toBe('Infinity');
    const after = await api.control<{ now_ms: number; speed: unknown }>('POST', '/clock', { speed: 0, advance_seconds: 3600 });
    expect(after.body.speed).toBe(0);
    expect(after.body.now_ms - before.body.now_ms).toBeGreaterThanOrEqual(3_600_000);
    await api.control('POST', '/clock', { speed: 'Infinity' });
  });

  it('seeds state through ordinary API requests and exports/imports a snapshot', async () => {
    const seeded = await api.control<{ responses: { status: number; body: { job_id: number } }[] }>('POST', '/seed', {
      requests: [{ method: 'POST', path: '/api/2.2/jobs/create', body: { name: 'seeded', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/n' } }] } }],
    });
    expect(seeded.status).toBe(200);
    const jobId = seeded.body.responses[0]?.body.job_id;
    const snapshot = await api.control('GET', '/state');
    await api.control('POST', '/reset');
    expect((await api.get('/api/2.2/jobs/get', { job_id: jobId })).status).toBe(400);
    expect((await api.control('PUT', '/state', snapshot.body)).status).toBe(200);
    expect((await api.get<{ settings: { name: string } }>('/api/2.2/jobs/get', { job_id: jobId })).body.settings.name).toBe('seeded');
    expect(await api.get('/api/2.1/clusters/list')).not.toHaveProperty('stats');
  });

  it('a failing seed request stops the seed and reports which one failed', async () => {
    const res = await api.control<{ message: string }>('POST', '/seed', { requests: [{ method: 'GET', path: '/api/2.1/clusters/get', query: { cluster_id: 'x' } }] });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('Seed request 1');
  });

  it('registers extra principals for permission tests', async () => {
    await api.control('POST', '/principals', { token: 'dapi-bob-token', user_name: 'bob@example.com' });
    expect((await api.as('dapi-bob-token').get('/api/2.1/clusters/list')).status).toBe(200);
  });
});

describe('secrets in logs', () => {
  it('tokens never reach the log, even at debug level with failing requests', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (l: string) => void lines.push(l) } });
    const emu = await startEmulator({ speed: Infinity, rateLimitPerSecond: 2, tokens: ['dapi-very-secret-admin'], logger });
    try {
      for (const auth of ['Bearer dapi-very-secret-admin', 'Bearer dapi-very-secret-wrong']) {
        for (let i = 0; i < 4; i++) await fetch(`${emu.url}/api/2.1/clusters/get?cluster_id=x`, { headers: { authorization: auth } });
      }
      emu.faults.add({ action: 'respond', status: 503 });
      await fetch(`${emu.url}/api/2.1/clusters/list`, { headers: { authorization: 'Bearer dapi-very-secret-admin' } });
    } finally {
      await emu.close();
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/dapi-very-secret/);
  });
});

describe('deterministic ids', () => {
  it('the same seed and requests yield the same ids; another seed does not', async () => {
    const ids: string[][] = [];
    for (const seed of [7, 7, 8]) {
      const { emu, api } = await startTestEmulator({ seed, startTime: Date.UTC(2026, 0, 2, 3, 4, 5) });
      const job = await api.post<{ job_id: number }>('/api/2.2/jobs/create', { name: 'x', tasks: [{ task_key: 't', notebook_task: { notebook_path: '/n' } }] });
      const run = await api.post<{ run_id: number }>('/api/2.2/jobs/run-now', { job_id: job.body.job_id });
      const cluster = await api.post<{ cluster_id: string }>('/api/2.1/clusters/create', { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 });
      ids.push([String(job.body.job_id), String(run.body.run_id), cluster.body.cluster_id.slice(0, 7)]);
      await emu.close();
    }
    expect(ids[0]).toEqual(ids[1]);
    expect(ids[0]?.[2]).toBe('0102-03');
    expect(ids[2]).not.toEqual(ids[0]);
  });
});

function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}
