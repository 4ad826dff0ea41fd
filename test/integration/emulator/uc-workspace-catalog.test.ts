import { describe, expect, it } from 'vitest';
import { acrossRestart, useAdminAndUser, type TestClient } from './helpers.js';

/**
 * The workspace catalog's default grants ("Manage privileges in Unity Catalog" → "Workspace catalog
 * privileges"): every workspace user (SCIM's `users`) holds USE CATALOG on `main` and USE SCHEMA,
 * CREATE TABLE, CREATE VOLUME, CREATE MODEL, CREATE FUNCTION and CREATE MATERIALIZED VIEW on
 * `main.default`; they are ordinary grants, revocable and persisted.
 */
const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });
const UC = '/api/2.1/unity-catalog';
const USER = 'user1@emulator.local';
const CATALOG_GRANTS = [{ principal: 'users', privileges: ['USE_CATALOG'] }];
const SCHEMA_GRANTS = [{ principal: 'users', privileges: ['CREATE_FUNCTION', 'CREATE_MATERIALIZED_VIEW', 'CREATE_MODEL', 'CREATE_TABLE', 'CREATE_VOLUME', 'USE_SCHEMA'] }];

const permissions = async (api: TestClient, type: string, name: string) => (await api.get(`${UC}/permissions/${type}/${name}`)).body.privilege_assignments;

async function warehouse(): Promise<string> {
  const { admin } = ctx;
  const wh = String((await admin.post('/api/2.0/sql/warehouses', { name: 'w', cluster_size: '2X-Small', max_num_clusters: 1 })).body.id);
  await admin.call('PATCH', `/api/2.0/permissions/warehouses/${wh}`, { access_control_list: [{ user_name: USER, permission_level: 'CAN_USE' }] });
  return wh;
}
async function run(client: TestClient, wh: string, statement: string): Promise<{ state: string; message?: string; rows: unknown[][] }> {
  const r = await client.post('/api/2.0/sql/statements', { statement, warehouse_id: wh, wait_timeout: '30s' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const body = r.body as { status: { state: string; error?: { message: string } }; result?: { data_array?: unknown[][] } };
  return { state: body.status.state, ...(body.status.error ? { message: body.status.error.message } : {}), rows: body.result?.data_array ?? [] };
}

describe('the workspace catalog main', () => {
  it('grants every workspace user USE CATALOG on main and the documented privileges on main.default, visible through SHOW GRANTS and the permissions API', async () => {
    const { admin } = ctx;
    expect(await permissions(admin, 'catalog', 'main')).toEqual(CATALOG_GRANTS);
    expect(await permissions(admin, 'schema', 'main.default')).toEqual(SCHEMA_GRANTS);
    // Nothing on the other default catalog.
    expect(await permissions(admin, 'catalog', 'hive_metastore')).toEqual([]);
    const wh = await warehouse();
    expect((await run(admin, wh, 'SHOW GRANTS ON SCHEMA main.default')).rows).toEqual([
      ['users', 'CREATE FUNCTION', 'SCHEMA', 'main.default'],
      ['users', 'CREATE MATERIALIZED VIEW', 'SCHEMA', 'main.default'],
      ['users', 'CREATE MODEL', 'SCHEMA', 'main.default'],
      ['users', 'CREATE TABLE', 'SCHEMA', 'main.default'],
      ['users', 'CREATE VOLUME', 'SCHEMA', 'main.default'],
      ['users', 'USE SCHEMA', 'SCHEMA', 'main.default'],
    ]);
  });

  it('a non-admin may create in main.default and use what it made, but not read what others made there nor create schemas in main', async () => {
    const { admin, user } = ctx;
    const wh = await warehouse();
    expect(await run(admin, wh, 'CREATE TABLE main.default.admins (id INT)')).toMatchObject({ state: 'SUCCEEDED' });
    expect(await run(user, wh, 'CREATE TABLE main.default.mine (id INT)')).toMatchObject({ state: 'SUCCEEDED' });
    expect(await run(user, wh, 'INSERT INTO mine VALUES (1)')).toMatchObject({ state: 'SUCCEEDED' });
    expect((await run(user, wh, 'SELECT count(*) FROM main.default.mine')).rows).toEqual([['1']]);
    const volume = await user.post(`${UC}/volumes`, { catalog_name: 'main', schema_name: 'default', name: 'files', volume_type: 'MANAGED' });
    expect(volume.body).toMatchObject({ full_name: 'main.default.files', owner: USER });
    // USE CATALOG and USE SCHEMA are held, so only the table's own privilege is missing.
    expect((await run(user, wh, 'SELECT * FROM main.default.admins')).message).toBe(
      "[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have SELECT on Table 'main.default.admins'. SQLSTATE: 42501",
    );
    expect((await run(user, wh, 'CREATE SCHEMA main.team')).message).toBe("[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have CREATE SCHEMA on Catalog 'main'. SQLSTATE: 42501");
  });

  it('an admin may revoke them (then a user sees nothing of main); a reset restores them', async () => {
    const { admin, user, emu } = ctx;
    const wh = await warehouse();
    expect((await run(user, wh, 'SHOW CATALOGS')).rows).toEqual([['main']]);
    expect(await run(admin, wh, 'REVOKE USE CATALOG ON CATALOG main FROM users')).toMatchObject({ state: 'SUCCEEDED' });
    expect(await permissions(admin, 'catalog', 'main')).toEqual([]);
    expect((await run(user, wh, 'SHOW CATALOGS')).rows).toEqual([]);
    expect((await run(user, wh, 'CREATE TABLE main.default.mine (id INT)')).message).toBe(
      "[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser does not have USE CATALOG on Catalog 'main'. SQLSTATE: 42501",
    );
    await emu.reset();
    expect(await permissions(admin, 'catalog', 'main')).toEqual(CATALOG_GRANTS);
  });

  it('persist across a restart: a revoke stays revoked and the seed is not added again', async () => {
    const after = await acrossRestart(
      async (api) => {
        const r = await api.call('PATCH', `${UC}/permissions/schema/main.default`, { changes: [{ principal: 'users', remove: ['CREATE_TABLE', 'CREATE_VOLUME'] }] });
        expect(r.status).toBe(200);
      },
      async (api) => ({ catalog: await permissions(api, 'catalog', 'main'), schema: await permissions(api, 'schema', 'main.default') }),
    );
    expect(after).toEqual({ catalog: CATALOG_GRANTS, schema: [{ principal: 'users', privileges: ['CREATE_FUNCTION', 'CREATE_MATERIALIZED_VIEW', 'CREATE_MODEL', 'USE_SCHEMA'] }] });
  });
});
