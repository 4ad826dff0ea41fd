import { describe, expect, it } from 'vitest';
import { useAdminAndUser, type TestClient } from '../emulator/helpers.js';

/**
 * Unity Catalog privileges on the statements that create catalogs and read metadata, for a non-admin
 * through the Statement Execution API: CREATE CATALOG, SHOW CATALOGS|SCHEMAS|TABLES, DESCRIBE, SHOW
 * COLUMNS and SHOW GRANTS follow the rules the REST routes use.
 */
const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });
const USER = 'user1@emulator.local';
const UC = '/api/2.1/unity-catalog';

type Body = { status: { state: string; error?: { message: string } }; result?: { data_array?: unknown[][] } };

async function run(client: TestClient, wh: string, statement: string): Promise<Body> {
  const r = await client.post('/api/2.0/sql/statements', { statement, warehouse_id: wh, wait_timeout: '30s' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as Body;
}
async function rows(client: TestClient, wh: string, statement: string): Promise<unknown[][]> {
  const body = await run(client, wh, statement);
  expect(body.status, statement).toMatchObject({ state: 'SUCCEEDED' });
  return body.result?.data_array ?? [];
}
async function failure(client: TestClient, wh: string, statement: string): Promise<string> {
  const body = await run(client, wh, statement);
  expect(body.status.state, statement).toBe('FAILED');
  return body.status.error!.message;
}
const insufficient = (...lines: string[]) => `[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\n${lines.join('\n')} SQLSTATE: 42501`;
const grant = async (type: string, name: string, principal: string, privileges: string[]) =>
  expect((await ctx.admin.call('PATCH', `${UC}/permissions/${type}/${name}`, { changes: [{ principal, add: privileges }] })).status).toBe(200);

/** A warehouse user1 may use; catalog sales (schemas raw and gold, tables raw.orders and raw.refunds, view raw.big), all the admin's. */
async function setUp(): Promise<string> {
  const { admin } = ctx;
  const wh = String((await admin.post('/api/2.0/sql/warehouses', { name: 'w', cluster_size: '2X-Small', max_num_clusters: 1 })).body.id);
  await admin.call('PATCH', `/api/2.0/permissions/warehouses/${wh}`, { access_control_list: [{ user_name: USER, permission_level: 'CAN_USE' }] });
  for (const st of [
    'CREATE CATALOG sales',
    'CREATE SCHEMA sales.raw',
    'CREATE SCHEMA sales.gold',
    'CREATE TABLE sales.raw.orders (id INT, amount INT)',
    'CREATE TABLE sales.raw.refunds (id INT)',
    'CREATE VIEW sales.raw.big AS SELECT * FROM sales.raw.orders WHERE amount > 10',
  ]) {
    await rows(admin, wh, st);
  }
  return wh;
}

describe('metadata statements for non-admins', () => {
  it('CREATE CATALOG needs CREATE CATALOG on the metastore and creates nothing without it; the creator owns its catalog', async () => {
    const { admin, user } = ctx;
    const wh = await setUp();
    const denied = insufficient("User does not have CREATE CATALOG on Metastore 'emulator-metastore'.");
    expect(await failure(user, wh, 'CREATE CATALOG mine')).toBe(denied);
    // Checked before the catalog's existence, as the REST create checks it.
    expect(await failure(user, wh, 'CREATE CATALOG IF NOT EXISTS sales')).toBe(denied);
    expect(await rows(admin, wh, 'SHOW CATALOGS')).toEqual([['hive_metastore'], ['main'], ['sales']]);

    const metastoreId = String((await admin.get(`${UC}/metastore_summary`)).body.metastore_id);
    await grant('metastore', metastoreId, USER, ['CREATE_CATALOG']);
    await rows(user, wh, 'CREATE CATALOG mine');
    expect((await user.get(`${UC}/catalogs/mine`)).body).toMatchObject({ name: 'mine', owner: USER });
    expect(await rows(user, wh, 'SHOW CATALOGS')).toEqual([['main'], ['mine']]);
  });

  it('SHOW CATALOGS, SCHEMAS and TABLES list only what the caller may see, as the REST lists do', async () => {
    const { admin, user } = ctx;
    const wh = await setUp();
    await rows(admin, wh, 'CREATE SCHEMA main.team');
    await rows(admin, wh, 'CREATE TABLE main.default.admins_only (id INT)');
    // Nothing granted on sales yet: only the workspace catalog, and in it only its default schema.
    expect(await rows(user, wh, 'SHOW CATALOGS')).toEqual([['main']]);
    expect(await rows(user, wh, 'SHOW SCHEMAS IN main')).toEqual([['default']]);
    expect(await rows(user, wh, 'SHOW SCHEMAS IN sales')).toEqual([]);
    expect(await rows(user, wh, 'SHOW TABLES IN sales.raw')).toEqual([]);
    expect(await rows(user, wh, 'SHOW TABLES IN main.default')).toEqual([]);

    await grant('catalog', 'sales', USER, ['USE_CATALOG']);
    await grant('schema', 'sales.raw', USER, ['USE_SCHEMA']);
    await grant('table', 'sales.raw.orders', USER, ['SELECT']);
    await grant('table', 'sales.raw.big', USER, ['SELECT']);
    expect(await rows(user, wh, 'SHOW CATALOGS')).toEqual([['main'], ['sales']]);
    expect(await rows(user, wh, 'SHOW SCHEMAS IN sales')).toEqual([['raw']]);
    expect(await rows(user, wh, 'SHOW TABLES IN sales.raw')).toEqual([
      ['raw', 'big', 'false'],
      ['raw', 'orders', 'false'],
    ]);
    // What the user makes in main.default is listed; the admin's table there stays hidden.
    await rows(user, wh, 'CREATE TABLE main.default.mine (id INT)');
    expect(await rows(user, wh, 'SHOW TABLES IN main.default')).toEqual([['default', 'mine', 'false']]);
    // The admin's lists are whole.
    expect(await rows(admin, wh, 'SHOW SCHEMAS IN sales')).toEqual([['default'], ['gold'], ['raw']]);
    expect((await rows(admin, wh, 'SHOW TABLES IN main.default')).map((r) => r[1])).toEqual(['admins_only', 'mine']);
  });

  it('DESCRIBE and SHOW COLUMNS need USE CATALOG, USE SCHEMA and a privilege on the table; a missing table stays not found', async () => {
    const { admin, user } = ctx;
    const wh = await setUp();
    expect(await failure(user, wh, 'DESCRIBE TABLE sales.raw.orders')).toBe(insufficient("User does not have USE CATALOG on Catalog 'sales'."));
    await grant('catalog', 'sales', USER, ['USE_CATALOG']);
    expect(await failure(user, wh, 'SHOW COLUMNS IN sales.raw.orders')).toBe(insufficient("User does not have USE SCHEMA on Schema 'sales.raw'."));
    await grant('schema', 'sales.raw', USER, ['USE_SCHEMA']);
    expect(await failure(user, wh, 'DESCRIBE sales.raw.orders')).toBe(insufficient("User does not have SELECT on Table 'sales.raw.orders'."));
    expect(await failure(user, wh, 'DESCRIBE sales.raw.big')).toBe(insufficient("User does not have SELECT on Table 'sales.raw.big'."));
    expect(await failure(user, wh, 'DESCRIBE sales.raw.nothing')).toMatch(/^\[TABLE_OR_VIEW_NOT_FOUND\]/);
    // Any privilege on the table shows it, as on the REST get.
    await grant('table', 'sales.raw.refunds', USER, ['MODIFY']);
    expect(await rows(user, wh, 'SHOW COLUMNS IN sales.raw.refunds')).toEqual([['id']]);
    await grant('table', 'sales.raw.orders', USER, ['SELECT']);
    expect(await rows(user, wh, 'DESCRIBE TABLE sales.raw.orders')).toEqual([
      ['id', 'int', null],
      ['amount', 'int', null],
    ]);
    expect(await rows(admin, wh, 'DESCRIBE sales.raw.big')).toHaveLength(2);
  });

  it("a non-admin's DESCRIBE of a table without metadata does not make it the table's owner", async () => {
    const { admin, user } = ctx;
    const wh = await setUp();
    // A rename leaves the table without metadata until someone first reads it.
    await rows(admin, wh, 'ALTER TABLE sales.raw.refunds RENAME TO returns');
    await grant('catalog', 'sales', USER, ['USE_CATALOG']);
    await grant('schema', 'sales.raw', USER, ['USE_SCHEMA', 'SELECT']);
    expect(await rows(user, wh, 'SHOW COLUMNS IN sales.raw.returns')).toEqual([['id']]);
    expect((await admin.get(`${UC}/tables/sales.raw.returns`)).body).toMatchObject({ owner: 'admin@emulator.local' });
  });

  it('SHOW GRANTS: owners, admins and MANAGE holders with USE on the parents see all grants; anyone else only their own', async () => {
    const { admin, user } = ctx;
    const wh = await setUp();
    await rows(admin, wh, 'GRANT SELECT ON TABLE sales.raw.orders TO `account users`');
    const all = [
      ['account users', 'SELECT', 'TABLE', 'sales.raw.orders'],
      ['user1@emulator.local', 'MODIFY', 'TABLE', 'sales.raw.orders'],
    ];
    await rows(admin, wh, `GRANT MODIFY ON TABLE sales.raw.orders TO \`${USER}\``);
    expect(await rows(admin, wh, 'SHOW GRANTS ON TABLE sales.raw.orders')).toEqual(all);
    expect(await failure(user, wh, 'SHOW GRANTS ON TABLE sales.raw.orders')).toBe(
      insufficient("User does not have USE CATALOG on Catalog 'sales'.", "User does not have USE SCHEMA on Schema 'sales.raw'.", "User does not have MANAGE on Table 'sales.raw.orders'."),
    );
    // Another principal's grants are as closed as everyone's.
    expect(await failure(user, wh, 'SHOW GRANTS `account users` ON TABLE sales.raw.orders')).toMatch(/^\[INSUFFICIENT_PERMISSIONS\]/);
    // The user named as principal sees its own.
    expect(await rows(user, wh, `SHOW GRANTS \`${USER}\` ON TABLE sales.raw.orders`)).toEqual([all[1]]);

    // MANAGE on the object needs USE on its parents too.
    await grant('table', 'sales.raw.orders', USER, ['MANAGE']);
    expect(await failure(user, wh, 'SHOW GRANTS ON TABLE sales.raw.orders')).toBe(insufficient("User does not have USE CATALOG on Catalog 'sales'.", "User does not have USE SCHEMA on Schema 'sales.raw'."));
    await grant('catalog', 'sales', USER, ['USE_CATALOG', 'USE_SCHEMA']);
    expect((await rows(user, wh, 'SHOW GRANTS ON TABLE sales.raw.orders')).map((r) => r.slice(0, 2))).toEqual([
      ['account users', 'SELECT'],
      ['user1@emulator.local', 'MANAGE'],
      ['user1@emulator.local', 'MODIFY'],
    ]);
  });

  it('SHOW GRANTS: the owner of an object sees its grants without holding anything else', async () => {
    const { admin, user } = ctx;
    const wh = await setUp();
    await rows(admin, wh, 'GRANT USE SCHEMA ON SCHEMA sales.gold TO `account users`');
    expect(await failure(user, wh, 'SHOW GRANTS ON SCHEMA sales.gold')).toBe(insufficient("User does not have USE CATALOG on Catalog 'sales'.", "User does not have MANAGE on Schema 'sales.gold'."));
    expect((await admin.call('PATCH', `${UC}/schemas/sales.gold`, { owner: USER })).status).toBe(200);
    expect(await rows(user, wh, 'SHOW GRANTS ON SCHEMA sales.gold')).toEqual([['account users', 'USE SCHEMA', 'SCHEMA', 'sales.gold']]);
  });

  it('USE CATALOG and USE SCHEMA are not checked (their docs name no privilege); what follows still is', async () => {
    const { user } = ctx;
    const wh = await setUp();
    await rows(user, wh, 'USE CATALOG sales');
    await rows(user, wh, 'USE SCHEMA sales.raw');
    expect(await failure(user, wh, 'SELECT * FROM sales.raw.orders')).toMatch(/^\[INSUFFICIENT_PERMISSIONS\] Insufficient privileges:\nUser does not have USE CATALOG on Catalog 'sales'\./);
  });
});
