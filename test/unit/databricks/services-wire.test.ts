/** Wire shapes (method, path, query, body) of services checked against the API reference. */
import { afterEach, describe, expect, it } from 'vitest';
import { harness, recordRequests as record, type Harness } from './helpers.js';

let h: Harness = undefined as unknown as Harness;
afterEach(async () => {
  await h?.agent.close();
  h = undefined as unknown as Harness;
});

describe('service wire shapes', () => {
  it('instance pools', async () => {
    h = harness();
    const seen = record(h, { instance_pool_id: 'p1' });
    await h.client.instancePools.create({ instance_pool_name: 'pool', node_type_id: 'm5d.large', min_idle_instances: 1 });
    await h.client.instancePools.edit({ instance_pool_id: 'p1', instance_pool_name: 'pool2', node_type_id: 'm5d.large' });
    await h.client.instancePools.get({ instance_pool_id: 'p1' });
    await h.client.instancePools.delete({ instance_pool_id: 'p1' });
    expect(seen).toEqual([
      { method: 'POST', path: '/api/2.0/instance-pools/create', body: { instance_pool_name: 'pool', node_type_id: 'm5d.large', min_idle_instances: 1 } },
      { method: 'POST', path: '/api/2.0/instance-pools/edit', body: { instance_pool_id: 'p1', instance_pool_name: 'pool2', node_type_id: 'm5d.large' } },
      { method: 'GET', path: '/api/2.0/instance-pools/get?instance_pool_id=p1', body: undefined },
      { method: 'POST', path: '/api/2.0/instance-pools/delete', body: { instance_pool_id: 'p1' } },
    ]);
  });

  it('cluster policies and policy families', async () => {
    h = harness();
    const seen = record(h, { policy_id: 'ABC' });
    const definition = '{"num_workers":{"type":"range","maxValue":2}}';
    await h.client.clusterPolicies.create({ name: 'small', definition, max_clusters_per_user: 2 });
    await h.client.clusterPolicies.edit({ policy_id: 'ABC', name: 'small', definition: '{}' });
    await h.client.clusterPolicies.get({ policy_id: 'ABC' });
    await h.client.clusterPolicies.listPage({ sort_column: 'POLICY_NAME', sort_order: 'DESC' });
    await h.client.clusterPolicies.delete({ policy_id: 'ABC' });
    await h.client.clusterPolicies.getFamily({ policy_family_id: 'personal-vm' });
    await h.client.clusterPolicies.listFamiliesPage({ max_results: 5 });
    expect(seen).toEqual([
      { method: 'POST', path: '/api/2.0/policies/clusters/create', body: { name: 'small', definition, max_clusters_per_user: 2 } },
      { method: 'POST', path: '/api/2.0/policies/clusters/edit', body: { policy_id: 'ABC', name: 'small', definition: '{}' } },
      { method: 'GET', path: '/api/2.0/policies/clusters/get?policy_id=ABC', body: undefined },
      { method: 'GET', path: '/api/2.0/policies/clusters/list?sort_column=POLICY_NAME&sort_order=DESC', body: undefined },
      { method: 'POST', path: '/api/2.0/policies/clusters/delete', body: { policy_id: 'ABC' } },
      { method: 'GET', path: '/api/2.0/policy-families/personal-vm', body: undefined },
      { method: 'GET', path: '/api/2.0/policy-families?max_results=5', body: undefined },
    ]);
    // A definition that is not JSON fails before anything is sent.
    await expect(h.client.clusterPolicies.create({ name: 'x', definition: '{oops' })).rejects.toThrow(/definition.*JSON/);
    expect(seen).toHaveLength(7);
  });

  it('libraries', async () => {
    h = harness();
    const seen = record(h);
    const libraries = [{ pypi: { package: 'requests==2.32.0' } }, { maven: { coordinates: 'org.x:y:1.0' } }, { whl: '/Volumes/c/s/v/a.whl' }];
    await h.client.libraries.install({ cluster_id: 'c1', libraries });
    await h.client.libraries.uninstall({ cluster_id: 'c1', libraries: [{ jar: 'dbfs:/a.jar' }] });
    await h.client.libraries.clusterStatus({ cluster_id: 'c1' });
    await h.client.libraries.allClusterStatuses();
    expect(seen).toEqual([
      { method: 'POST', path: '/api/2.0/libraries/install', body: { cluster_id: 'c1', libraries } },
      { method: 'POST', path: '/api/2.0/libraries/uninstall', body: { cluster_id: 'c1', libraries: [{ jar: 'dbfs:/a.jar' }] } },
      { method: 'GET', path: '/api/2.0/libraries/cluster-status?cluster_id=c1', body: undefined },
      { method: 'GET', path: '/api/2.0/libraries/all-cluster-statuses', body: undefined },
    ]);
  });

  it('repos', async () => {
    h = harness();
    const seen = record(h, { id: 7 });
    await h.client.repos.create({ url: 'https://github.com/o/r.git', provider: 'gitHub', path: '/Repos/me/r' });
    await h.client.repos.get({ repo_id: 7 });
    await h.client.repos.update({ repo_id: '7', tag: 'v1.0' });
    await h.client.repos.delete({ repo_id: 7 });
    expect(seen).toEqual([
      { method: 'POST', path: '/api/2.0/repos', body: { url: 'https://github.com/o/r.git', provider: 'gitHub', path: '/Repos/me/r' } },
      { method: 'GET', path: '/api/2.0/repos/7', body: undefined },
      { method: 'PATCH', path: '/api/2.0/repos/7', body: { tag: 'v1.0' } },
      { method: 'DELETE', path: '/api/2.0/repos/7', body: undefined },
    ]);
  });

  it('permissions, tokens, warehouses, statements', async () => {
    h = harness();
    const seen = record(h, { statement_id: 's', status: { state: 'SUCCEEDED' } });
    const acl = [{ group_name: 'data-eng', permission_level: 'CAN_MANAGE_RUN' }];
    await h.client.permissions.set({ object_type: 'jobs', object_id: '123', access_control_list: acl });
    await h.client.permissions.update({ object_type: 'jobs', object_id: '123', access_control_list: acl });
    await h.client.permissions.getPermissionLevels({ object_type: 'jobs', object_id: '123' });
    await h.client.tokens.create({ comment: 'ci', lifetime_seconds: 600 });
    await h.client.tokens.revoke({ token_id: 't1' });
    await h.client.warehouses.edit({ id: 'w1', auto_stop_mins: 0 });
    await h.client.warehouses.delete({ id: 'w1' });
    await h.client.statements.cancel({ statement_id: 's' });
    await h.client.statements.getChunk({ statement_id: 's', chunk_index: 3 });
    expect(seen).toEqual([
      { method: 'PUT', path: '/api/2.0/permissions/jobs/123', body: { access_control_list: acl } },
      { method: 'PATCH', path: '/api/2.0/permissions/jobs/123', body: { access_control_list: acl } },
      { method: 'GET', path: '/api/2.0/permissions/jobs/123/permissionLevels', body: undefined },
      { method: 'POST', path: '/api/2.0/token/create', body: { comment: 'ci', lifetime_seconds: 600 } },
      { method: 'POST', path: '/api/2.0/token/delete', body: { token_id: 't1' } },
      { method: 'POST', path: '/api/2.0/sql/warehouses/w1/edit', body: { auto_stop_mins: 0 } },
      { method: 'DELETE', path: '/api/2.0/sql/warehouses/w1', body: undefined },
      { method: 'POST', path: '/api/2.0/sql/statements/s/cancel', body: undefined },
      { method: 'GET', path: '/api/2.0/sql/statements/s/result/chunks/3', body: undefined },
    ]);
  });

  it('token management: filters in the query, token ids in the path, OBO create in the body', async () => {
    h = harness();
    const seen = record(h, { token_value: 'v', token_info: { token_id: 't/1' } });
    await h.client.tokenManagement.list({ created_by_id: 42, created_by_username: 'a@b.c' }).toArray();
    await h.client.tokenManagement.list().toArray();
    await h.client.tokenManagement.get({ token_id: 't/1' });
    await h.client.tokenManagement.delete({ token_id: 't1' });
    await h.client.tokenManagement.createOboToken({ application_id: 'app-1', lifetime_seconds: 60, comment: 'c' });
    expect(seen).toEqual([
      { method: 'GET', path: '/api/2.0/token-management/tokens?created_by_id=42&created_by_username=a%40b.c', body: undefined },
      { method: 'GET', path: '/api/2.0/token-management/tokens', body: undefined },
      { method: 'GET', path: '/api/2.0/token-management/tokens/t%2F1', body: undefined },
      { method: 'DELETE', path: '/api/2.0/token-management/tokens/t1', body: undefined },
      { method: 'POST', path: '/api/2.0/token-management/on-behalf-of/tokens', body: { application_id: 'app-1', lifetime_seconds: 60, comment: 'c' } },
    ]);
  });

  it('Unity Catalog paths carry full names, PATCH bodies, DELETE options in the query', async () => {
    h = harness();
    const seen = record(h, { name: 'x' });
    await h.client.tables.get({ full_name: 'main.sales.orders', include_delta_metadata: true });
    await h.client.tables.update({ full_name: 'main.sales.orders', owner: 'data-eng' });
    await h.client.schemas.update({ full_name: 'main.sales', new_name: 'sales2' });
    await h.client.catalogs.delete({ name: 'main', force: true });
    expect(seen).toEqual([
      { method: 'GET', path: '/api/2.1/unity-catalog/tables/main.sales.orders?include_delta_metadata=true', body: undefined },
      { method: 'PATCH', path: '/api/2.1/unity-catalog/tables/main.sales.orders', body: { owner: 'data-eng' } },
      { method: 'PATCH', path: '/api/2.1/unity-catalog/schemas/main.sales', body: { new_name: 'sales2' } },
      { method: 'DELETE', path: '/api/2.1/unity-catalog/catalogs/main?force=true', body: undefined },
    ]);
  });

  it('jobs list sends page_size as the API limit, and cluster list filters flatten', async () => {
    h = harness();
    const seen = record(h, {});
    await h.client.jobs.list({ page_size: 25, expand_tasks: true }).toArray();
    await h.client.clusters.list({ filter_by: { cluster_states: ['RUNNING', 'PENDING'], is_pinned: true }, page_size: 1 }).toArray();
    expect(seen.map((s) => s.path)).toEqual([
      '/api/2.2/jobs/list?expand_tasks=true&limit=25',
      '/api/2.1/clusters/list?page_size=1&filter_by.cluster_states=RUNNING&filter_by.cluster_states=PENDING&filter_by.is_pinned=true',
    ]);
  });
});
