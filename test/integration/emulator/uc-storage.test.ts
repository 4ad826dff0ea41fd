import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectErrorShape, startTestEmulator, useAdminAndUser, type Reply, type TestClient } from './helpers.js';

/** Unity Catalog storage credentials and external locations on the wire. */
const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });
const UC = '/api/2.1/unity-catalog';
const USER = 'user1@emulator.local';
const CREDS = `${UC}/storage-credentials`;
const LOCS = `${UC}/external-locations`;
const ROLE = { role_arn: 'arn:aws:iam::123456789012:role/uc-access' };

function expectError(r: Reply, status: number, code: string): void {
  expectErrorShape(r.body);
  expect({ status: r.status, error_code: r.body.error_code }).toEqual({ status, error_code: code });
}
const credential = (c: TestClient, name: string, extra: Record<string, unknown> = { aws_iam_role: ROLE }) => c.post(CREDS, { name, ...extra });
const location = (c: TestClient, name: string, url: string, credential_name = 'cred') => c.post(LOCS, { name, url, credential_name });
const names = async (c: TestClient, path: string, field: string) => ((await c.get<Record<string, { name: string }[]>>(path)).body[field] ?? []).map((x) => x.name);

describe('storage credentials', () => {
  it('create, get, list (paged), rename and delete, with the fields the SDK reads', async () => {
    const { admin } = ctx;
    const created = await credential(admin, 'Cred', { aws_iam_role: ROLE, comment: 'landing', read_only: true });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      name: 'cred',
      full_name: 'cred',
      comment: 'landing',
      read_only: true,
      used_for_managed_storage: false,
      isolation_mode: 'ISOLATION_MODE_OPEN',
      owner: 'admin@emulator.local',
      created_by: 'admin@emulator.local',
      aws_iam_role: { role_arn: ROLE.role_arn, unity_catalog_iam_arn: expect.stringMatching(/^arn:aws:iam::/), external_id: expect.any(String) },
    });
    expect(typeof created.body.id).toBe('string');
    expect((await admin.get(`${CREDS}/CRED`)).body).toEqual(created.body);
    for (const n of ['b', 'c']) expect((await credential(admin, n)).status).toBe(200);
    const first = await admin.get<{ storage_credentials: { name: string }[]; next_page_token?: string }>(CREDS, { max_results: 2 });
    expect(first.body.storage_credentials.map((c) => c.name)).toEqual(['b', 'c']);
    const second = await admin.get<{ storage_credentials: { name: string }[]; next_page_token?: string }>(CREDS, { max_results: 2, page_token: first.body.next_page_token });
    expect(second.body).toEqual({ storage_credentials: [expect.objectContaining({ name: 'cred' })] });
    expectError(await admin.get(CREDS, { max_results: -1 }), 400, 'INVALID_PARAMETER_VALUE');

    const renamed = await admin.call('PATCH', `${CREDS}/cred`, { new_name: 'kept', comment: 'moved' });
    expect(renamed.body).toMatchObject({ name: 'kept', id: created.body.id, comment: 'moved', read_only: true });
    expectError(await admin.get(`${CREDS}/cred`), 404, 'STORAGE_CREDENTIAL_DOES_NOT_EXIST');
    expectError(await admin.call('PATCH', `${CREDS}/kept`, { new_name: 'b' }), 409, 'STORAGE_CREDENTIAL_ALREADY_EXISTS');
    expect((await admin.call('DELETE', `${CREDS}/kept`)).status).toBe(200);
    expectError(await admin.call('DELETE', `${CREDS}/kept`), 404, 'STORAGE_CREDENTIAL_DOES_NOT_EXIST');
    expect(await names(admin, CREDS, 'storage_credentials')).toEqual(['b', 'c']);
  });

  it('needs exactly one cloud identity; a taken name is a 409; a refused request changes nothing', async () => {
    const { admin } = ctx;
    const none = await admin.post(CREDS, { name: 'x' });
    expectError(none, 400, 'INVALID_PARAMETER_VALUE');
    expect(none.body.message).toContain('Exactly one of aws_iam_role');
    expectError(await credential(admin, 'x', { aws_iam_role: ROLE, databricks_gcp_service_account: {} }), 400, 'INVALID_PARAMETER_VALUE');
    const missing = await credential(admin, 'x', { azure_service_principal: { directory_id: 'd', application_id: 'a' } });
    expectError(missing, 400, 'INVALID_PARAMETER_VALUE');
    expect(missing.body.message).toBe('Missing required field: azure_service_principal.client_secret');
    expectError(await credential(admin, 'bad name!'), 400, 'INVALID_PARAMETER_VALUE');
    expect(await names(admin, CREDS, 'storage_credentials')).toEqual([]);
    expect((await credential(admin, 'x')).status).toBe(200);
    const taken = await credential(admin, 'X', { databricks_gcp_service_account: {} });
    expectError(taken, 409, 'STORAGE_CREDENTIAL_ALREADY_EXISTS');
    expect(taken.body.message).toBe("Storage Credential 'x' already exists");
    expectError(await admin.call('PATCH', `${CREDS}/x`, { aws_iam_role: ROLE, cloudflare_api_token: { access_key_id: 'k', secret_access_key: 's', account_id: 'a' } }), 400, 'INVALID_PARAMETER_VALUE');
    expect((await admin.get(`${CREDS}/x`)).body).toMatchObject({ aws_iam_role: { role_arn: ROLE.role_arn } });
  });

  it('secrets are write-only: never answered, listed or stored', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'emu-uc-storage-'));
    const { emu, api } = await startTestEmulator({ dataDir });
    try {
      const azure = await credential(api, 'azure', { azure_service_principal: { directory_id: 'tenant', application_id: 'app', client_secret: 'azure-s3cr3t-value' } });
      expect(azure.body.azure_service_principal).toEqual({ directory_id: 'tenant', application_id: 'app' });
      const r2 = await credential(api, 'r2', { cloudflare_api_token: { access_key_id: 'key', secret_access_key: 'r2-s3cr3t-value', account_id: 'acct' } });
      expect(r2.body.cloudflare_api_token).toEqual({ access_key_id: 'key', account_id: 'acct' });
      const gcp = await credential(api, 'gcp', { databricks_gcp_service_account: {} });
      expect(gcp.body.databricks_gcp_service_account).toEqual({ email: expect.stringMatching(/@.*\.iam\.gserviceaccount\.com$/), credential_id: gcp.body.id });
      const everything = JSON.stringify([(await api.get(CREDS)).body, (await api.get(`${CREDS}/azure`)).body, emu.snapshot()]);
      expect(everything).not.toMatch(/s3cr3t/);
      const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
      for (const f of files(dataDir).filter((f) => f.endsWith('.json'))) expect(readFileSync(f, 'utf8')).not.toMatch(/s3cr3t/);
    } finally {
      await emu.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('external locations', () => {
  it('name an existing credential and a cloud URL; follow the credential through a rename', async () => {
    const { admin } = ctx;
    expectError(await location(admin, 'land', 's3://bucket/landing'), 404, 'STORAGE_CREDENTIAL_DOES_NOT_EXIST');
    await credential(admin, 'cred');
    for (const url of ['/mnt/landing', 'wasbs://c@acct.blob.core.windows.net/x', 's3://']) expectError(await location(admin, 'land', url), 400, 'INVALID_PARAMETER_VALUE');
    const created = await admin.post(LOCS, { name: 'Land', url: 's3://bucket/landing/', credential_name: 'cred', comment: 'raw files', skip_validation: true });
    expect(created.status).toBe(200);
    const credId = (await admin.get(`${CREDS}/cred`)).body.id;
    expect(created.body).toMatchObject({
      name: 'land',
      full_name: 'land',
      url: 's3://bucket/landing/',
      credential_name: 'cred',
      credential_id: credId,
      comment: 'raw files',
      read_only: false,
      isolation_mode: 'ISOLATION_MODE_OPEN',
      securable_type: 'EXTERNAL_LOCATION',
      securable_kind: 'EXTERNAL_LOCATION_STANDARD',
      owner: 'admin@emulator.local',
    });
    expectError(await location(admin, 'LAND', 'gs://other/x'), 409, 'EXTERNAL_LOCATION_ALREADY_EXISTS');
    await admin.call('PATCH', `${CREDS}/cred`, { new_name: 'cred2' });
    expect((await admin.get(`${LOCS}/land`)).body).toMatchObject({ credential_name: 'cred2', credential_id: credId });
    const moved = await admin.call('PATCH', `${LOCS}/land`, { new_name: 'landing', url: 'abfss://c@acct.dfs.core.windows.net/landing', read_only: true });
    expect(moved.body).toMatchObject({ name: 'landing', url: 'abfss://c@acct.dfs.core.windows.net/landing', read_only: true, id: created.body.id });
    expect(await names(admin, LOCS, 'external_locations')).toEqual(['landing']);
  });

  it('may not overlap another location: same path, parent or child; a sibling prefix is fine', async () => {
    const { admin } = ctx;
    await credential(admin, 'cred');
    expect((await location(admin, 'a', 's3://bucket/data')).status).toBe(200);
    for (const url of ['s3://bucket/data/', 'S3://bucket/data/sub', 's3://bucket']) {
      const r = await location(admin, 'b', url);
      expectError(r, 400, 'INVALID_PARAMETER_VALUE');
      expect(r.body.message).toContain("overlaps with an existing external location 'a'");
    }
    expect((await location(admin, 'b', 's3://bucket/database')).status).toBe(200);
    expectError(await admin.call('PATCH', `${LOCS}/b`, { url: 's3://bucket/data/x' }), 400, 'INVALID_PARAMETER_VALUE');
    expect((await admin.get(`${LOCS}/b`)).body.url).toBe('s3://bucket/database');
  });

  it('a credential in use is deleted only with force, which leaves its locations without one', async () => {
    const { admin } = ctx;
    await credential(admin, 'cred');
    await location(admin, 'land', 's3://bucket/landing');
    const refused = await admin.call('DELETE', `${CREDS}/cred`);
    expectError(refused, 400, 'INVALID_STATE');
    expect(refused.body.message).toContain('land');
    expectError(await admin.call('PATCH', `${CREDS}/cred`, { databricks_gcp_service_account: {} }), 400, 'INVALID_STATE');
    expect((await admin.call('DELETE', `${CREDS}/cred`, { force: true })).status).toBe(200);
    const orphan = (await admin.get(`${LOCS}/land`)).body;
    expect(orphan.credential_name).toBeUndefined();
    expect(orphan.url).toBe('s3://bucket/landing');
  });

  it("a catalog's or schema's storage_root must lie under one; a location in use is deleted only with force", async () => {
    const { admin } = ctx;
    const uncovered = await admin.post(`${UC}/catalogs`, { name: 'sales', storage_root: 's3://bucket/managed/sales' });
    expectError(uncovered, 400, 'INVALID_PARAMETER_VALUE');
    expect((await admin.get(`${UC}/catalogs/sales`)).status).toBe(404);
    await credential(admin, 'cred');
    await location(admin, 'managed', 's3://bucket/managed');
    expect((await admin.post(`${UC}/catalogs`, { name: 'sales', storage_root: 's3://bucket/managed/sales' })).body.storage_root).toBe('s3://bucket/managed/sales');
    expectError(await admin.post(`${UC}/schemas`, { catalog_name: 'sales', name: 'raw', storage_root: 'gs://elsewhere/raw' }), 400, 'INVALID_PARAMETER_VALUE');
    expect((await admin.post(`${UC}/schemas`, { catalog_name: 'sales', name: 'raw', storage_root: 's3://bucket/managed/raw' })).status).toBe(200);
    const refused = await admin.call('DELETE', `${LOCS}/managed`);
    expectError(refused, 400, 'INVALID_STATE');
    expect(refused.body.message).toMatch(/sales.*sales\.raw|sales\.raw.*sales/);
    expectError(await admin.call('PATCH', `${LOCS}/managed`, { url: 's3://bucket/other' }), 400, 'INVALID_STATE');
    expect((await admin.call('PATCH', `${LOCS}/managed`, { url: 's3://bucket' })).status).toBe(200);
    expect((await admin.call('DELETE', `${LOCS}/managed`, { force: true })).status).toBe(200);
    expect(await names(admin, LOCS, 'external_locations')).toEqual([]);
  });
});

describe('who may create, see and change them', () => {
  it('creating needs the metastore privilege (and CREATE_EXTERNAL_LOCATION on the credential); lists show only what the caller may see', async () => {
    const { admin, user } = ctx;
    const metastoreId = String((await admin.get(`${UC}/current-metastore-assignment`)).body.metastore_id);
    const denied = await credential(user, 'mine');
    expectError(denied, 403, 'PERMISSION_DENIED');
    expect(denied.body.message).toBe("User does not have CREATE STORAGE CREDENTIAL on Metastore 'emulator-metastore'.");
    expectError(await user.call('PATCH', `${UC}/permissions/metastore/${metastoreId}`, { changes: [{ principal: USER, add: ['CREATE_STORAGE_CREDENTIAL'] }] }), 403, 'PERMISSION_DENIED');
    const granted = await admin.call('PATCH', `${UC}/permissions/metastore/${metastoreId}`, { changes: [{ principal: USER, add: ['CREATE_STORAGE_CREDENTIAL', 'CREATE EXTERNAL LOCATION'] }] });
    expect(granted.body).toEqual({ privilege_assignments: [{ principal: USER, privileges: ['CREATE_EXTERNAL_LOCATION', 'CREATE_STORAGE_CREDENTIAL'] }] });
    expectError(await admin.call('PATCH', `${UC}/permissions/metastore/${metastoreId}`, { changes: [{ principal: USER, add: ['SELECT'] }] }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await admin.get(`${UC}/permissions/metastore/not-this-one`), 404, 'METASTORE_DOES_NOT_EXIST');

    expect((await credential(user, 'mine')).body.owner).toBe(USER);
    await credential(admin, 'admins');
    expect(await names(user, CREDS, 'storage_credentials')).toEqual(['mine']);
    expect(await names(admin, CREDS, 'storage_credentials')).toEqual(['admins', 'mine']);
    expectError(await user.get(`${CREDS}/admins`), 403, 'PERMISSION_DENIED');
    expectError(await user.call('DELETE', `${CREDS}/admins`), 403, 'PERMISSION_DENIED');

    // A location on someone else's credential needs CREATE_EXTERNAL_LOCATION on that credential too.
    expectError(await location(user, 'theirs', 's3://b/theirs', 'admins'), 403, 'PERMISSION_DENIED');
    const onCredential = await admin.call('PATCH', `${UC}/permissions/storage_credential/admins`, { changes: [{ principal: USER, add: ['CREATE_EXTERNAL_LOCATION', 'READ_FILES'] }] });
    expect(onCredential.status).toBe(200);
    expect((await location(user, 'theirs', 's3://b/theirs', 'admins')).status).toBe(200);
    expect(await names(user, CREDS, 'storage_credentials')).toEqual(['admins', 'mine']);
    expectError(await user.call('PATCH', `${CREDS}/admins`, { comment: 'mine now' }), 403, 'PERMISSION_DENIED');
    expectError(await admin.call('PATCH', `${UC}/permissions/storage_credential/admins`, { changes: [{ principal: USER, add: ['SELECT'] }] }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('grants on an external location: its privileges only, by those who may manage it', async () => {
    const { admin, user } = ctx;
    await credential(admin, 'cred');
    await location(admin, 'land', 's3://bucket/landing');
    const perms = `${UC}/permissions/external_location/land`;
    expectError(await user.call('PATCH', perms, { changes: [{ principal: USER, add: ['READ_FILES'] }] }), 403, 'PERMISSION_DENIED');
    const r = await admin.call('PATCH', perms, { changes: [{ principal: USER, add: ['READ FILES', 'WRITE_FILES', 'CREATE_EXTERNAL_VOLUME', 'CREATE_MANAGED_STORAGE'] }] });
    expect(r.body).toEqual({ privilege_assignments: [{ principal: USER, privileges: ['CREATE_EXTERNAL_VOLUME', 'CREATE_MANAGED_STORAGE', 'READ_FILES', 'WRITE_FILES'] }] });
    expectError(await admin.call('PATCH', perms, { changes: [{ principal: USER, add: ['USE_CATALOG'] }] }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await admin.get(`${UC}/permissions/external_location/nope`), 404, 'EXTERNAL_LOCATION_DOES_NOT_EXIST');
    expect((await user.get(`${LOCS}/land`)).body.name).toBe('land');
    // Grants go with a rename, since they live with the object.
    await admin.call('PATCH', `${LOCS}/land`, { new_name: 'landing' });
    expect((await admin.get(`${UC}/permissions/external_location/landing`)).body.privilege_assignments).toHaveLength(1);
  });

  it('a reset forgets them, with their grants', async () => {
    const { emu, admin } = ctx;
    await credential(admin, 'cred');
    await location(admin, 'land', 's3://bucket/landing');
    emu.reset();
    expect(await names(admin, CREDS, 'storage_credentials')).toEqual([]);
    expect(await names(admin, LOCS, 'external_locations')).toEqual([]);
  });
});

describe('persistence', () => {
  it('credentials, locations and metastore grants survive a restart with --data-dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'emu-uc-storage-'));
    try {
      const first = await startTestEmulator({ dataDir, tokens: ['dapi-admin', 'dapi-user1'] });
      await credential(first.api, 'cred');
      await location(first.api, 'land', 's3://bucket/landing');
      const metastoreId = String((await first.api.get(`${UC}/current-metastore-assignment`)).body.metastore_id);
      await first.api.call('PATCH', `${UC}/permissions/metastore/${metastoreId}`, { changes: [{ principal: USER, add: ['CREATE_STORAGE_CREDENTIAL'] }] });
      await first.emu.close();
      const second = await startTestEmulator({ dataDir, tokens: ['dapi-admin', 'dapi-user1'] });
      try {
        expect((await second.api.get(`${LOCS}/land`)).body).toMatchObject({ credential_name: 'cred', url: 's3://bucket/landing' });
        expect((await credential(second.api.as('dapi-user1'), 'users')).status).toBe(200);
      } finally {
        await second.emu.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
