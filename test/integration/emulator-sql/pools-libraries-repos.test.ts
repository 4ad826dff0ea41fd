import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulator } from './client.js';

let ctx: Awaited<ReturnType<typeof emulator>>;
beforeAll(async () => {
  ctx = await emulator({ speed: 0 });
});
afterAll(() => ctx.emu.close());
const advance = (ms: number) => {
  ctx.emu.clock.advance(ms);
  ctx.emu.tick();
};

describe('Instance pools', () => {
  it('create/get/edit/list/delete with validation', async () => {
    const c = await ctx.call('POST', '/api/2.0/instance-pools/create', { instance_pool_name: 'p1', node_type_id: 'i3.xlarge', min_idle_instances: 1, max_capacity: 5 });
    expect(c.status).toBe(200);
    const id = c.body.instance_pool_id as string;
    expect(id).toMatch(/-pool-/);
    const g = await ctx.call('GET', `/api/2.0/instance-pools/get?instance_pool_id=${id}`);
    expect(g.body).toMatchObject({ instance_pool_name: 'p1', state: 'ACTIVE', stats: { idle_count: 1 } });
    expect((await ctx.call('POST', '/api/2.0/instance-pools/edit', { instance_pool_id: id, instance_pool_name: 'p1b', node_type_id: 'i3.xlarge', max_capacity: 6 })).status).toBe(200);
    expect((await ctx.call('GET', '/api/2.0/instance-pools/list')).body.instance_pools.map((p: { instance_pool_name: string }) => p.instance_pool_name)).toEqual(['p1b']);
    const bad = await ctx.call('POST', '/api/2.0/instance-pools/create', { instance_pool_name: 'p2', node_type_id: 'no.such', max_capacity: 1 });
    expect(bad.status).toBe(400);
    expect((await ctx.call('POST', '/api/2.0/instance-pools/create', { instance_pool_name: 'p3', node_type_id: 'i3.xlarge', min_idle_instances: 4, max_capacity: 2 })).status).toBe(400);
    expect((await ctx.call('POST', '/api/2.0/instance-pools/create', { node_type_id: 'i3.xlarge' })).body.message).toBe('Missing required field: instance_pool_name');
    await ctx.call('POST', '/api/2.0/instance-pools/delete', { instance_pool_id: id });
    expect((await ctx.call('GET', `/api/2.0/instance-pools/get?instance_pool_id=${id}`)).body.state).toBe('DELETED');
    expect((await ctx.call('GET', '/api/2.0/instance-pools/list')).body.instance_pools).toBeUndefined();
    expect((await ctx.call('GET', '/api/2.0/instance-pools/get?instance_pool_id=nope')).status).toBe(400);
  });
});

describe('Libraries', () => {
  it('PENDING while the cluster starts, INSTALLING → INSTALLED/FAILED once it runs, uninstall on restart', async () => {
    const cluster = (await ctx.call('POST', '/api/2.1/clusters/create', { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 })).body.cluster_id as string;
    const libs = [{ pypi: { package: 'requests==2.32.0' } }, { pypi: { package: 'emulator-fail-pkg' } }];
    expect((await ctx.call('POST', '/api/2.0/libraries/install', { cluster_id: cluster, libraries: libs })).status).toBe(200);
    const status = async () => (await ctx.call('GET', `/api/2.0/libraries/cluster-status?cluster_id=${cluster}`)).body.library_statuses.map((s: { status: string }) => s.status);
    expect(await status()).toEqual(['PENDING', 'PENDING']);
    advance(10 * 60_000);
    expect(await status()).toEqual(['INSTALLING', 'INSTALLING']);
    advance(20_000);
    expect(await status()).toEqual(['INSTALLED', 'FAILED']);
    const failed = (await ctx.call('GET', `/api/2.0/libraries/cluster-status?cluster_id=${cluster}`)).body.library_statuses[1];
    expect(failed.messages[0]).toMatch(/emulator-fail-pkg/);
    await ctx.call('POST', '/api/2.0/libraries/uninstall', { cluster_id: cluster, libraries: [libs[0]] });
    expect((await status())[0]).toBe('UNINSTALL_ON_RESTART');
    await ctx.call('POST', '/api/2.1/clusters/delete', { cluster_id: cluster });
    advance(10 * 60_000);
    expect(await status()).toEqual(['FAILED']);
  });

  it('rejects unknown clusters and malformed libraries', async () => {
    expect((await ctx.call('POST', '/api/2.0/libraries/install', { cluster_id: 'nope', libraries: [{ jar: 'dbfs:/a.jar' }] })).status).toBe(400);
    expect((await ctx.call('POST', '/api/2.0/libraries/install', { cluster_id: 'nope', libraries: [{}] })).status).toBe(400);
    expect((await ctx.call('POST', '/api/2.0/libraries/install', { cluster_id: 'nope', libraries: [] })).status).toBe(400);
    expect((await ctx.call('GET', '/api/2.0/libraries/cluster-status?cluster_id=nope')).body.message).toMatch(/Cluster nope does not exist/);
  });
});

describe('Repos', () => {
  it('create/get/list/update/delete', async () => {
    const r = await ctx.call('POST', '/api/2.0/repos', { url: 'https://github.com/acme/etl.git', provider: 'GITHUB' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ path: '/Repos/admin@emulator.local/etl', provider: 'gitHub', branch: 'main' });
    expect(r.body.head_commit_id).toMatch(/^[0-9a-f]{40}$/);
    expect((await ctx.call('POST', '/api/2.0/repos', { url: 'https://github.com/acme/etl.git', provider: 'gitHub' })).body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    await ctx.call('PATCH', `/api/2.0/repos/${r.body.id}`, { branch: 'dev' });
    const g = await ctx.call('GET', `/api/2.0/repos/${r.body.id}`);
    expect(g.body.branch).toBe('dev');
    expect(g.body.head_commit_id).not.toBe(r.body.head_commit_id);
    await ctx.call('PATCH', `/api/2.0/repos/${r.body.id}`, { tag: 'v1' });
    expect((await ctx.call('GET', `/api/2.0/repos/${r.body.id}`)).body.branch).toBeUndefined();
    expect((await ctx.call('GET', '/api/2.0/repos?path_prefix=/Repos/admin')).body.repos).toHaveLength(1);
    expect((await ctx.call('POST', '/api/2.0/repos', { url: 'https://x/y', provider: 'svn' })).status).toBe(400);
    expect((await ctx.call('POST', '/api/2.0/repos', { url: 'https://x/y', provider: 'gitLab', path: '/Users/x/y' })).status).toBe(400);
    expect((await ctx.call('DELETE', `/api/2.0/repos/${r.body.id}`)).status).toBe(200);
    expect((await ctx.call('GET', `/api/2.0/repos/${r.body.id}`)).status).toBe(404);
  });
});
