import { describe, expect, it } from 'vitest';
import { NotFoundError, type LibraryFullStatus } from '../../../src/databricks/index.js';
import { until, useEmulator } from './emulator.js';

const ctx = useEmulator();

describe('instance pools against the emulator', () => {
  it('create / get / list / edit / delete', async () => {
    const { instance_pool_id } = await ctx.client.instancePools.create({ instance_pool_name: 'it-pool', node_type_id: 'm5d.large', min_idle_instances: 1, max_capacity: 10 });
    const pool = await ctx.client.instancePools.get({ instance_pool_id });
    expect(pool).toMatchObject({ instance_pool_name: 'it-pool', state: 'ACTIVE', max_capacity: 10 });
    expect((await ctx.client.instancePools.list().toArray()).map((p) => p.instance_pool_id)).toContain(instance_pool_id);
    await ctx.client.instancePools.edit({ instance_pool_id, instance_pool_name: 'it-pool-2', node_type_id: 'm5d.large', max_capacity: 20 });
    expect(await ctx.client.instancePools.get({ instance_pool_id })).toMatchObject({ instance_pool_name: 'it-pool-2', max_capacity: 20 });
    await ctx.client.instancePools.delete({ instance_pool_id });
    const after = await ctx.client.instancePools.get({ instance_pool_id }).then(
      (p) => p.state,
      (e: unknown) => (e instanceof NotFoundError ? 'NOT_FOUND' : e),
    );
    expect(['DELETED', 'NOT_FOUND']).toContain(after);
  });
});

describe('libraries against the emulator', () => {
  it('install on a running cluster reaches INSTALLED; uninstall marks UNINSTALL_ON_RESTART', async () => {
    const { cluster_id } = await ctx.client.clusters.create({ spark_version: '16.4.x-scala2.12', node_type_id: 'm5d.large', num_workers: 1 });
    await until(() => ctx.client.clusters.get({ cluster_id }), (c) => c.state === 'RUNNING');
    const lib = { pypi: { package: 'requests==2.32.0' } };
    await ctx.client.libraries.install({ cluster_id, libraries: [lib, { jar: 'dbfs:/FileStore/jars/a.jar' }] });
    const statusOf = (s: { library_statuses?: LibraryFullStatus[] }) => s.library_statuses?.find((l) => l.library?.pypi?.package === 'requests==2.32.0')?.status;
    const installed = await until(() => ctx.client.libraries.clusterStatus({ cluster_id }), (s) => statusOf(s) === 'INSTALLED');
    expect(installed.library_statuses).toHaveLength(2);
    const all = await ctx.client.libraries.allClusterStatuses();
    expect(all.statuses?.map((s) => s.cluster_id)).toContain(cluster_id);
    await ctx.client.libraries.uninstall({ cluster_id, libraries: [lib] });
    expect(statusOf(await ctx.client.libraries.clusterStatus({ cluster_id }))).toBe('UNINSTALL_ON_RESTART');
  });
});

describe('repos against the emulator', () => {
  it('create / get / list by prefix / update branch (PATCH body) / delete', async () => {
    const created = [];
    for (let i = 0; i < 3; i++) {
      created.push(await ctx.client.repos.create({ url: `https://github.com/acme/r${i}.git`, provider: 'gitHub', path: `/Repos/it@example.com/r${i}` }));
    }
    const first = created[0]!;
    expect(first).toMatchObject({ path: '/Repos/it@example.com/r0', provider: 'gitHub' });
    expect((await ctx.client.repos.get({ repo_id: first.id })).url).toBe('https://github.com/acme/r0.git');
    const listed = await ctx.client.repos.list({ path_prefix: '/Repos/it@example.com' }).toArray();
    expect(listed.map((r) => r.id).sort()).toEqual(created.map((r) => r.id).sort());
    await ctx.client.repos.update({ repo_id: first.id, branch: 'feature-x' });
    expect((await ctx.client.repos.get({ repo_id: first.id })).branch).toBe('feature-x');
    await ctx.client.repos.delete({ repo_id: first.id });
    await expect(ctx.client.repos.get({ repo_id: first.id })).rejects.toBeInstanceOf(NotFoundError);
  });
});
