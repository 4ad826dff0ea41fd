import { describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, type LibraryFullStatus } from '../../../src/databricks/index.js';
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

describe('cluster policies against the emulator', () => {
  it('create / get / list / edit / delete, families by iterator, and a cluster governed by the policy', async () => {
    const definition = JSON.stringify({ num_workers: { type: 'range', maxValue: 2 }, autotermination_minutes: { type: 'unlimited', defaultValue: 45, isOptional: true } });
    const { policy_id } = await ctx.client.clusterPolicies.create({ name: 'it-policy', definition, description: 'small clusters' });
    expect(await ctx.client.clusterPolicies.get({ policy_id })).toMatchObject({ policy_id, name: 'it-policy', definition, description: 'small clusters' });
    expect((await ctx.client.clusterPolicies.list({ sort_column: 'POLICY_NAME' }).toArray()).map((p) => p.policy_id)).toContain(policy_id);

    const spec = { spark_version: '16.4.x-scala2.12', node_type_id: 'm5d.large', policy_id, apply_policy_default_values: true };
    const { cluster_id } = await ctx.client.clusters.create({ ...spec, num_workers: 2 });
    expect(await ctx.client.clusters.get({ cluster_id })).toMatchObject({ policy_id, autotermination_minutes: 45 });
    const rejected = await ctx.client.clusters.create({ ...spec, num_workers: 3 }).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(BadRequestError);
    expect((rejected as BadRequestError).message).toMatch(/Validation failed for num_workers, the value cannot be greater than 2/);

    expect(await ctx.client.clusterPolicies.getCompliance({ cluster_id })).toEqual({ is_compliant: true, violations: {} });
    await ctx.client.clusterPolicies.edit({ policy_id, name: 'it-policy', definition: JSON.stringify({ num_workers: { type: 'range', maxValue: 1 } }) });
    expect(await ctx.client.clusterPolicies.listCompliance({ policy_id, page_size: 1 }).toArray()).toEqual([
      { cluster_id, is_compliant: false, violations: { num_workers: 'Validation failed for num_workers, the value cannot be greater than 1' } },
    ]);
    await ctx.client.clusterPolicies.edit({ policy_id, name: 'it-policy', definition: '{}' });
    expect((await ctx.client.clusterPolicies.get({ policy_id })).description).toBeUndefined();
    const families = await ctx.client.clusterPolicies.listFamilies({ max_results: 2 }).toArray();
    expect(families.length).toBeGreaterThan(2); // followed next_page_token past the first page of 2
    expect(await ctx.client.clusterPolicies.getFamily({ policy_family_id: families[0]!.policy_family_id })).toMatchObject({ name: families[0]!.name });

    await ctx.client.clusterPolicies.delete({ policy_id });
    await expect(ctx.client.clusterPolicies.get({ policy_id })).rejects.toBeInstanceOf(NotFoundError);
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
