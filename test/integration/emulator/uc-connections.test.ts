import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectErrorShape, startTestEmulator, useAdminAndUser, type Reply, type TestClient } from './helpers.js';

/** Unity Catalog connections (Lakehouse Federation) on the wire. */
const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });
const UC = '/api/2.1/unity-catalog';
const USER = 'user1@emulator.local';
const CONNS = `${UC}/connections`;
const PASSWORD = 'mysql-s3cr3t-pw';
const MYSQL = { host: 'db.example.com', port: '3306', user: 'etl', password: PASSWORD };

function expectError(r: Reply, status: number, code: string): void {
  expectErrorShape(r.body);
  expect({ status: r.status, error_code: r.body.error_code }).toEqual({ status, error_code: code });
}
const connection = (c: TestClient, name: string, extra: Record<string, unknown> = {}) => c.post(CONNS, { name, connection_type: 'MYSQL', options: MYSQL, ...extra });
const names = async (c: TestClient) => ((await c.get<{ connections?: { name: string }[] }>(CONNS)).body.connections ?? []).map((x) => x.name);

describe('connections', () => {
  it('create, get, list (paged), update options, rename and delete, with the fields the SDK reads', async () => {
    const { admin } = ctx;
    const created = await connection(admin, 'MySql_Prod', { comment: 'orders db', properties: { team: 'data' }, read_only: true });
    expect(created.status).toBe(200);
    const metastoreId = String((await admin.get(`${UC}/current-metastore-assignment`)).body.metastore_id);
    expect(created.body).toEqual({
      name: 'mysql_prod',
      full_name: 'mysql_prod',
      connection_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      connection_type: 'MYSQL',
      credential_type: 'USERNAME_PASSWORD',
      options: { host: 'db.example.com', port: '3306' },
      url: 'db.example.com:3306',
      comment: 'orders db',
      properties: { team: 'data' },
      read_only: true,
      owner: 'admin@emulator.local',
      metastore_id: metastoreId,
      created_at: expect.any(Number),
      created_by: 'admin@emulator.local',
      updated_at: expect.any(Number),
      updated_by: 'admin@emulator.local',
      securable_type: 'CONNECTION',
      securable_kind: 'CONNECTION_MYSQL',
      provisioning_info: { state: 'ACTIVE' },
    });
    expect((await admin.get(`${CONNS}/MYSQL_PROD`)).body).toEqual(created.body);

    const pg = await admin.post(CONNS, { name: 'pg', connection_type: 'POSTGRESQL', options: { host: 'pg.example.com', port: '5432', user: 'u', password: 'pg-s3cr3t' } });
    expect(pg.body).toMatchObject({ connection_type: 'POSTGRESQL', securable_kind: 'CONNECTION_POSTGRESQL', url: 'pg.example.com:5432', read_only: false, properties: {} });
    await admin.post(CONNS, { name: 'api', connection_type: 'HTTP', options: { host: 'https://api.example.com', bearer_token: 'http-s3cr3t', base_path: '/v1' } });
    const first = await admin.get<{ connections: { name: string }[]; next_page_token?: string }>(CONNS, { max_results: 2 });
    expect(first.body.connections.map((c) => c.name)).toEqual(['api', 'mysql_prod']);
    const second = await admin.get<{ connections: { name: string }[] }>(CONNS, { max_results: 2, page_token: first.body.next_page_token });
    expect(second.body).toEqual({ connections: [expect.objectContaining({ name: 'pg' })] });
    expectError(await admin.get(CONNS, { max_results: -1 }), 400, 'INVALID_PARAMETER_VALUE');

    // Options are replaced whole; the answer follows them (url, credential type).
    const moved = await admin.call('PATCH', `${CONNS}/mysql_prod`, { options: { ...MYSQL, host: 'db2.example.com', port: '3307' } });
    expect(moved.body).toMatchObject({ options: { host: 'db2.example.com', port: '3307' }, url: 'db2.example.com:3307', credential_type: 'USERNAME_PASSWORD', comment: 'orders db', updated_by: 'admin@emulator.local' });
    const renamed = await admin.call('PATCH', `${CONNS}/mysql_prod`, { options: MYSQL, new_name: 'orders', owner: USER });
    expect(renamed.body).toMatchObject({ name: 'orders', full_name: 'orders', connection_id: created.body.connection_id, owner: USER, url: 'db.example.com:3306' });
    expectError(await admin.get(`${CONNS}/mysql_prod`), 404, 'CONNECTION_DOES_NOT_EXIST');
    expect((await admin.call('DELETE', `${CONNS}/orders`)).status).toBe(200);
    const gone = await admin.call('DELETE', `${CONNS}/orders`);
    expectError(gone, 404, 'CONNECTION_DOES_NOT_EXIST');
    expect(gone.body.message).toBe("Connection 'orders' does not exist.");
    expect(await names(admin)).toEqual(['api', 'pg']);
  });

  it('refuses a bad type, a missing option, a taken name or a PATCH without options, changing nothing', async () => {
    const { admin } = ctx;
    const badType = await admin.post(CONNS, { name: 'x', connection_type: 'MONGODB', options: MYSQL });
    expectError(badType, 400, 'INVALID_PARAMETER_VALUE');
    expect(badType.body.message).toContain("Invalid connection_type 'MONGODB'");
    const noPassword = await admin.post(CONNS, { name: 'x', connection_type: 'MYSQL', options: { host: 'h', port: '3306', user: 'u' } });
    expectError(noPassword, 400, 'INVALID_PARAMETER_VALUE');
    expect(noPassword.body.message).toBe("Connection type MYSQL requires option 'password'.");
    const sqlServer = await admin.post(CONNS, { name: 'x', connection_type: 'SQLSERVER', options: { host: 'h', user: 'u', password: PASSWORD } });
    expect(sqlServer.body.message).toBe("Connection type SQLSERVER requires option 'port'.");
    const snowflake = await admin.post(CONNS, { name: 'x', connection_type: 'SNOWFLAKE', options: { host: 'acct.snowflakecomputing.com', port: '443', user: 'u', password: PASSWORD } });
    expect(snowflake.body.message).toBe("Connection type SNOWFLAKE requires option 'sfWarehouse'.");
    expectError(await admin.post(CONNS, { name: 'x', connection_type: 'MYSQL' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await connection(admin, 'bad name!'), 400, 'INVALID_PARAMETER_VALUE');
    expect(await names(admin)).toEqual([]);

    const keyPair = await admin.post(CONNS, { name: 'sf', connection_type: 'SNOWFLAKE', options: { host: 'acct.snowflakecomputing.com', port: '443', sfWarehouse: 'wh', user: 'u', pem_private_key: 'pem-s3cr3t' } });
    expect(keyPair.body).toMatchObject({ credential_type: 'PEM_PRIVATE_KEY', options: { host: 'acct.snowflakecomputing.com', port: '443', sfWarehouse: 'wh' } });
    const original = await connection(admin, 'x');
    const taken = await connection(admin, 'X', { connection_type: 'POSTGRESQL' });
    expectError(taken, 409, 'CONNECTION_ALREADY_EXISTS');
    expect(taken.body.message).toBe("Connection 'x' already exists");
    expectError(await admin.call('PATCH', `${CONNS}/x`, { new_name: 'y' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await admin.call('PATCH', `${CONNS}/x`, { options: { host: 'other' } }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await admin.call('PATCH', `${CONNS}/x`, { options: MYSQL, new_name: 'sf' }), 409, 'CONNECTION_ALREADY_EXISTS');
    expectError(await admin.call('PATCH', `${CONNS}/nope`, { options: MYSQL }), 404, 'CONNECTION_DOES_NOT_EXIST');
    expect((await admin.get(`${CONNS}/x`)).body).toEqual(original.body);
  });

  it('secret options are write-only: never answered by create, get, list or update, never stored', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'emu-uc-connections-'));
    const { emu, api } = await startTestEmulator({ dataDir });
    try {
      const answers = [
        await connection(api, 'm'),
        await api.call('PATCH', `${CONNS}/m`, { options: { ...MYSQL, password: `${PASSWORD}-rotated` } }),
        await api.get(`${CONNS}/m`),
        await api.get(CONNS),
        await api.post(CONNS, { name: 'sf', connection_type: 'SNOWFLAKE', options: { host: 'h', port: '443', sfWarehouse: 'wh', client_id: 'id', client_secret: 'oauth-s3cr3t' } }),
      ];
      for (const a of answers) expect(a.status).toBe(200);
      expect(answers[0]!.body.options).toEqual({ host: 'db.example.com', port: '3306' });
      expect(answers[4]!.body).toMatchObject({ credential_type: 'OAUTH_M2M', options: { host: 'h', port: '443', sfWarehouse: 'wh', client_id: 'id' } });
      const everything = JSON.stringify([answers.map((a) => a.body), emu.snapshot()]);
      expect(everything).not.toMatch(/s3cr3t/);
      expect(everything).not.toContain('"user":"etl"');
      const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
      for (const f of files(dataDir).filter((f) => f.endsWith('.json'))) expect(readFileSync(f, 'utf8')).not.toMatch(/s3cr3t/);
    } finally {
      await emu.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('creating needs CREATE CONNECTION; non-owners see and change only what their privileges allow', async () => {
    const { admin, user } = ctx;
    const metastoreId = String((await admin.get(`${UC}/current-metastore-assignment`)).body.metastore_id);
    const denied = await connection(user, 'mine');
    expectError(denied, 403, 'PERMISSION_DENIED');
    expect(denied.body.message).toBe("User does not have CREATE CONNECTION on Metastore 'emulator-metastore'.");
    expect(await names(admin)).toEqual([]);
    await admin.call('PATCH', `${UC}/permissions/metastore/${metastoreId}`, { changes: [{ principal: USER, add: ['CREATE CONNECTION'] }] });
    expect((await connection(user, 'mine')).body.owner).toBe(USER);
    expect((await user.call('PATCH', `${CONNS}/mine`, { options: { ...MYSQL, host: 'mine.example.com' } })).status).toBe(200);

    await connection(admin, 'theirs');
    expect(await names(user)).toEqual(['mine']);
    expect(await names(admin)).toEqual(['mine', 'theirs']);
    expectError(await user.get(`${CONNS}/theirs`), 403, 'PERMISSION_DENIED');
    expectError(await user.call('DELETE', `${CONNS}/theirs`), 403, 'PERMISSION_DENIED');

    const perms = `${UC}/permissions/connection/theirs`;
    expectError(await user.call('PATCH', perms, { changes: [{ principal: USER, add: ['USE_CONNECTION'] }] }), 403, 'PERMISSION_DENIED');
    const granted = await admin.call('PATCH', perms, { changes: [{ principal: USER, add: ['USE CONNECTION', 'CREATE_FOREIGN_CATALOG'] }] });
    expect(granted.body).toEqual({ privilege_assignments: [{ principal: USER, privileges: ['CREATE_FOREIGN_CATALOG', 'USE_CONNECTION'] }] });
    expect((await admin.get(`${UC}/effective-permissions/connection/theirs`)).body.privilege_assignments).toEqual([
      { principal: USER, privileges: [{ privilege: 'CREATE_FOREIGN_CATALOG' }, { privilege: 'USE_CONNECTION' }] },
    ]);
    const notApplicable = await admin.call('PATCH', perms, { changes: [{ principal: USER, add: ['SELECT'] }] });
    expectError(notApplicable, 400, 'INVALID_PARAMETER_VALUE');
    expect(notApplicable.body.message).toContain('Privilege SELECT is not applicable');
    expectError(await admin.get(`${UC}/permissions/connection/nope`), 404, 'CONNECTION_DOES_NOT_EXIST');

    // USE CONNECTION shows it; only MANAGE (or ownership) changes or drops it.
    expect(await names(user)).toEqual(['mine', 'theirs']);
    expect((await user.get(`${CONNS}/theirs`)).body.owner).toBe('admin@emulator.local');
    const noManage = await user.call('PATCH', `${CONNS}/theirs`, { options: MYSQL, new_name: 'stolen' });
    expectError(noManage, 403, 'PERMISSION_DENIED');
    expect(noManage.body.message).toBe("User does not have MANAGE on Connection 'theirs'.");
    await admin.call('PATCH', perms, { changes: [{ principal: USER, add: ['MANAGE'] }] });
    expect((await user.call('PATCH', `${CONNS}/theirs`, { options: MYSQL, new_name: 'shared' })).body.name).toBe('shared');
    // Grants live with the object, so they follow the rename.
    expect((await admin.get(`${UC}/permissions/connection/shared`)).body.privilege_assignments).toHaveLength(1);
    expect((await user.call('DELETE', `${CONNS}/shared`)).status).toBe(200);
    expect(await names(admin)).toEqual(['mine']);
  });

  it('a reset forgets them; with --data-dir they and their grants survive a restart', async () => {
    await connection(ctx.admin, 'c');
    ctx.emu.reset();
    expect(await names(ctx.admin)).toEqual([]);

    const dataDir = mkdtempSync(join(tmpdir(), 'emu-uc-connections-'));
    try {
      const first = await startTestEmulator({ dataDir, tokens: ['dapi-admin', 'dapi-user1'] });
      await connection(first.api, 'c');
      await first.api.call('PATCH', `${UC}/permissions/connection/c`, { changes: [{ principal: USER, add: ['USE_CONNECTION'] }] });
      await first.emu.close();
      const second = await startTestEmulator({ dataDir, tokens: ['dapi-admin', 'dapi-user1'] });
      try {
        expect((await second.api.as('dapi-user1').get(`${CONNS}/c`)).body).toMatchObject({ name: 'c', url: 'db.example.com:3306', options: { host: 'db.example.com', port: '3306' } });
      } finally {
        await second.emu.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
