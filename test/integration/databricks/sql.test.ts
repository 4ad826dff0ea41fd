import { describe, expect, it } from 'vitest';
import { NotFoundError, StatementExecutionError } from '../../../src/databricks/index.js';
import { until, useEmulator } from './emulator.js';

const ctx = useEmulator();

describe('warehouses, statements and Unity Catalog against the emulator', () => {
  let warehouseId = '';

  it('warehouse lifecycle: create → RUNNING → stop → start → edit → delete', async () => {
    const { id } = await ctx.client.warehouses.create({ name: 'it-wh', cluster_size: 'X-Small', auto_stop_mins: 10, max_num_clusters: 1 });
    warehouseId = id;
    const w = await until(() => ctx.client.warehouses.get({ id }), (x) => x.state === 'RUNNING');
    expect(w.health?.status).toBeDefined();
    await ctx.client.warehouses.stop({ id });
    await until(() => ctx.client.warehouses.get({ id }), (x) => x.state === 'STOPPED');
    await ctx.client.warehouses.start({ id });
    await until(() => ctx.client.warehouses.get({ id }), (x) => x.state === 'RUNNING');
    await ctx.client.warehouses.edit({ id, name: 'it-wh-renamed', auto_stop_mins: 20 });
    expect((await ctx.client.warehouses.get({ id })).name).toBe('it-wh-renamed');
    expect((await ctx.client.warehouses.list().toArray()).map((x) => x.id)).toContain(id);

    const { id: doomed } = await ctx.client.warehouses.create({ name: 'it-wh-doomed' });
    await ctx.client.warehouses.delete({ id: doomed });
    const gone = await ctx.client.warehouses.get({ id: doomed }).then(
      (x) => x.state,
      (e: unknown) => (e instanceof NotFoundError ? 'NOT_FOUND' : e),
    );
    expect(['DELETING', 'DELETED', 'NOT_FOUND']).toContain(gone);
  });

  it('catalog → schema → table through UC, and SQL sees it', async () => {
    await ctx.client.catalogs.create({ name: 'it_cat', comment: 'integration' });
    await ctx.client.schemas.create({ name: 'sales', catalog_name: 'it_cat' });
    const r = await ctx.client.statements.executeAndFetch({
      statement: 'CREATE TABLE it_cat.sales.orders AS SELECT * FROM (VALUES (1, \'a\'), (2, \'b\'), (3, NULL)) AS t(id, name)',
      warehouse_id: warehouseId,
    });
    await r.toArray();
    const table = await ctx.client.tables.get({ full_name: 'it_cat.sales.orders' });
    expect(table.columns?.map((c) => c.name)).toEqual(['id', 'name']);
    expect((await ctx.client.tables.exists({ full_name: 'it_cat.sales.orders' })).table_exists).toBe(true);
    expect((await ctx.client.tables.list({ catalog_name: 'it_cat', schema_name: 'sales' }).toArray()).map((t) => t.full_name)).toEqual(['it_cat.sales.orders']);
    await ctx.client.schemas.create({ name: 'archive', catalog_name: 'it_cat' });
    await (await ctx.client.statements.executeAndFetch({ statement: 'CREATE VIEW it_cat.archive.old_orders AS SELECT * FROM it_cat.sales.orders', warehouse_id: warehouseId })).toArray();
    // One walk over the catalog's schemas; max_results 1 makes it follow the page tokens.
    expect(await ctx.client.tables.listSummaries({ catalog_name: 'it_cat', max_results: 1 }).toArray()).toEqual([
      { full_name: 'it_cat.archive.old_orders', table_type: 'VIEW' },
      { full_name: 'it_cat.sales.orders', table_type: 'MANAGED' },
    ]);
    expect((await ctx.client.tables.listSummaries({ catalog_name: 'it_cat', table_name_pattern: '%orders', schema_name_pattern: 'sal%' }).toArray()).map((t) => t.full_name)).toEqual(['it_cat.sales.orders']);
    await expect(ctx.client.tables.listSummaries({ catalog_name: 'no_such_cat' }).toArray()).rejects.toBeInstanceOf(NotFoundError);

    const { metastore_id, default_catalog_name } = await ctx.client.metastores.current();
    expect(default_catalog_name).toBe('main');
    expect(table.metastore_id).toBe(metastore_id);
    const summary = await ctx.client.metastores.summary();
    expect(summary.metastore_id).toBe(metastore_id);
    expect(await ctx.client.metastores.list().toArray()).toEqual([summary]);
    expect(await ctx.client.metastores.get({ id: metastore_id })).toEqual(summary);
    await expect(ctx.client.metastores.get({ id: 'no-such-metastore' })).rejects.toBeInstanceOf(NotFoundError);

    const rows = await ctx.client.statements.executeAndFetch({
      statement: 'SELECT id, name FROM it_cat.sales.orders WHERE id >= :min ORDER BY id',
      warehouse_id: warehouseId,
      parameters: [{ name: 'min', value: '2', type: 'INT' }],
    });
    expect(rows.columns.map((c) => c.name)).toEqual(['id', 'name']);
    // Every non-null value is a string; NULL is null.
    expect(await rows.toArray()).toEqual([
      ['2', 'b'],
      ['3', null],
    ]);
  });

  it('iterates every chunk of a large result', async () => {
    const r = await ctx.client.statements.executeAndFetch({ statement: 'SELECT * FROM range(0, 30000) AS t(n)', warehouse_id: warehouseId });
    let count = 0;
    let last: string | null = null;
    for await (const row of r) {
      count++;
      last = row[0] ?? null;
    }
    expect(count).toBe(30000);
    expect(last).toBe('29999');
  });

  it('a statement that fails to execute is a StatementExecutionError', async () => {
    const err = await ctx.client.statements.executeAndFetch({ statement: 'SELECT * FROM it_cat.sales.nope', warehouse_id: warehouseId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatementExecutionError);
    expect((err as StatementExecutionError).state).toBe('FAILED');
  });

  it('execute / get / cancel as single calls', async () => {
    const s = await ctx.client.statements.execute({ statement: 'SELECT 1', warehouse_id: warehouseId, wait_timeout: '0s' });
    expect(s.statement_id).toBeTruthy();
    const done = await until(() => ctx.client.statements.get({ statement_id: s.statement_id }), (x) => ['SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED'].includes(String(x.status?.state)));
    expect(done.status?.state).toBe('SUCCEEDED');
    await expect(ctx.client.statements.cancel({ statement_id: s.statement_id })).resolves.toEqual({});
  });

  it('UC updates send PATCH bodies; lists page; deletes; missing objects are NotFoundError', async () => {
    expect((await ctx.client.catalogs.update({ name: 'it_cat', comment: 'patched' })).comment).toBe('patched');
    expect((await ctx.client.schemas.update({ full_name: 'it_cat.sales', comment: 'patched too' })).comment).toBe('patched too');
    for (let i = 0; i < 3; i++) await ctx.client.schemas.create({ name: `s${i}`, catalog_name: 'it_cat' });
    const page = await ctx.client.schemas.listPage({ catalog_name: 'it_cat', max_results: 2 });
    expect(page.schemas).toHaveLength(2);
    expect(page.next_page_token).toBeTruthy();
    const all = await ctx.client.schemas.list({ catalog_name: 'it_cat', max_results: 2 }).toArray();
    expect(all.map((s) => s.name)).toEqual(expect.arrayContaining(['s0', 's1', 's2', 'sales']));
    expect(new Set(all.map((s) => s.name)).size).toBe(all.length);
    expect(await ctx.client.catalogs.list({ limit: 1 }).toArray()).toHaveLength(1);

    await ctx.client.tables.delete({ full_name: 'it_cat.sales.orders' });
    await expect(ctx.client.tables.get({ full_name: 'it_cat.sales.orders' })).rejects.toBeInstanceOf(NotFoundError);
    await ctx.client.schemas.delete({ full_name: 'it_cat.s0' });
    await expect(ctx.client.schemas.get({ full_name: 'it_cat.s0' })).rejects.toBeInstanceOf(NotFoundError);
    await ctx.client.catalogs.delete({ name: 'it_cat', force: true });
    await expect(ctx.client.catalogs.get({ name: 'it_cat' })).rejects.toBeInstanceOf(NotFoundError);
  });
});
