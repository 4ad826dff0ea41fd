import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulator } from './client.js';

let ctx: Awaited<ReturnType<typeof emulator>>;
beforeAll(async () => {
  ctx = await emulator({ speed: 0 });
});
afterAll(() => ctx.emu.close());

const get = async (id: string) => (await ctx.call('GET', `/api/2.0/sql/warehouses/${id}`)).body;
const advance = (ms: number) => {
  ctx.emu.clock.advance(ms);
  ctx.emu.tick();
};

describe('SQL warehouses', () => {
  it('STARTING → RUNNING → (stop) STOPPING → STOPPED, start leaves STOPPED at once; health always present', async () => {
    const c = await ctx.call('POST', '/api/2.0/sql/warehouses', { name: 'lifecycle', cluster_size: 'Small', auto_stop_mins: 0 });
    const id = c.body.id as string;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    let w = await get(id);
    expect(w).toMatchObject({ state: 'STARTING', cluster_size: 'Small', min_num_clusters: 1, max_num_clusters: 1, auto_stop_mins: 0 });
    expect(typeof w.health.summary).toBe('string');
    expect(w.odbc_params.path).toBe(`/sql/1.0/warehouses/${id}`);
    advance(200_000);
    expect((await get(id)).state).toBe('RUNNING');
    await ctx.call('POST', `/api/2.0/sql/warehouses/${id}/stop`);
    expect((await get(id)).state).toBe('STOPPING');
    advance(30_000);
    w = await get(id);
    expect(w.state).toBe('STOPPED');
    expect(typeof w.health.summary).toBe('string');
    await ctx.call('POST', `/api/2.0/sql/warehouses/${id}/start`);
    expect((await get(id)).state).toBe('STARTING');
    expect((await ctx.call('DELETE', `/api/2.0/sql/warehouses/${id}`)).status).toBe(200);
    advance(20_000);
    expect((await get(id)).state).toBe('DELETED');
    expect((await ctx.call('GET', '/api/2.0/sql/warehouses')).body.warehouses.map((x: { id: string }) => x.id)).not.toContain(id);
    expect((await ctx.call('POST', `/api/2.0/sql/warehouses/${id}/start`)).status).toBe(400);
    const onDeleted = await ctx.call('POST', '/api/2.0/sql/statements', { warehouse_id: id, statement: 'SELECT 1', wait_timeout: '0s' });
    expect(onDeleted.status).toBe(404);
    expect(onDeleted.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('auto-stops after auto_stop_mins of virtual inactivity, and a statement pushes it back', async () => {
    const id = (await ctx.call('POST', '/api/2.0/sql/warehouses', { name: 'auto', auto_stop_mins: 10, enable_serverless_compute: true, warehouse_type: 'PRO' })).body.id as string;
    advance(10_000);
    expect((await get(id)).state).toBe('RUNNING');
    advance(9 * 60_000);
    expect((await ctx.call('POST', '/api/2.0/sql/statements', { warehouse_id: id, statement: 'SELECT 1', wait_timeout: '5s' })).body.status.state).toBe('SUCCEEDED');
    advance(9 * 60_000);
    expect((await get(id)).state).toBe('RUNNING');
    advance(2 * 60_000);
    expect((await get(id)).state).toBe('STOPPING');
  });

  it('validates cluster_size, auto_stop_mins, min/max clusters and serverless; a rejected edit changes nothing', async () => {
    const bad = [
      [{ name: 'a', cluster_size: 'Huge' }, /cluster_size/],
      [{ name: 'a', auto_stop_mins: 5 }, /auto_stop_mins/],
      [{ name: 'a', min_num_clusters: 3, max_num_clusters: 2 }, /min_num_clusters/],
      [{ name: 'a', max_num_clusters: 41 }, /max_num_clusters/],
      [{ name: 'a', enable_serverless_compute: true, warehouse_type: 'CLASSIC' }, /PRO/],
      [{}, /name/],
    ] as const;
    for (const [body, message] of bad) {
      const r = await ctx.call('POST', '/api/2.0/sql/warehouses', body);
      expect(r.status).toBe(400);
      expect(r.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(r.body.message).toMatch(message);
    }
    const id = (await ctx.call('POST', '/api/2.0/sql/warehouses', { name: 'edit-me', auto_stop_mins: 30 })).body.id as string;
    expect((await ctx.call('POST', `/api/2.0/sql/warehouses/${id}/edit`, { auto_stop_mins: 3 })).status).toBe(400);
    expect((await get(id)).auto_stop_mins).toBe(30);
    expect((await ctx.call('POST', `/api/2.0/sql/warehouses/${id}/edit`, { cluster_size: 'Large' })).status).toBe(200);
    expect((await get(id)).cluster_size).toBe('Large');
    expect((await ctx.call('POST', '/api/2.0/sql/warehouses', { name: 'edit-me' })).status).toBe(400);
    const missing = await ctx.call('GET', '/api/2.0/sql/warehouses/0123456789abcdef');
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('lists with page_size/page_token', async () => {
    const all = (await ctx.call('GET', '/api/2.0/sql/warehouses')).body.warehouses as { id: string }[];
    const first = await ctx.call('GET', '/api/2.0/sql/warehouses?page_size=1');
    expect(first.body.warehouses).toHaveLength(1);
    const second = await ctx.call('GET', `/api/2.0/sql/warehouses?page_size=100&page_token=${first.body.next_page_token}`);
    expect([...first.body.warehouses, ...second.body.warehouses].map((w: { id: string }) => w.id)).toEqual(all.map((w) => w.id));
    expect((await ctx.call('GET', '/api/2.0/sql/warehouses?page_token=garbage')).status).toBe(400);
  });
});

describe('Unity Catalog REST', () => {
  it('create/get/list/delete catalogs, schemas and tables; full names; errors', async () => {
    const cat = await ctx.call('POST', '/api/2.1/unity-catalog/catalogs', { name: 'Sales', comment: 'c' });
    expect(cat.status).toBe(200);
    expect(cat.body).toMatchObject({ name: 'sales', full_name: 'sales', comment: 'c', catalog_type: 'MANAGED_CATALOG' });
    expect((await ctx.call('POST', '/api/2.1/unity-catalog/catalogs', { name: 'sales' })).status).toBe(409);
    const sch = await ctx.call('POST', '/api/2.1/unity-catalog/schemas', { name: 'bronze', catalog_name: 'sales' });
    expect(sch.body).toMatchObject({ full_name: 'sales.bronze', catalog_name: 'sales' });
    const tbl = await ctx.call('POST', '/api/2.1/unity-catalog/tables', {
      name: 'orders', catalog_name: 'sales', schema_name: 'bronze', table_type: 'MANAGED', data_source_format: 'DELTA', storage_location: 's3://b/o',
      columns: [{ name: 'id', type_name: 'LONG', type_text: 'bigint' }, { name: 'amount', type_text: 'decimal(10,2)' }],
    });
    expect(tbl.status).toBe(200);
    expect(tbl.body).toMatchObject({ full_name: 'sales.bronze.orders', table_type: 'MANAGED', data_source_format: 'DELTA' });
    expect(tbl.body.columns.map((c: { type_text: string }) => c.type_text)).toEqual(['bigint', 'decimal(10,2)']);
    expect((await ctx.call('GET', '/api/2.1/unity-catalog/tables/sales.bronze.orders/exists')).body).toEqual({ table_exists: true });
    expect((await ctx.call('GET', '/api/2.1/unity-catalog/tables?catalog_name=sales&schema_name=bronze')).body.tables).toHaveLength(1);
    expect((await ctx.call('DELETE', '/api/2.1/unity-catalog/catalogs/sales')).status).toBe(400);
    expect((await ctx.call('DELETE', '/api/2.1/unity-catalog/tables/sales.bronze.orders')).status).toBe(200);
    expect((await ctx.call('GET', '/api/2.1/unity-catalog/tables/sales.bronze.orders')).body.error_code).toBe('TABLE_DOES_NOT_EXIST');
    expect((await ctx.call('DELETE', '/api/2.1/unity-catalog/catalogs/sales?force=true')).status).toBe(200);
    const gone = await ctx.call('GET', '/api/2.1/unity-catalog/catalogs/sales');
    expect(gone.status).toBe(404);
    expect(gone.body.error_code).toBe('CATALOG_DOES_NOT_EXIST');
    expect((await ctx.call('GET', '/api/2.1/unity-catalog/schemas/nocat.x')).body.error_code).toBe('CATALOG_DOES_NOT_EXIST');
    expect((await ctx.call('GET', '/api/2.1/unity-catalog/schemas')).body.message).toBe('Missing required field: catalog_name');
  });

  it('rejects bad table requests without creating anything', async () => {
    const base = { name: 't', catalog_name: 'main', schema_name: 'default', table_type: 'MANAGED', data_source_format: 'DELTA', storage_location: 'x' };
    expect((await ctx.call('POST', '/api/2.1/unity-catalog/tables', { ...base, table_type: 'VIEWISH' })).status).toBe(400);
    expect((await ctx.call('POST', '/api/2.1/unity-catalog/tables', { ...base, columns: [{ name: 'a', type_text: 'wibble' }] })).status).toBe(400);
    expect((await ctx.call('POST', '/api/2.1/unity-catalog/tables', { ...base, columns: [] })).status).toBe(400);
    expect((await ctx.call('GET', '/api/2.1/unity-catalog/tables/main.default.t/exists')).body.table_exists).toBe(false);
  });

  it('paginates with max_results/page_token and never returns an empty non-final page', async () => {
    for (let i = 0; i < 5; i++) await ctx.call('POST', '/api/2.1/unity-catalog/schemas', { name: `s${i}`, catalog_name: 'hive_metastore' });
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await ctx.call('GET', `/api/2.1/unity-catalog/schemas?catalog_name=hive_metastore&max_results=2${token ? `&page_token=${token}` : ''}`);
      expect(r.body.schemas.length).toBeGreaterThan(0);
      names.push(...r.body.schemas.map((s: { name: string }) => s.name));
      token = r.body.next_page_token as string | undefined;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(names.sort()).toEqual(['default', 's0', 's1', 's2', 's3', 's4']);
    expect((await ctx.call('GET', '/api/2.1/unity-catalog/catalogs?max_results=-1')).status).toBe(400);
    expect((await ctx.call('GET', '/api/2.1/unity-catalog/catalogs')).body.next_page_token).toBeUndefined();
  });

  it('table-summaries: a catalog\'s tables across schemas, filtered by LIKE patterns, paged; an unknown catalog is 404', async () => {
    const T = '/api/2.1/unity-catalog';
    await ctx.call('POST', `${T}/catalogs`, { name: 'shop' });
    for (const schema of ['raw', 'gold']) await ctx.call('POST', `${T}/schemas`, { name: schema, catalog_name: 'shop' });
    const table = (schema: string, name: string, external = false) =>
      ctx.call('POST', `${T}/tables`, { name, catalog_name: 'shop', schema_name: schema, table_type: external ? 'EXTERNAL' : 'MANAGED', data_source_format: 'DELTA', storage_location: `s3://b/${name}`, columns: [{ name: 'id', type_text: 'bigint' }] });
    for (const [schema, name, ext] of [['raw', 'orders_2024', true], ['raw', 'orders_2025', false], ['raw', 'customers', false], ['gold', 'daily_sales', false]] as const) {
      expect((await table(schema, name, ext)).status).toBe(200);
    }
    const summaries = async (query: string) => {
      const r = await ctx.call('GET', `${T}/table-summaries?catalog_name=shop${query}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body as { tables?: { full_name: string; table_type: string }[]; next_page_token?: string };
    };
    expect((await summaries('')).tables).toEqual([
      { full_name: 'shop.gold.daily_sales', table_type: 'MANAGED' },
      { full_name: 'shop.raw.customers', table_type: 'MANAGED' },
      { full_name: 'shop.raw.orders_2024', table_type: 'EXTERNAL' },
      { full_name: 'shop.raw.orders_2025', table_type: 'MANAGED' },
    ]);
    expect((await summaries('&schema_name_pattern=ra%')).tables?.map((t) => t.full_name)).toEqual(['shop.raw.customers', 'shop.raw.orders_2024', 'shop.raw.orders_2025']);
    expect((await summaries('&table_name_pattern=orders_202_')).tables?.map((t) => t.full_name)).toEqual(['shop.raw.orders_2024', 'shop.raw.orders_2025']);
    // `_` is one character, not a literal underscore only, and a pattern matches the whole name.
    expect((await summaries('&table_name_pattern=orders')).tables).toEqual([]);
    expect((await summaries('&schema_name_pattern=GOLD&table_name_pattern=%25sales')).tables?.map((t) => t.full_name)).toEqual(['shop.gold.daily_sales']);

    const first = await summaries('&max_results=3');
    expect(first.tables).toHaveLength(3);
    const rest = await summaries(`&max_results=3&page_token=${first.next_page_token}`);
    expect(rest.tables?.map((t) => t.full_name)).toEqual(['shop.raw.orders_2025']);
    expect(rest.next_page_token).toBeUndefined();

    expect((await ctx.call('GET', `${T}/table-summaries?catalog_name=shop&max_results=-1`)).status).toBe(400);
    expect((await ctx.call('GET', `${T}/table-summaries`)).body.message).toBe('Missing required field: catalog_name');
    const unknown = await ctx.call('GET', `${T}/table-summaries?catalog_name=nowhere`);
    expect({ status: unknown.status, code: unknown.body.error_code }).toEqual({ status: 404, code: 'CATALOG_DOES_NOT_EXIST' });
    await ctx.call('DELETE', `${T}/catalogs/shop?force=true`);
  });

  it('the one metastore: current assignment, summary, list and get agree with the catalogs; managing metastores is 501', async () => {
    const T = '/api/2.1/unity-catalog';
    const catalogMetastore = (await ctx.call('GET', `${T}/catalogs/main`)).body.metastore_id as string;
    const workspaceId = Number((await ctx.call('GET', '/.well-known/databricks-config')).body.workspace_id);
    const current = await ctx.call('GET', `${T}/current-metastore-assignment`);
    expect(current.body).toEqual({ workspace_id: workspaceId, metastore_id: catalogMetastore, default_catalog_name: 'main' });
    const summary = (await ctx.call('GET', `${T}/metastore_summary`)).body;
    expect(summary).toMatchObject({ metastore_id: catalogMetastore, cloud: 'aws', region: 'us-west-2', global_metastore_id: `aws:us-west-2:${catalogMetastore}` });
    expect((await ctx.call('GET', `${T}/metastores`)).body).toEqual({ metastores: [summary] });
    expect((await ctx.call('GET', `${T}/metastores/${catalogMetastore}`)).body).toEqual(summary);
    const unknown = await ctx.call('GET', `${T}/metastores/00000000-0000-4000-a000-000000000000`);
    expect({ status: unknown.status, body: unknown.body }).toEqual({ status: 404, body: { error_code: 'METASTORE_DOES_NOT_EXIST', message: "Metastore '00000000-0000-4000-a000-000000000000' does not exist." } });
    for (const [method, path] of [['POST', '/metastores'], ['PATCH', `/metastores/${catalogMetastore}`], ['DELETE', `/metastores/${catalogMetastore}`], ['PUT', `/workspaces/${workspaceId}/metastore`]] as const) {
      const r = await ctx.call(method, `${T}${path}`, method === 'DELETE' ? undefined : { name: 'other' });
      expect({ method, status: r.status, code: r.body.error_code }).toEqual({ method, status: 501, code: 'NOT_IMPLEMENTED' });
    }
    expect((await ctx.call('GET', `${T}/metastore_summary`)).body).toEqual(summary);
  });

  it('POST /_emulator/reset empties the catalog back to the defaults', async () => {
    await ctx.call('POST', '/api/2.1/unity-catalog/catalogs', { name: 'temp_cat' });
    await ctx.call('POST', '/_emulator/reset');
    const names = (await ctx.call('GET', '/api/2.1/unity-catalog/catalogs')).body.catalogs.map((c: { name: string }) => c.name);
    expect(names.sort()).toEqual(['hive_metastore', 'main']);
  });
});
