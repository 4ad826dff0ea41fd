import { WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatementsApi } from '../../../src/emulator/services/statements/index.js';
import { emulator } from './client.js';

/** The official JS SDK, unmodified, against the emulator. Where they disagree, the emulator is wrong. */
let ctx: Awaited<ReturnType<typeof emulator>>;
const sdk = (token: string) => new WorkspaceClient({ host: ctx.emu.url, token, authType: 'pat' });

beforeAll(async () => {
  ctx = await emulator({ oauthClients: [{ clientId: 'ci-app', clientSecret: 'ci-secret-123456' }] });
});
afterAll(() => ctx.emu.close());

describe('official SDK: warehouses, statements, Unity Catalog, tokens, OAuth M2M', () => {
  let warehouseId: string;

  it('creates a warehouse and waits for RUNNING', async () => {
    const w = sdk('dapi-admin');
    const waiter = await w.warehouses.create({ name: 'sdk-wh', cluster_size: '2X-Small', auto_stop_mins: 10, max_num_clusters: 1 });
    const running = await waiter.wait();
    expect(running.state).toBe('RUNNING');
    warehouseId = running.id!;
    const listed: string[] = [];
    for await (const x of w.warehouses.list({})) listed.push(x.id!);
    expect(listed).toContain(warehouseId);
    await (await w.warehouses.stop({ id: warehouseId })).wait();
    expect((await w.warehouses.get({ id: warehouseId })).state).toBe('STOPPED');
    const restarted = await (await w.warehouses.start({ id: warehouseId })).wait();
    expect(restarted.state).toBe('RUNNING');
  });

  it('executes a statement and fetches further chunks', async () => {
    const w = sdk('dapi-admin');
    ctx.emu.service<StatementsApi>('statements')!.setChunkLimits({ maxRows: 3 });
    try {
      const r = await w.statementExecution.executeStatement({
        warehouse_id: warehouseId,
        statement: 'SELECT range AS n, :tag AS tag FROM range(7) ORDER BY n',
        parameters: [{ name: 'tag', value: 'x' }],
        wait_timeout: '30s',
      });
      expect(r.status?.state).toBe('SUCCEEDED');
      expect(r.manifest?.total_row_count).toBe(7);
      expect(r.manifest?.schema?.columns?.map((c) => c.type_name)).toEqual(['LONG', 'STRING']);
      const rows = [...(r.result?.data_array ?? [])];
      let next = r.result?.next_chunk_index;
      while (next !== undefined) {
        const chunk = await w.statementExecution.getStatementResultChunkN({ statement_id: r.statement_id!, chunk_index: next });
        rows.push(...(chunk.data_array ?? []));
        next = chunk.next_chunk_index;
      }
      expect(rows.map((x) => x[0])).toEqual(['0', '1', '2', '3', '4', '5', '6']);
      const failed = await w.statementExecution.executeStatement({ warehouse_id: warehouseId, statement: 'SELECT * FROM nowhere', wait_timeout: '30s' });
      expect(failed.status?.state).toBe('FAILED');
      expect(failed.status?.error?.message).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
    } finally {
      ctx.emu.service<StatementsApi>('statements')!.setChunkLimits({ maxRows: 65_536 });
    }
  });

  it('lists Unity Catalog catalogs, schemas (paged) and tables created through SQL', async () => {
    const w = sdk('dapi-admin');
    await w.statementExecution.executeStatement({
      warehouse_id: warehouseId,
      statement: 'CREATE CATALOG sdk_cat',
      wait_timeout: '30s',
    });
    for (const s of ['a', 'b', 'c']) await w.schemas.create({ name: s, catalog_name: 'sdk_cat' });
    await w.statementExecution.executeStatement({ warehouse_id: warehouseId, statement: 'CREATE TABLE sdk_cat.a.t1 (id INT, name STRING)', wait_timeout: '30s' });
    const catalogs: string[] = [];
    for await (const c of w.catalogs.list({})) catalogs.push(c.name!);
    expect(catalogs).toEqual(expect.arrayContaining(['main', 'hive_metastore', 'sdk_cat']));
    const schemas: string[] = [];
    for await (const s of w.schemas.list({ catalog_name: 'sdk_cat', max_results: 2 })) schemas.push(s.name!);
    expect(schemas.sort()).toEqual(['a', 'b', 'c', 'default']);
    const tables = [];
    for await (const t of w.tables.list({ catalog_name: 'sdk_cat', schema_name: 'a' })) tables.push(t);
    expect(tables.map((t) => [t.full_name, t.columns?.map((c) => c.type_name)])).toEqual([['sdk_cat.a.t1', ['INT', 'STRING']]]);
    expect((await w.tables.get({ full_name: 'sdk_cat.a.t1' })).table_type).toBe('MANAGED');
  });

  it('creates a token that authenticates, lists it, and revokes it', async () => {
    const w = sdk('dapi-admin');
    const created = await w.tokens.create({ comment: 'sdk', lifetime_seconds: 3600 });
    const mine = sdk(created.token_value!);
    const infos = [];
    for await (const t of mine.tokens.list()) infos.push(t);
    expect(infos.map((t) => t.comment)).toEqual(['sdk']);
    await w.tokens.delete({ token_id: created.token_info!.token_id! });
    await expect(async () => {
      for await (const _ of mine.tokens.list()) void _;
    }).rejects.toMatchObject({ statusCode: 401 });
  });

  it('authenticates with OAuth M2M client credentials', async () => {
    const w = new WorkspaceClient({ host: ctx.emu.url, clientId: 'ci-app', clientSecret: 'ci-secret-123456', authType: 'oauth-m2m' });
    // The service principal may not use the admin's warehouse until granted CAN_USE (PUT: the SDK drops PATCH bodies).
    await expect(w.warehouses.get({ id: warehouseId })).rejects.toMatchObject({ statusCode: 403 });
    await sdk('dapi-admin').permissions.set({
      request_object_type: 'warehouses',
      request_object_id: warehouseId,
      access_control_list: [{ service_principal_name: 'ci-app', permission_level: 'CAN_USE' }],
    });
    const r = await w.statementExecution.executeStatement({ warehouse_id: warehouseId, statement: 'SELECT current_user()', wait_timeout: '30s' });
    expect(r.result?.data_array).toEqual([['ci-app']]);
    const bad = new WorkspaceClient({ host: ctx.emu.url, clientId: 'ci-app', clientSecret: 'wrong', authType: 'oauth-m2m' });
    await expect(bad.warehouses.get({ id: warehouseId })).rejects.toThrow();
  });

  it('instance pools, libraries and repos through the SDK', async () => {
    const w = sdk('dapi-admin');
    const pool = await w.instancePools.create({ instance_pool_name: 'sdk-pool', node_type_id: 'i3.xlarge', max_capacity: 4 });
    expect((await w.instancePools.get({ instance_pool_id: pool.instance_pool_id! })).state).toBe('ACTIVE');
    const pools = [];
    for await (const p of w.instancePools.list()) pools.push(p.instance_pool_name);
    expect(pools).toEqual(['sdk-pool']);
    await w.instancePools.delete({ instance_pool_id: pool.instance_pool_id! });

    const cluster = await (await w.clusters.create({ spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 })).wait();
    await w.libraries.install({ cluster_id: cluster.cluster_id!, libraries: [{ pypi: { package: 'pandas' } }] });
    let statuses: string[] = [];
    for (let i = 0; i < 50 && statuses[0] !== 'INSTALLED'; i++) {
      statuses = [];
      for await (const l of w.libraries.clusterStatus({ cluster_id: cluster.cluster_id! })) statuses.push(l.status!);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(statuses).toEqual(['INSTALLED']);

    const repo = await w.repos.create({ url: 'https://github.com/acme/pipelines', provider: 'gitHub', path: '/Repos/team/pipelines' });
    expect(repo.branch).toBe('main');
    const repos = [];
    for await (const r of w.repos.list({ path_prefix: '/Repos/team' })) repos.push(r.path);
    expect(repos).toEqual(['/Repos/team/pipelines']);
    await w.repos.delete({ repo_id: repo.id! });
    await expect(w.repos.get({ repo_id: repo.id! })).rejects.toMatchObject({ statusCode: 404 });
  });
});

