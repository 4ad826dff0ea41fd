import { describe, expect, it } from 'vitest';
import { useAdminAndUser, type TestClient } from './helpers.js';

/**
 * Unity Catalog privileges enforced on SQL statements, on the wire: an admin grants through the
 * permissions API and SQL, a non-admin runs statements through the Statement Execution API.
 */
const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });

const USER = 'user1@emulator.local';
const UC = '/api/2.1/unity-catalog';

/** A warehouse user1 may use, with sales.raw.orders (2 rows) made by the admin. */
async function setUp(): Promise<string> {
  const api = ctx.admin;
  const wh = String((await api.post('/api/2.0/sql/warehouses', { name: 'w', cluster_size: '2X-Small', max_num_clusters: 1 })).body.id);
  await api.call('PATCH', `/api/2.0/permissions/warehouses/${wh}`, { access_control_list: [{ user_name: USER, permission_level: 'CAN_USE' }] });
  await sql(api, wh, 'CREATE CATALOG sales');
  await sql(api, wh, 'CREATE SCHEMA sales.raw');
  await sql(api, wh, 'CREATE TABLE sales.raw.orders (id INT)');
  await sql(api, wh, 'INSERT INTO sales.raw.orders VALUES (1), (2)');
  return wh;
}

async function run(client: TestClient, wh: string, statement: string) {
  const r = await client.post('/api/2.0/sql/statements', { statement, warehouse_id: wh, wait_timeout: '30s' });
  expect(r.status).toBe(200);
  return r.body as { status: { state: string; error?: { error_code: string; message: string } }; result?: { data_array?: unknown[][] } };
}

async function sql(client: TestClient, wh: string, statement: string): Promise<unknown[][]> {
  const body = await run(client, wh, statement);
  expect(body.status).toMatchObject({ state: 'SUCCEEDED' });
  return body.result?.data_array ?? [];
}

async function denied(client: TestClient, wh: string, statement: string): Promise<string> {
  const body = await run(client, wh, statement);
  expect(body.status.state).toBe('FAILED');
  return body.status.error!.message;
}

describe('Unity Catalog privileges on statements', () => {
  it('a group member can read once the group is granted USE CATALOG, USE SCHEMA and SELECT; a non-member cannot; REVOKE takes it away', async () => {
    const { admin: api, user } = ctx;
    const wh = await setUp();
    expect(await denied(user, wh, 'SELECT count(*) FROM sales.raw.orders')).toBe(
      "[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have USE CATALOG on Catalog 'sales'.\nUser does not have USE SCHEMA on Schema 'sales.raw'.\nUser does not have SELECT on Table 'sales.raw.orders'. SQLSTATE: 42501",
    );
    // Grants to a group user1 is not in yet change nothing for user1.
    const group = await api.post('/api/2.0/preview/scim/v2/Groups', { displayName: 'readers' });
    expect(group.status).toBe(201);
    await api.call('PATCH', `${UC}/permissions/catalog/sales`, { changes: [{ principal: 'readers', add: ['USE_CATALOG', 'USE_SCHEMA'] }] });
    await sql(api, wh, 'GRANT SELECT ON TABLE sales.raw.orders TO readers');
    expect(await denied(user, wh, 'SELECT count(*) FROM sales.raw.orders')).toMatch(/User does not have USE CATALOG on Catalog 'sales'/);
    const me = await user.get('/api/2.0/preview/scim/v2/Me');
    const joined = await api.call('PATCH', `/api/2.0/preview/scim/v2/Groups/${String(group.body.id)}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', value: { members: [{ value: me.body.id }] } }],
    });
    expect(joined.status).toBe(204);
    expect(await sql(user, wh, 'SELECT count(*) FROM sales.raw.orders')).toEqual([['2']]);
    // Reading is not writing: the denied INSERT changes no rows.
    expect(await denied(user, wh, 'INSERT INTO sales.raw.orders VALUES (3)')).toMatch(/User does not have MODIFY on Table 'sales.raw.orders'/);
    expect(await sql(api, wh, 'SELECT count(*) FROM sales.raw.orders')).toEqual([['2']]);
    await sql(api, wh, 'REVOKE SELECT ON TABLE sales.raw.orders FROM readers');
    expect(await denied(user, wh, 'SELECT count(*) FROM sales.raw.orders')).toBe("[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have SELECT on Table 'sales.raw.orders'. SQLSTATE: 42501");
  });

  it("the provisioning saga's grants (USE_CATALOG on the catalog, USE_SCHEMA and SELECT on the schema, to a group) let a member read tables made later", async () => {
    const { admin: api, user } = ctx;
    const wh = await setUp();
    const me = await user.get('/api/2.0/preview/scim/v2/Me');
    expect((await api.post('/api/2.0/preview/scim/v2/Groups', { displayName: 'team-a-users', members: [{ value: me.body.id }] })).status).toBe(201);
    await api.call('PATCH', `${UC}/permissions/catalog/sales`, { changes: [{ principal: 'team-a-users', add: ['USE_CATALOG'] }] });
    await api.call('PATCH', `${UC}/permissions/schema/sales.raw`, { changes: [{ principal: 'team-a-users', add: ['USE_SCHEMA', 'SELECT'] }] });
    await sql(api, wh, 'CREATE TABLE sales.raw.later AS SELECT 42 AS answer');
    expect(await sql(user, wh, 'SELECT o.id, l.answer FROM sales.raw.orders o CROSS JOIN sales.raw.later l ORDER BY o.id')).toEqual([['1', '42'], ['2', '42']]);
    expect(await denied(user, wh, 'CREATE TABLE sales.raw.copy AS SELECT * FROM sales.raw.later')).toMatch(/User does not have CREATE TABLE on Schema 'sales.raw'/);
    // The admin is not in the group and still reads: the emulator's admins pass every check.
    expect(await sql(api, wh, 'SELECT count(*) FROM sales.raw.later')).toEqual([['1']]);
  });

  it('CREATE TABLE without CREATE TABLE on the schema creates nothing; with it the creator owns the table', async () => {
    const { admin: api, user } = ctx;
    const wh = await setUp();
    await sql(api, wh, `GRANT USE CATALOG ON CATALOG sales TO \`${USER}\``);
    await sql(api, wh, `GRANT USE SCHEMA ON SCHEMA sales.raw TO \`${USER}\``);
    expect(await denied(user, wh, 'CREATE TABLE sales.raw.mine (x INT)')).toMatch(/User does not have CREATE TABLE on Schema 'sales.raw'/);
    expect((await api.get(`${UC}/tables/sales.raw.mine`)).status).toBe(404);
    await sql(api, wh, `GRANT CREATE TABLE ON SCHEMA sales.raw TO \`${USER}\``);
    await sql(user, wh, 'CREATE TABLE sales.raw.mine (x INT)');
    expect((await api.get(`${UC}/tables/sales.raw.mine`)).body).toMatchObject({ owner: USER });
    await sql(user, wh, 'INSERT INTO sales.raw.mine VALUES (1)');
    expect(await sql(user, wh, 'SELECT x FROM sales.raw.mine')).toEqual([['1']]);
    expect(await denied(user, wh, 'DROP TABLE sales.raw.orders')).toMatch(/User does not have MANAGE on Table 'sales.raw.orders'/);
    await sql(user, wh, 'DROP TABLE sales.raw.mine');
  });
});
