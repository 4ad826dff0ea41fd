import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { startTestEmulator, type TestClient } from './helpers.js';

const SPEC = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 2, cluster_name: 'etl' };
type Cluster = { cluster_id: string; state: string; state_message: string; termination_reason?: { code: string; type: string }; num_workers?: number; executors?: unknown[] };

/** Paused clock: time only moves when a test advances it, so every intermediate state is observable. */
describe('clusters state machine (paused clock)', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  beforeAll(async () => ({ emu, api } = await startTestEmulator({ speed: 0, tokens: ['dapi-admin-token', 'dapi-user-token'] })));
  afterAll(() => emu.close());
  afterEach(() => emu.reset());

  const advance = (seconds: number) => api.control('POST', '/clock', { advance_seconds: seconds });
  const get = async (id: string, version = '2.1') => (await api.get<Cluster>(`/api/${version}/clusters/get`, { cluster_id: id })).body;
  const create = async (extra: Record<string, unknown> = {}) => (await api.post<{ cluster_id: string }>('/api/2.1/clusters/create', { ...SPEC, ...extra })).body.cluster_id;

  it('create → PENDING for minutes → RUNNING; ids look like MMDD-HHMMSS-xxxxxxxx', async () => {
    const id = await create();
    expect(id).toMatch(/^\d{4}-\d{6}-[a-z0-9]{8}$/);
    expect((await get(id)).state).toBe('PENDING');
    await advance(120);
    expect((await get(id)).state).toBe('PENDING');
    await advance(121);
    const c = await get(id);
    expect(c.state).toBe('RUNNING');
    expect(c.executors).toHaveLength(2);
  });

  it('is served under 2.0 and 2.1 with the same state', async () => {
    const id = await create();
    expect((await get(id, '2.0')).state).toBe('PENDING');
    expect((await api.get('/api/2.0/clusters/get', { cluster_id: id })).body.cluster_id).toBe(id);
  });

  it('start on a non-terminated cluster is 400 INVALID_STATE with a title-case state (quirk 3)', async () => {
    const id = await create();
    const res = await api.post('/api/2.1/clusters/start', { cluster_id: id });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 'INVALID_STATE', message: `Cluster ${id} is in unexpected state Pending.` });
  });

  it('missing cluster → 400 INVALID_PARAMETER_VALUE "Cluster <id> does not exist" (quirk 1)', async () => {
    const res = await api.get('/api/2.1/clusters/get', { cluster_id: '0000-000000-missing0' });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(res.body.message).toMatch(/^Cluster 0000-000000-missing0 does not exist/);
  });

  it('delete → TERMINATING → TERMINATED with USER_REQUEST; start brings it back through PENDING', async () => {
    const id = await create();
    await advance(300);
    await api.post('/api/2.1/clusters/delete', { cluster_id: id });
    expect((await get(id)).state).toBe('TERMINATING');
    await advance(60);
    const t = await get(id);
    expect(t.state).toBe('TERMINATED');
    expect(t.termination_reason).toEqual({ code: 'USER_REQUEST', type: 'SUCCESS', parameters: { username: 'admin@emulator.local' } });
    expect((await api.post('/api/2.1/clusters/delete', { cluster_id: id })).status).toBe(200);
    await api.post('/api/2.1/clusters/start', { cluster_id: id });
    expect((await get(id)).state).toBe('PENDING');
    await advance(300);
    expect((await get(id)).state).toBe('RUNNING');
  });

  it('edit: RUNNING restarts with the new spec; PENDING is INVALID_STATE; TERMINATED just takes the spec', async () => {
    const id = await create();
    expect((await api.post('/api/2.1/clusters/edit', { cluster_id: id, ...SPEC, num_workers: 5 })).body.error_code).toBe('INVALID_STATE');
    await advance(300);
    expect((await api.post('/api/2.1/clusters/edit', { cluster_id: id, ...SPEC, num_workers: 5 })).status).toBe(200);
    expect((await get(id)).state).toBe('RESTARTING');
    await advance(120);
    const c = await get(id);
    expect(c.state).toBe('RUNNING');
    expect(c.num_workers).toBe(5);
  });

  it('update applies only the fields in update_mask', async () => {
    const id = await create();
    await advance(300);
    await api.post('/api/2.1/clusters/update', { cluster_id: id, update_mask: 'cluster_name', cluster: { cluster_name: 'renamed', num_workers: 9 } });
    await advance(120);
    const c = (await api.get<Record<string, unknown>>('/api/2.1/clusters/get', { cluster_id: id })).body;
    expect(c.cluster_name).toBe('renamed');
    expect(c.num_workers).toBe(2);
  });

  it('resize: RUNNING → RESIZING (target shown at once) → RUNNING', async () => {
    const id = await create();
    await advance(300);
    await api.post('/api/2.1/clusters/resize', { cluster_id: id, num_workers: 4 });
    const c = await get(id);
    expect(c.state).toBe('RESIZING');
    expect(c.num_workers).toBe(4);
    await advance(90);
    expect((await get(id)).executors).toHaveLength(4);
  });

  it('restart: RUNNING → RESTARTING → RUNNING', async () => {
    const id = await create();
    await advance(300);
    await api.post('/api/2.1/clusters/restart', { cluster_id: id });
    expect((await get(id)).state).toBe('RESTARTING');
    await advance(120);
    expect((await get(id)).state).toBe('RUNNING');
  });

  it('a launch failure (custom tag emulator.outcome=ERROR) ends in ERROR with a termination_reason', async () => {
    const id = await create({ custom_tags: { 'emulator.outcome': 'ERROR' } });
    await advance(300);
    const c = await get(id);
    expect(c.state).toBe('ERROR');
    expect(c.termination_reason?.type).toBe('CLOUD_FAILURE');
  });

  it('auto-terminates after autotermination_minutes with INACTIVITY', async () => {
    const id = await create({ autotermination_minutes: 10 });
    await advance(300);
    expect((await get(id)).state).toBe('RUNNING');
    await advance(600);
    await advance(60);
    const c = await get(id);
    expect(c.state).toBe('TERMINATED');
    expect(c.termination_reason?.code).toBe('INACTIVITY');
  });

  it('terminated clusters leave clusters/list after 30 days and clusters/get after 60; pinned ones stay', async () => {
    const gone = await create();
    const pinned = await create();
    await api.post('/api/2.1/clusters/pin', { cluster_id: pinned });
    await api.post('/api/2.1/clusters/delete', { cluster_id: gone });
    await api.post('/api/2.1/clusters/delete', { cluster_id: pinned });
    await advance(31 * 86400);
    const listed = await api.get<{ clusters?: Cluster[] }>('/api/2.1/clusters/list');
    expect((listed.body.clusters ?? []).map((c) => c.cluster_id)).toEqual([pinned]);
    expect((await api.get('/api/2.1/clusters/get', { cluster_id: gone })).status).toBe(200);
    await advance(30 * 86400);
    expect((await api.get('/api/2.1/clusters/get', { cluster_id: gone })).status).toBe(400);
    expect((await api.get('/api/2.1/clusters/get', { cluster_id: pinned })).status).toBe(200);
  });

  it('permanent-delete hides the cluster and later calls fail', async () => {
    const id = await create();
    await api.post('/api/2.1/clusters/permanent-delete', { cluster_id: id });
    expect((await api.get('/api/2.1/clusters/get', { cluster_id: id })).status).toBe(400);
    expect((await api.get<{ clusters?: unknown[] }>('/api/2.1/clusters/list')).body.clusters ?? []).toHaveLength(0);
  });

  it('validates specs: unknown node type, bad autotermination, min > max', async () => {
    expect((await api.post('/api/2.1/clusters/create', { ...SPEC, node_type_id: 'x9.huge' })).body.message).toBe('Node type x9.huge is not supported.');
    expect((await api.post('/api/2.1/clusters/create', { ...SPEC, autotermination_minutes: 5 })).status).toBe(400);
    expect((await api.post('/api/2.1/clusters/create', { ...SPEC, autoscale: { min_workers: 5, max_workers: 2 } })).status).toBe(400);
    expect((await api.get<{ clusters?: unknown[] }>('/api/2.1/clusters/list')).body.clusters ?? []).toHaveLength(0);
  });

  it('list: 2.1 pages with page_token and filters; 2.0 is unpaged', async () => {
    const ids = [await create(), await create(), await create()];
    await api.post('/api/2.1/clusters/pin', { cluster_id: ids[0] });
    const first = await api.get<{ clusters: Cluster[]; next_page_token?: string }>('/api/2.1/clusters/list', { page_size: 2 });
    expect(first.body.clusters).toHaveLength(2);
    expect(first.body.clusters[0]?.cluster_id).toBe(ids[0]);
    const second = await api.get<{ clusters: Cluster[]; next_page_token?: string; prev_page_token?: string }>('/api/2.1/clusters/list', { page_size: 2, page_token: first.body.next_page_token });
    expect(second.body.clusters).toHaveLength(1);
    expect(second.body.next_page_token).toBeUndefined();
    expect(second.body.prev_page_token).toBeDefined();
    const pinned = await api.get<{ clusters: Cluster[] }>('/api/2.1/clusters/list', { 'filter_by.is_pinned': true });
    expect(pinned.body.clusters.map((c) => c.cluster_id)).toEqual([ids[0]]);
    const pending = await api.get<{ clusters: Cluster[] }>('/api/2.1/clusters/list', { 'filter_by.cluster_states': ['PENDING', 'RUNNING'] });
    expect(pending.body.clusters).toHaveLength(3);
    expect((await api.get<{ clusters: Cluster[] }>('/api/2.0/clusters/list', { page_size: 1 })).body.clusters).toHaveLength(3);
    expect((await api.get('/api/2.1/clusters/list', { page_token: 'garbage' })).status).toBe(400);
  });

  it('events: newest first, paged with next_page_token and the legacy next_page object (quirk 9)', async () => {
    const id = await create();
    await advance(300);
    await api.post('/api/2.1/clusters/restart', { cluster_id: id });
    await advance(120);
    const page = await api.post<{ events: { type: string }[]; total_count: number; next_page?: Record<string, unknown>; next_page_token?: string }>('/api/2.1/clusters/events', { cluster_id: id, limit: 2 });
    expect(page.body.total_count).toBe(5);
    expect(page.body.events.map((e) => e.type)).toEqual(['RUNNING', 'RESTARTING']);
    expect(page.body.next_page).toMatchObject({ cluster_id: id, offset: 2, limit: 2 });
    const next = await api.post<{ events: { type: string }[] }>('/api/2.1/clusters/events', page.body.next_page as Record<string, unknown>);
    expect(next.body.events.map((e) => e.type)).toEqual(['RUNNING', 'STARTING']);
    const byToken = await api.post<{ events: { type: string }[] }>('/api/2.1/clusters/events', { cluster_id: id, page_size: 2, page_token: page.body.next_page_token, order: 'DESC' });
    expect(byToken.body.events).toEqual(next.body.events);
  });

  it('change-owner: admins only, terminated clusters only; the new owner shows as creator_user_name', async () => {
    const id = await create();
    const change = (as: TestClient) => as.post('/api/2.1/clusters/change-owner', { cluster_id: id, owner_username: 'user1@emulator.local' });
    const running = await change(api);
    expect([running.status, running.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    await api.post('/api/2.1/clusters/delete', { cluster_id: id });
    await advance(60);
    const notAdmin = await change(api.as('dapi-user-token'));
    expect([notAdmin.status, notAdmin.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await get(id)) as Cluster & { creator_user_name: string }).toMatchObject({ creator_user_name: 'admin@emulator.local' });
    expect((await change(api)).status).toBe(200);
    expect((await get(id)) as Cluster & { creator_user_name: string }).toMatchObject({ creator_user_name: 'user1@emulator.local' });
  });

  it('serves the catalog endpoints', async () => {
    const types = await api.get<{ node_types: { node_type_id: string }[] }>('/api/2.1/clusters/list-node-types');
    expect(types.body.node_types.map((n) => n.node_type_id)).toContain('i3.xlarge');
    const versions = await api.get<{ versions: { key: string; name: string }[] }>('/api/2.0/clusters/spark-versions');
    expect(versions.body.versions.find((v) => v.key === '13.3.x-scala2.12')?.name).toBe('13.3 LTS (includes Apache Spark 3.4.1, Scala 2.12)');
  });
});

describe('clusters in instant mode', () => {
  it('reaches RUNNING on the first poll after create and does not auto-terminate at once', async () => {
    const { emu, api } = await startTestEmulator();
    try {
      const { body } = await api.post<{ cluster_id: string }>('/api/2.1/clusters/create', { ...SPEC, autotermination_minutes: 60 });
      const polled = await api.get<Cluster>('/api/2.1/clusters/get', { cluster_id: body.cluster_id });
      expect(polled.body.state).toBe('RUNNING');
      const again = await api.get<Cluster>('/api/2.1/clusters/get', { cluster_id: body.cluster_id });
      expect(again.body.state).toBe('RUNNING');
    } finally {
      await emu.close();
    }
  });
});
