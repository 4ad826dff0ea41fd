import { describe, expect, it } from 'vitest';
import { expectErrorShape, useAdminAndUser, type Reply, type TestClient } from './helpers.js';

/** Unity Catalog privileges on the REST routes of catalogs, schemas, tables, volumes and functions. */
const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });
const UC = '/api/2.1/unity-catalog';
const USER = 'user1@emulator.local';
const COLUMNS = [{ name: 'id', type_text: 'int', type_name: 'INT' }];

function expectDenied(r: Reply, message: string): void {
  expectErrorShape(r.body);
  expect({ status: r.status, error_code: r.body.error_code, message: r.body.message }).toEqual({ status: 403, error_code: 'PERMISSION_DENIED', message });
}
const ok = async (r: Promise<Reply>): Promise<Reply> => {
  const reply = await r;
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply;
};
const grant = (type: string, name: string, principal: string, privileges: string[]) => ok(ctx.admin.call('PATCH', `${UC}/permissions/${type}/${name}`, { changes: [{ principal, add: privileges }] }));
const table = (c: TestClient, catalog: string, schema: string, name: string) =>
  c.post(`${UC}/tables`, { catalog_name: catalog, schema_name: schema, name, table_type: 'MANAGED', data_source_format: 'DELTA', storage_location: '', columns: COLUMNS });
const fn = (c: TestClient, catalog: string, schema: string, name: string) =>
  c.post(`${UC}/functions`, { function_info: { name, catalog_name: catalog, schema_name: schema, routine_body: 'SQL', routine_definition: '1', data_type: 'INT', full_data_type: 'INT' } });

/** Every name a list answers, following next_page_token with the given page size. */
async function listAll(c: TestClient, path: string, field: string, query: Record<string, unknown>, maxResults: number): Promise<string[][]> {
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    const r = await ok(c.get(path, { ...query, max_results: maxResults, ...(token ? { page_token: token } : {}) }));
    pages.push(((r.body[field] ?? []) as { name?: string; full_name: string }[]).map((x) => x.name ?? x.full_name));
    token = r.body.next_page_token as string | undefined;
  } while (token);
  return pages;
}
const names = async (c: TestClient, path: string, field: string, query: Record<string, unknown> = {}) => (await listAll(c, path, field, query, 0)).flat();

/** Catalog sales with schema raw, table orders and volume landing, all the admin's. */
async function salesCatalog(): Promise<void> {
  const { admin } = ctx;
  await ok(admin.post(`${UC}/catalogs`, { name: 'sales', comment: 'kept' }));
  await ok(admin.post(`${UC}/schemas`, { catalog_name: 'sales', name: 'raw' }));
  await ok(table(admin, 'sales', 'raw', 'orders'));
  await ok(admin.post(`${UC}/volumes`, { catalog_name: 'sales', schema_name: 'raw', name: 'landing', volume_type: 'MANAGED' }));
}

describe('Unity Catalog REST access for non-admins', () => {
  it('creating a catalog needs CREATE CATALOG on the metastore; the creator owns and sees only its own', async () => {
    const { admin, user } = ctx;
    expectDenied(await user.post(`${UC}/catalogs`, { name: 'mine' }), "User does not have CREATE CATALOG on Metastore 'emulator-metastore'.");
    expect(await names(admin, `${UC}/catalogs`, 'catalogs')).toEqual(['hive_metastore', 'main']);
    const metastoreId = (await ok(admin.get(`${UC}/metastore_summary`))).body.metastore_id as string;
    await grant('metastore', metastoreId, USER, ['CREATE_CATALOG']);
    expect((await ok(user.post(`${UC}/catalogs`, { name: 'mine' }))).body).toMatchObject({ name: 'mine', owner: USER });
    // Besides its own, the user sees only the workspace catalog (every workspace user's USE CATALOG).
    expect(await names(user, `${UC}/catalogs`, 'catalogs')).toEqual(['main', 'mine']);
    expect(await names(admin, `${UC}/catalogs`, 'catalogs')).toEqual(['hive_metastore', 'main', 'mine']);
    // Its own catalog's default schema came with it, so the owner may create in it.
    expect((await ok(table(user, 'mine', 'default', 't'))).body).toMatchObject({ full_name: 'mine.default.t', owner: USER });
  });

  it('creating a schema needs USE CATALOG and CREATE SCHEMA on the catalog, a table USE SCHEMA and CREATE TABLE too; denied creates make nothing', async () => {
    const { admin, user } = ctx;
    await salesCatalog();
    const schemasBefore = await names(admin, `${UC}/schemas`, 'schemas', { catalog_name: 'sales' });
    expectDenied(await user.post(`${UC}/schemas`, { catalog_name: 'sales', name: 'mine' }), "User does not have USE CATALOG and CREATE SCHEMA on Catalog 'sales'.");
    await grant('catalog', 'sales', USER, ['USE_CATALOG']);
    expectDenied(await user.post(`${UC}/schemas`, { catalog_name: 'sales', name: 'mine' }), "User does not have CREATE SCHEMA on Catalog 'sales'.");
    expect(await names(admin, `${UC}/schemas`, 'schemas', { catalog_name: 'sales' })).toEqual(schemasBefore);
    // A missing parent is still its own 404, not a 403.
    expect((await user.post(`${UC}/schemas`, { catalog_name: 'nowhere', name: 'x' })).status).toBe(404);

    expectDenied(await table(user, 'sales', 'raw', 'mine'), "User does not have USE SCHEMA and CREATE TABLE on Schema 'sales.raw'.");
    expectDenied(await user.post(`${UC}/volumes`, { catalog_name: 'sales', schema_name: 'raw', name: 'mine', volume_type: 'MANAGED' }), "User does not have USE SCHEMA and CREATE VOLUME on Schema 'sales.raw'.");
    expectDenied(await fn(user, 'sales', 'raw', 'mine'), "User does not have USE SCHEMA and CREATE FUNCTION on Schema 'sales.raw'.");
    expect(await names(admin, `${UC}/tables`, 'tables', { catalog_name: 'sales', schema_name: 'raw' })).toEqual(['orders']);
    expect(await names(admin, `${UC}/volumes`, 'volumes', { catalog_name: 'sales', schema_name: 'raw' })).toEqual(['landing']);
    expect(await names(admin, `${UC}/functions`, 'functions', { catalog_name: 'sales', schema_name: 'raw' })).toEqual([]);

    await grant('catalog', 'sales', USER, ['CREATE_SCHEMA']);
    expect((await ok(user.post(`${UC}/schemas`, { catalog_name: 'sales', name: 'mine' }))).body).toMatchObject({ full_name: 'sales.mine', owner: USER });
    // The schema's owner holds USE SCHEMA and CREATE TABLE on it (and USE CATALOG was granted).
    expect((await ok(table(user, 'sales', 'mine', 't'))).body).toMatchObject({ owner: USER });
    expect((await ok(user.post(`${UC}/volumes`, { catalog_name: 'sales', schema_name: 'mine', name: 'v', volume_type: 'MANAGED' }))).body).toMatchObject({ owner: USER });
    expect((await ok(fn(user, 'sales', 'mine', 'f'))).body).toMatchObject({ owner: USER });
  });

  it('lists show only what the caller may see, and page over that (BROWSE-only objects with include_browse)', async () => {
    const { admin, user } = ctx;
    for (const c of ['a1', 'a2', 'a3', 'a4', 'a5']) await ok(admin.post(`${UC}/catalogs`, { name: c }));
    for (const sc of ['s1', 's2', 's3']) await ok(admin.post(`${UC}/schemas`, { catalog_name: 'a2', name: sc }));
    for (const t of ['t1', 't2', 't3']) await ok(table(admin, 'a2', 's1', t));
    await grant('catalog', 'a2', USER, ['USE_CATALOG']);
    await grant('catalog', 'a4', USER, ['USE_CATALOG']);
    await grant('catalog', 'a5', USER, ['BROWSE']);
    await grant('schema', 'a2.s1', USER, ['USE_SCHEMA']);
    await grant('schema', 'a2.s3', USER, ['USE_SCHEMA']);
    await grant('table', 'a2.s1.t1', USER, ['SELECT']);
    await grant('table', 'a2.s1.t3', USER, ['MODIFY']);

    // `main` is the workspace catalog, open to every workspace user.
    expect(await listAll(user, `${UC}/catalogs`, 'catalogs', {}, 1)).toEqual([['a2'], ['a4'], ['main']]);
    const browsing = await ok(user.get(`${UC}/catalogs`, { include_browse: true }));
    expect((browsing.body.catalogs as { name: string; browse_only: boolean }[]).map((c) => [c.name, c.browse_only])).toEqual([
      ['a2', false],
      ['a4', false],
      ['a5', true],
      ['main', false],
    ]);
    expect(await listAll(user, `${UC}/schemas`, 'schemas', { catalog_name: 'a2' }, 1)).toEqual([['s1'], ['s3']]);
    expect(await listAll(user, `${UC}/tables`, 'tables', { catalog_name: 'a2', schema_name: 's1' }, 1)).toEqual([['t1'], ['t3']]);
    expect(await names(user, `${UC}/table-summaries`, 'tables', { catalog_name: 'a2' })).toEqual(['a2.s1.t1', 'a2.s1.t3']);
    // The admin's lists are whole.
    expect(await names(admin, `${UC}/catalogs`, 'catalogs')).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'hive_metastore', 'main']);
    expect(await names(admin, `${UC}/tables`, 'tables', { catalog_name: 'a2', schema_name: 's1' })).toEqual(['t1', 't2', 't3']);
  });

  it('a get of what the caller cannot see is 403 naming the first missing privilege; a missing object stays 404', async () => {
    const { user } = ctx;
    await salesCatalog();
    expectDenied(await user.get(`${UC}/catalogs/sales`), "User does not have USE CATALOG on Catalog 'sales'.");
    expectDenied(await user.get(`${UC}/schemas/sales.raw`), "User does not have USE CATALOG on Catalog 'sales'.");
    expectDenied(await user.get(`${UC}/tables/sales.raw.orders`), "User does not have USE CATALOG on Catalog 'sales'.");
    expectDenied(await user.get(`${UC}/tables/sales.raw.orders/exists`), "User does not have USE CATALOG on Catalog 'sales'.");
    await grant('catalog', 'sales', USER, ['USE_CATALOG']);
    expect((await ok(user.get(`${UC}/catalogs/sales`))).body).toMatchObject({ name: 'sales', browse_only: false });
    expectDenied(await user.get(`${UC}/schemas/sales.raw`), "User does not have USE SCHEMA on Schema 'sales.raw'.");
    expectDenied(await user.get(`${UC}/volumes/sales.raw.landing`), "User does not have USE SCHEMA on Schema 'sales.raw'.");
    await grant('schema', 'sales.raw', USER, ['USE_SCHEMA']);
    expect((await ok(user.get(`${UC}/schemas/sales.raw`))).body).toMatchObject({ full_name: 'sales.raw' });
    expectDenied(await user.get(`${UC}/tables/sales.raw.orders`), "User does not have SELECT on Table 'sales.raw.orders'.");
    expectDenied(await user.get(`${UC}/volumes/sales.raw.landing`), "User does not have READ VOLUME on Volume 'sales.raw.landing'.");
    expect((await user.get(`${UC}/tables/sales.raw.nothing`)).status).toBe(404);
    expect((await ok(user.get(`${UC}/tables/sales.raw.nothing/exists`))).body).toEqual({ table_exists: false });
    expect((await user.get(`${UC}/catalogs/nothing`)).body.error_code).toBe('CATALOG_DOES_NOT_EXIST');
    // BROWSE on the catalog lets a caller ask whether a table exists, and read it with include_browse.
    await grant('catalog', 'sales', 'account users', ['BROWSE']);
    expect((await ok(user.get(`${UC}/tables/sales.raw.orders/exists`))).body).toEqual({ table_exists: true });
    expectDenied(await user.get(`${UC}/tables/sales.raw.orders`), "User does not have SELECT on Table 'sales.raw.orders'.");
    expect((await ok(user.get(`${UC}/tables/sales.raw.orders`, { include_browse: true }))).body).toMatchObject({ full_name: 'sales.raw.orders', browse_only: true });
  });

  it('a group grant counts: members see and read what the group may', async () => {
    const { admin, user } = ctx;
    await salesCatalog();
    const group = await admin.post('/api/2.0/preview/scim/v2/Groups', { displayName: 'readers' });
    expect(group.status).toBe(201);
    await grant('catalog', 'sales', 'readers', ['USE_CATALOG', 'USE_SCHEMA', 'SELECT']);
    expectDenied(await user.get(`${UC}/tables/sales.raw.orders`), "User does not have USE CATALOG on Catalog 'sales'.");
    expect(await names(user, `${UC}/catalogs`, 'catalogs')).toEqual(['main']);
    const me = await user.get('/api/2.0/preview/scim/v2/Me');
    const joined = await admin.call('PATCH', `/api/2.0/preview/scim/v2/Groups/${String(group.body.id)}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', value: { members: [{ value: me.body.id }] } }],
    });
    expect(joined.status).toBe(204);
    expect(await names(user, `${UC}/catalogs`, 'catalogs')).toEqual(['main', 'sales']);
    // SELECT inherited from the catalog shows its tables; a volume needs READ VOLUME, which the group lacks.
    expect((await ok(user.get(`${UC}/tables/sales.raw.orders`))).body).toMatchObject({ full_name: 'sales.raw.orders', owner: 'admin@emulator.local' });
    expect(await names(user, `${UC}/volumes`, 'volumes', { catalog_name: 'sales', schema_name: 'raw' })).toEqual([]);
  });

  it('a non-owner cannot PATCH or delete (and nothing changes); MANAGE may, but not give the object away; an owner may', async () => {
    const { admin, user } = ctx;
    await salesCatalog();
    await grant('catalog', 'sales', USER, ['USE_CATALOG', 'USE_SCHEMA', 'SELECT', 'READ_VOLUME']);
    expectDenied(await user.call('PATCH', `${UC}/catalogs/sales`, { comment: 'mine now' }), "User does not have MANAGE on Catalog 'sales'.");
    expectDenied(await user.call('PATCH', `${UC}/catalogs/sales`, { owner: USER }), "User does not have MANAGE on Catalog 'sales'.");
    expectDenied(await user.call('DELETE', `${UC}/catalogs/sales`, { force: true }), "User does not have MANAGE on Catalog 'sales'.");
    expectDenied(await user.call('DELETE', `${UC}/schemas/sales.raw`, { force: true }), "User does not have MANAGE on Schema 'sales.raw'.");
    expectDenied(await user.call('PATCH', `${UC}/tables/sales.raw.orders`, { owner: USER }), "User does not have MANAGE on Table 'sales.raw.orders'.");
    expectDenied(await user.call('DELETE', `${UC}/tables/sales.raw.orders`), "User does not have MANAGE on Table 'sales.raw.orders'.");
    expectDenied(await user.call('PATCH', `${UC}/volumes/sales.raw.landing`, { new_name: 'moved' }), "User does not have MANAGE on Volume 'sales.raw.landing'.");
    expectDenied(await user.call('DELETE', `${UC}/volumes/sales.raw.landing`), "User does not have MANAGE on Volume 'sales.raw.landing'.");
    expect((await ok(admin.get(`${UC}/catalogs/sales`))).body).toMatchObject({ comment: 'kept', owner: 'admin@emulator.local' });
    expect((await ok(admin.get(`${UC}/tables/sales.raw.orders`))).body).toMatchObject({ owner: 'admin@emulator.local' });
    expect(await names(admin, `${UC}/volumes`, 'volumes', { catalog_name: 'sales', schema_name: 'raw' })).toEqual(['landing']);

    // MANAGE on the table (with USE on the way down) lets the user change and drop it, not hand it over.
    await grant('table', 'sales.raw.orders', USER, ['MANAGE']);
    expectDenied(await user.call('PATCH', `${UC}/tables/sales.raw.orders`, { owner: USER }), "User is not an owner of Table 'sales.raw.orders'.");
    expect((await ok(admin.get(`${UC}/tables/sales.raw.orders`))).body).toMatchObject({ owner: 'admin@emulator.local' });
    await ok(user.call('DELETE', `${UC}/tables/sales.raw.orders`));
    expect((await admin.get(`${UC}/tables/sales.raw.orders`)).status).toBe(404);

    // What the user owns it may change, give away and delete.
    await ok(admin.call('PATCH', `${UC}/schemas/sales.raw`, { owner: USER }));
    await ok(user.call('PATCH', `${UC}/volumes/sales.raw.landing`, { comment: 'the owner of the schema may' }));
    await ok(user.call('PATCH', `${UC}/schemas/sales.raw`, { comment: 'mine', owner: 'admin@emulator.local' }));
    expect((await ok(admin.get(`${UC}/schemas/sales.raw`))).body).toMatchObject({ comment: 'mine', owner: 'admin@emulator.local' });
    expectDenied(await user.call('DELETE', `${UC}/schemas/sales.raw`, { force: true }), "User does not have MANAGE on Schema 'sales.raw'.");
    await ok(admin.call('PATCH', `${UC}/catalogs/sales`, { owner: USER }));
    await ok(user.call('DELETE', `${UC}/catalogs/sales`, { force: true }));
    expect((await admin.get(`${UC}/catalogs/sales`)).status).toBe(404);
  });

  it('a PATCH or delete without USE CATALOG is refused even with MANAGE, in the words of a real answer', async () => {
    const { admin, user } = ctx;
    await salesCatalog();
    await grant('catalog', 'sales', USER, ['MANAGE']);
    expectDenied(await user.call('DELETE', `${UC}/catalogs/sales`, { force: true }), "User does not have USE CATALOG on Catalog 'sales'.");
    await grant('schema', 'sales.raw', USER, ['USE_SCHEMA']);
    expectDenied(await user.call('DELETE', `${UC}/schemas/sales.raw`, { force: true }), "User does not have USE CATALOG on Catalog 'sales'.");
    const other = await ok(admin.post(`${UC}/catalogs`, { name: 'other' }));
    expect(other.body.owner).toBe('admin@emulator.local');
    await grant('catalog', 'other', USER, ['BROWSE']);
    expectDenied(await user.call('DELETE', `${UC}/catalogs/other`), "User does not have MANAGE and USE CATALOG on Catalog 'other'.");
    expect(await names(admin, `${UC}/catalogs`, 'catalogs')).toEqual(['hive_metastore', 'main', 'other', 'sales']);
  });
});
