import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { expectErrorShape, startTestEmulator, TestClient, useAdminAndUser } from './helpers.js';

const P = '/api/2.0/policies/clusters';
const SPEC = { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 };
type Policy = { policy_id: string; name: string; definition: string; description?: string; max_clusters_per_user?: number; creator_user_name: string; created_at_timestamp: number; policy_family_id?: string };
type Cluster = { cluster_id: string; policy_id?: string; spark_conf?: Record<string, string>; custom_tags?: Record<string, string>; autotermination_minutes?: number; node_type_id?: string; num_workers?: number; runtime_engine?: string };

describe('cluster policies API', () => {
  const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });

  const createPolicy = async (name: string, definition: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const r = await ctx.admin.post<{ policy_id: string }>(`${P}/create`, { name, definition: JSON.stringify(definition), ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.policy_id;
  };
  const createCluster = (body: Record<string, unknown>, as = ctx.admin) => as.post<Cluster & { error_code?: string; message?: string }>('/api/2.1/clusters/create', body);
  const clusterCount = async () => ((await ctx.admin.get<{ clusters?: unknown[] }>('/api/2.1/clusters/list')).body.clusters ?? []).length;

  it('create → get → list → edit (replaces) → delete, with 16-hex ids, creator and creation time', async () => {
    const id = await createPolicy('small', { num_workers: { type: 'range', maxValue: 2 } }, { description: 'd', max_clusters_per_user: 3 });
    expect(id).toMatch(/^[0-9A-F]{16}$/);
    const got = (await ctx.admin.get<Policy>(`${P}/get`, { policy_id: id })).body;
    expect(got).toMatchObject({ policy_id: id, name: 'small', description: 'd', max_clusters_per_user: 3, creator_user_name: 'admin@emulator.local' });
    expect(JSON.parse(got.definition)).toEqual({ num_workers: { type: 'range', maxValue: 2 } });
    expect(typeof got.created_at_timestamp).toBe('number');

    expect((await ctx.admin.post(`${P}/edit`, { policy_id: id, name: 'renamed', definition: '{}' })).status).toBe(200);
    const edited = (await ctx.admin.get<Policy>(`${P}/get`, { policy_id: id })).body;
    // Edit replaces: the description and the limit it did not repeat are gone.
    expect(edited).toEqual({ policy_id: id, name: 'renamed', definition: '{}', creator_user_name: 'admin@emulator.local', created_at_timestamp: got.created_at_timestamp });

    expect((await ctx.admin.post(`${P}/delete`, { policy_id: id })).status).toBe(200);
    const gone = await ctx.admin.get(`${P}/get`, { policy_id: id });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Can't find a cluster policy with id: ${id}.` });
    expect((await ctx.admin.post(`${P}/delete`, { policy_id: id })).status).toBe(404);
    expect((await ctx.admin.get(`${P}/list`)).body).toEqual({});
  });

  it('list sorts by sort_column / sort_order', async () => {
    await createPolicy('b', {});
    await ctx.emu.advance(1);
    await createPolicy('c', {});
    await ctx.emu.advance(1);
    await createPolicy('a', {});
    const names = async (q: Record<string, unknown>) => ((await ctx.admin.get<{ policies: Policy[] }>(`${P}/list`, q)).body.policies ?? []).map((p) => p.name);
    expect(await names({ sort_column: 'POLICY_NAME' })).toEqual(['a', 'b', 'c']);
    expect(await names({ sort_column: 'POLICY_NAME', sort_order: 'DESC' })).toEqual(['c', 'b', 'a']);
    expect(await names({})).toEqual(['b', 'c', 'a']);
    expect(await names({ sort_column: 'POLICY_CREATION_TIME', sort_order: 'DESC' })).toEqual(['a', 'c', 'b']);
    expect((await ctx.admin.get(`${P}/list`, { sort_column: 'SIZE' })).status).toBe(400);
  });

  it('bad input gets a precise 400 and changes nothing', async () => {
    const id = await createPolicy('taken', {});
    const before = await ctx.admin.get(`${P}/list`);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ definition: '{}' }, /^Missing required field: name$/],
      [{ name: 'taken', definition: '{}' }, /^Cluster Policy with name `taken` already exists$/],
      [{ name: 'x', definition: '{not json' }, /^definition must be a JSON document/],
      [{ name: 'x', definition: { a: 1 } }, /^Invalid value for field definition: expected string, got object\.$/],
      [{ name: 'x', definition: '{}', policy_family_id: 'personal-vm' }, /^policy_family_id and definition cannot be used together$/],
      [{ name: 'x', policy_family_id: 'nope' }, /^Policy family nope does not exist\.$/],
      [{ name: 'x', policy_family_definition_overrides: '{}' }, /only be used together with policy_family_id/],
      [{ name: 'x', max_clusters_per_user: 0 }, /^max_clusters_per_user must be greater than 0 \(is 0\)\.$/],
      [{ name: 'n'.repeat(101) }, /between 1 and 100 characters/],
    ];
    for (const [body, message] of cases) {
      const r = await ctx.admin.post(`${P}/create`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expectErrorShape(r.body);
      expect(r.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(r.body.message).toMatch(message);
    }
    const other = await createPolicy('other', {});
    expect((await ctx.admin.post(`${P}/edit`, { policy_id: other, name: 'taken' })).body.message).toBe('Cluster Policy with name `taken` already exists');
    expect((await ctx.admin.post(`${P}/edit`, { policy_id: 'FFFFFFFFFFFFFFFF', name: 'z' })).status).toBe(404);
    await ctx.admin.post(`${P}/delete`, { policy_id: other });
    expect((await ctx.admin.get(`${P}/list`)).body).toEqual(before.body);
    expect((await ctx.admin.get<Policy>(`${P}/get`, { policy_id: id })).body.name).toBe('taken');
  });

  it('only admins write policies; others see and use only policies granted CAN_USE', async () => {
    const id = await createPolicy('p', { num_workers: { type: 'range', maxValue: 4 } });
    expect((await ctx.user.post(`${P}/create`, { name: 'mine' })).status).toBe(403);
    expect((await ctx.user.post(`${P}/edit`, { policy_id: id, name: 'q' })).status).toBe(403);
    expect((await ctx.user.post(`${P}/delete`, { policy_id: id })).status).toBe(403);
    expect((await ctx.user.get(`${P}/list`)).body).toEqual({});
    expect((await ctx.user.get(`${P}/get`, { policy_id: id })).status).toBe(403);
    const denied = await createCluster({ ...SPEC, policy_id: id }, ctx.user);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(/does not have CAN_USE permissions on \/cluster-policies\//);
    expect(await clusterCount()).toBe(0);

    const grant = await ctx.admin.call('PATCH', `/api/2.0/permissions/cluster-policies/${id}`, { access_control_list: [{ user_name: 'user1@emulator.local', permission_level: 'CAN_USE' }] });
    expect(grant.status).toBe(200);
    expect(((await ctx.user.get<{ policies: Policy[] }>(`${P}/list`)).body.policies ?? []).map((p) => p.policy_id)).toEqual([id]);
    expect((await createCluster({ ...SPEC, policy_id: id }, ctx.user)).status).toBe(200);
    // The permissions API knows policies exist: a deleted one is 404 there too.
    await ctx.admin.post(`${P}/delete`, { policy_id: id });
    expect((await ctx.admin.get(`/api/2.0/permissions/cluster-policies/${id}`)).status).toBe(404);
  });

  it('policy families: list pages with max_results, get by id, and a policy can inherit one', async () => {
    const first = await ctx.admin.get<{ policy_families: { policy_family_id: string }[]; next_page_token?: string }>('/api/2.0/policy-families', { max_results: 2 });
    expect(first.body.policy_families).toHaveLength(2);
    const rest = await ctx.admin.get<{ policy_families: { policy_family_id: string }[] }>('/api/2.0/policy-families', { page_token: first.body.next_page_token });
    expect([...first.body.policy_families, ...rest.body.policy_families].map((f) => f.policy_family_id)).toContain('personal-vm');
    expect((await ctx.admin.get('/api/2.0/policy-families/personal-vm')).body).toMatchObject({ policy_family_id: 'personal-vm', name: 'Personal Compute' });
    expect((await ctx.admin.get('/api/2.0/policy-families/nope')).status).toBe(404);

    const id = await createPolicy('personal', {}, { definition: undefined, policy_family_id: 'personal-vm', policy_family_definition_overrides: JSON.stringify({ autotermination_minutes: { type: 'fixed', value: 30 } }) });
    const def = JSON.parse((await ctx.admin.get<Policy>(`${P}/get`, { policy_id: id })).body.definition) as Record<string, { value?: unknown }>;
    expect(def.autotermination_minutes).toEqual({ type: 'fixed', value: 30 });
    expect(def.num_workers).toEqual({ type: 'fixed', value: 0, hidden: true });
  });

  it('policy compliance: a cluster made under a policy goes out of compliance when the policy tightens; listed per policy', async () => {
    const id = await createPolicy('tightening', { num_workers: { type: 'range', maxValue: 4 }, 'custom_tags.team': { type: 'fixed', value: 'data' } });
    const made = await createCluster({ ...SPEC, num_workers: 3, policy_id: id });
    const small = await createCluster({ ...SPEC, num_workers: 1, policy_id: id });
    const free = await createCluster(SPEC);
    const compliance = async (clusterId: string) => (await ctx.admin.get(`${P}/get-compliance`, { cluster_id: clusterId })).body;
    expect(await compliance(made.body.cluster_id)).toEqual({ is_compliant: true, violations: {} });

    // Tightened: at most 2 workers, and a tag the clusters were made without.
    const tighter = { num_workers: { type: 'range', maxValue: 2 }, 'custom_tags.team': { type: 'fixed', value: 'data' }, 'custom_tags.cost_center': { type: 'fixed', value: 'cc-1' } };
    expect((await ctx.admin.post(`${P}/edit`, { policy_id: id, name: 'tightening', definition: JSON.stringify(tighter) })).status).toBe(200);
    expect(await compliance(made.body.cluster_id)).toEqual({
      is_compliant: false,
      violations: {
        num_workers: 'Validation failed for num_workers, the value cannot be greater than 2',
        'custom_tags.cost_center': 'Validation failed for custom_tags.cost_center, the value must be cc-1 (is missing)',
      },
    });
    expect(await compliance(free.body.cluster_id)).toEqual({ is_compliant: true, violations: {} });

    const listed = (await ctx.admin.get<{ clusters: { cluster_id: string; is_compliant: boolean }[]; next_page_token?: string }>(`${P}/list-compliance`, { policy_id: id, page_size: 1 })).body;
    const rest = (await ctx.admin.get<{ clusters: { cluster_id: string; is_compliant: boolean }[]; prev_page_token?: string }>(`${P}/list-compliance`, { policy_id: id, page_size: 1, page_token: listed.next_page_token })).body;
    expect(rest.prev_page_token).toBeDefined();
    const byId = Object.fromEntries([...listed.clusters, ...rest.clusters].map((c) => [c.cluster_id, c.is_compliant]));
    expect(byId).toEqual({ [made.body.cluster_id]: false, [small.body.cluster_id]: false });

    const unknownCluster = await ctx.admin.get(`${P}/get-compliance`, { cluster_id: '0000-000000-nothing0' });
    expect({ status: unknownCluster.status, body: unknownCluster.body }).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Cluster 0000-000000-nothing0 does not exist' } });
    expect((await ctx.admin.get(`${P}/list-compliance`, { policy_id: 'FFFFFFFFFFFFFFFF' })).status).toBe(404);
  });
});

describe('clusters under a policy', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  beforeAll(async () => ({ emu, api } = await startTestEmulator({ tokens: ['dapi-admin', 'dapi-user1'] })));
  afterAll(() => emu.close());
  afterEach(() => emu.reset());

  const policy = async (definition: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    (await api.post<{ policy_id: string }>(`${P}/create`, { name: `p${Math.random()}`, definition: JSON.stringify(definition), ...extra })).body.policy_id;
  const create = (body: Record<string, unknown>, as = api) => as.post<{ cluster_id: string; error_code?: string; message?: string }>('/api/2.1/clusters/create', body);
  const get = async (id: string) => (await api.get<Cluster>('/api/2.1/clusters/get', { cluster_id: id })).body;
  const count = async () => ((await api.get<{ clusters?: unknown[] }>('/api/2.1/clusters/list')).body.clusters ?? []).length;
  /** A rejected create: 400 with this exact message, and no cluster appears. */
  const rejects = async (body: Record<string, unknown>, message: string) => {
    const before = await count();
    const r = await create(body);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message });
    expect(await count()).toBe(before);
  };

  it('an unknown policy id fails like the real API and creates nothing', async () => {
    const r = await create({ ...SPEC, policy_id: '0123456789ABCDEF' });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Can't find a cluster policy with id: 0123456789ABCDEF." });
    expect(await count()).toBe(0);
  });

  it('fixed: fills the value even without apply_policy_default_values, rejects another one', async () => {
    const id = await policy({ runtime_engine: { type: 'fixed', value: 'PHOTON', hidden: true }, 'spark_conf.spark.x': { type: 'fixed', value: true } });
    const ok = await create({ ...SPEC, policy_id: id });
    expect(ok.status).toBe(200);
    const c = await get(ok.body.cluster_id);
    expect(c.policy_id).toBe(id);
    expect(c.runtime_engine).toBe('PHOTON');
    expect(c.spark_conf).toEqual({ 'spark.x': 'true' });
    await rejects({ ...SPEC, policy_id: id, runtime_engine: 'STANDARD' }, 'Validation failed for runtime_engine, the value must be PHOTON (is "STANDARD")');
  });

  it('forbidden rejects any value', async () => {
    const id = await policy({ instance_pool_id: { type: 'forbidden', hidden: true } });
    expect((await create({ ...SPEC, policy_id: id })).status).toBe(200);
    await rejects({ ...SPEC, policy_id: id, instance_pool_id: 'pool-1' }, 'Validation failed for instance_pool_id, the value cannot be present');
  });

  it('allowlist and blocklist', async () => {
    const id = await policy({ node_type_id: { type: 'allowlist', values: ['i3.xlarge', 'i3.2xlarge'] }, spark_version: { type: 'blocklist', values: ['13.3.x-scala2.12'] } });
    expect((await create({ ...SPEC, policy_id: id })).status).toBe(200);
    await rejects({ ...SPEC, node_type_id: 'm5d.large', policy_id: id }, 'Validation failed for node_type_id, the value must be one of [i3.xlarge, i3.2xlarge] (is "m5d.large")');
    await rejects({ ...SPEC, spark_version: '13.3.x-scala2.12', policy_id: id }, 'Validation failed for spark_version, the value must not be one of [13.3.x-scala2.12] (is "13.3.x-scala2.12")');
  });

  it('regex is anchored at both ends', async () => {
    const id = await policy({ 'custom_tags.team': { type: 'regex', pattern: 'data-[a-z]+' } });
    expect((await create({ ...SPEC, policy_id: id, custom_tags: { team: 'data-eng' } })).status).toBe(200);
    await rejects({ ...SPEC, policy_id: id, custom_tags: { team: 'xdata-eng' } }, 'Validation failed for custom_tags.team, the value must match the regex data-[a-z]+ (is "xdata-eng")');
    // Not optional: a missing tag is named the way the real service names a missing map key.
    await rejects({ ...SPEC, policy_id: id }, 'Validation failed for custom_tags, team must be present');
  });

  it('range on num_workers and autoscale.max_workers; several violations are joined with "; "', async () => {
    const id = await policy({ num_workers: { type: 'range', minValue: 1, maxValue: 4, isOptional: true }, 'autoscale.max_workers': { type: 'range', maxValue: 8, isOptional: true } });
    expect((await create({ ...SPEC, policy_id: id, num_workers: 4 })).status).toBe(200);
    await rejects({ ...SPEC, policy_id: id, num_workers: 0 }, 'Validation failed for num_workers, the value cannot be less than 1');
    await rejects({ ...SPEC, policy_id: id, num_workers: 5 }, 'Validation failed for num_workers, the value cannot be greater than 4');
    const { num_workers: _n, ...noWorkers } = SPEC;
    expect((await create({ ...noWorkers, policy_id: id, autoscale: { min_workers: 1, max_workers: 8 } })).status).toBe(200);
    await rejects({ ...noWorkers, policy_id: id, autoscale: { min_workers: 1, max_workers: 9 } }, 'Validation failed for autoscale.max_workers, the value cannot be greater than 8');
    const two = await policy({ num_workers: { type: 'range', maxValue: 1 }, node_type_id: { type: 'fixed', value: 'i3.2xlarge' } });
    await rejects({ ...SPEC, policy_id: two, num_workers: 3 }, 'Validation failed for num_workers, the value cannot be greater than 1; Validation failed for node_type_id, the value must be i3.2xlarge (is "i3.xlarge")');
  });

  it('unlimited: defaultValue only with apply_policy_default_values; a required attribute without one is rejected', async () => {
    const id = await policy({
      autotermination_minutes: { type: 'unlimited', defaultValue: 60, isOptional: true },
      'spark_conf.spark.sql.shuffle.partitions': { type: 'unlimited', defaultValue: '8' },
      'custom_tags.cost_center': { type: 'unlimited', defaultValue: 'cc-1', isOptional: true },
    });
    const withDefaults = await create({ ...SPEC, policy_id: id, apply_policy_default_values: true });
    expect(withDefaults.status).toBe(200);
    const c = await get(withDefaults.body.cluster_id);
    expect(c.autotermination_minutes).toBe(60);
    expect(c.spark_conf).toEqual({ 'spark.sql.shuffle.partitions': '8' });
    expect(c.custom_tags).toEqual({ cost_center: 'cc-1' });
    // A value the request gives wins over the default.
    const own = await create({ ...SPEC, policy_id: id, apply_policy_default_values: true, autotermination_minutes: 20 });
    expect((await get(own.body.cluster_id)).autotermination_minutes).toBe(20);
    await rejects({ ...SPEC, policy_id: id }, 'Validation failed for spark_conf, spark.sql.shuffle.partitions must be present');
  });

  it('a policy value must still make a valid cluster spec; a malformed definition fails every create', async () => {
    const bad = await policy({ autotermination_minutes: { type: 'fixed', value: 5 } });
    await rejects({ ...SPEC, policy_id: bad }, 'Invalid autotermination_minutes: 5. It must be between 10 and 10000 minutes, or 0 to disable auto termination.');
    const malformed = (await api.post<{ policy_id: string }>(`${P}/create`, { name: 'array', definition: '[{"foo":"bar"}]' })).body.policy_id;
    const r = await create({ ...SPEC, policy_id: malformed });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(new RegExp(`^Requests for the policy ${malformed} cannot be satisfied due to the malformed policy definition`));
  });

  it('cluster_type is virtual: a job-only policy refuses clusters/create', async () => {
    const id = await policy({ cluster_type: { type: 'fixed', value: 'job' } });
    await rejects({ ...SPEC, policy_id: id }, 'Validation failed for cluster_type, the value must be job (is "all-purpose")');
  });

  it('max_clusters_per_user counts active clusters of the same user; a terminated one frees its place', async () => {
    const id = await policy({}, { max_clusters_per_user: 1 });
    const first = await create({ ...SPEC, policy_id: id });
    expect(first.status).toBe(200);
    const second = await create({ ...SPEC, policy_id: id });
    expect(second.status).toBe(400);
    expect(second.body.error_code).toBe('QUOTA_EXCEEDED');
    expect(second.body.message).toMatch(/max_clusters_per_user \(1\)/);
    expect(await count()).toBe(1);
    // Another user (granted CAN_USE) has a place of their own.
    await api.call('PATCH', `/api/2.0/permissions/cluster-policies/${id}`, { access_control_list: [{ user_name: 'user1@emulator.local', permission_level: 'CAN_USE' }] });
    expect((await create({ ...SPEC, policy_id: id }, api.as('dapi-user1'))).status).toBe(200);
    await api.post('/api/2.1/clusters/delete', { cluster_id: first.body.cluster_id });
    expect((await create({ ...SPEC, policy_id: id })).status).toBe(200);
  });

  it('resize stays within the policy: a size it forbids is refused and the cluster keeps its size', async () => {
    const id = await policy({ num_workers: { type: 'range', maxValue: 3, isOptional: true }, 'autoscale.max_workers': { type: 'range', maxValue: 6, isOptional: true } });
    const c = (await create({ ...SPEC, policy_id: id })).body.cluster_id;
    const resize = (body: Record<string, unknown>) => api.post('/api/2.1/clusters/resize', { cluster_id: c, ...body });
    const tooMany = await resize({ num_workers: 4 });
    expect({ status: tooMany.status, body: tooMany.body }).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Validation failed for num_workers, the value cannot be greater than 3' } });
    expect((await resize({ autoscale: { min_workers: 1, max_workers: 7 } })).body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Validation failed for autoscale.max_workers, the value cannot be greater than 6' });
    expect((await get(c)).num_workers).toBe(1);
    expect((await resize({ num_workers: 3 })).status).toBe(200);
    expect((await resize({ autoscale: { min_workers: 1, max_workers: 6 } })).status).toBe(200);
  });

  it('edit validates against the policy and a rejected edit keeps the old spec', async () => {
    const id = await policy({ num_workers: { type: 'range', maxValue: 2 } });
    const c = (await create({ ...SPEC, policy_id: id })).body.cluster_id;
    await api.post('/api/2.1/clusters/delete', { cluster_id: c });
    const r = await api.post('/api/2.1/clusters/edit', { cluster_id: c, ...SPEC, num_workers: 3, policy_id: id });
    expect(r.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Validation failed for num_workers, the value cannot be greater than 2' });
    expect((await get(c)).num_workers).toBe(1);
    expect((await api.post('/api/2.1/clusters/edit', { cluster_id: c, ...SPEC, num_workers: 2, policy_id: id })).status).toBe(200);
    expect((await get(c)).num_workers).toBe(2);
  });
});

describe('cluster policies persist across a restart', () => {
  it('a policy and its enforcement survive --data-dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'durabricks-policies-'));
    try {
      const first = await startEmulator({ speed: Infinity, rateLimitPerSecond: 0, seed: 7, dataDir: dir });
      const a = new TestClient(first);
      const id = (await a.post<{ policy_id: string }>(`${P}/create`, { name: 'kept', definition: JSON.stringify({ num_workers: { type: 'range', maxValue: 1 } }) })).body.policy_id;
      await first.close();
      const second = await startEmulator({ speed: Infinity, rateLimitPerSecond: 0, seed: 7, dataDir: dir });
      try {
        const b = new TestClient(second);
        expect((await b.get<Policy>(`${P}/get`, { policy_id: id })).body.name).toBe('kept');
        expect((await b.post('/api/2.1/clusters/create', { ...SPEC, num_workers: 2, policy_id: id })).status).toBe(400);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
