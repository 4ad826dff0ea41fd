import { describe, expect, it } from 'vitest';
import { expectErrorShape, useAdminAndUser, type TestClient } from './helpers.js';

/**
 * Unity Catalog volume privileges on the Files API, on the wire: an admin makes the volume and
 * grants through the permissions API, a non-admin reads and writes its files.
 */
const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });
const TOKENS = { admin: 'dapi-admin', user: 'dapi-user1' } as const;
const USER = 'user1@emulator.local';
const UC = '/api/2.1/unity-catalog';
const FILES = '/api/2.0/fs/files';
const DIRS = '/api/2.0/fs/directories';
const ROOT = '/Volumes/sales/raw/landing';

interface Raw {
  status: number;
  text: string;
}

async function call(who: keyof typeof TOKENS, method: string, path: string, body?: string): Promise<Raw> {
  const res = await fetch(`${ctx.emu.url}${path}`, { method, headers: { authorization: `Bearer ${TOKENS[who]}` }, ...(body !== undefined ? { body } : {}) });
  return { status: res.status, text: await res.text() };
}

/** Every Files API call, on paths under `root`: the reads, then the writes. */
function reads(root: string): [string, string][] {
  return [
    ['GET', `${FILES}${root}/a.txt`],
    ['HEAD', `${FILES}${root}/a.txt`],
    ['GET', `${DIRS}${root}/dir`],
    ['HEAD', `${DIRS}${root}/dir`],
  ];
}
function writes(root: string): [string, string, string?][] {
  return [
    ['PUT', `${FILES}${root}/a.txt?overwrite=true`, 'changed'],
    ['PUT', `${FILES}${root}/new.txt`, 'new'],
    ['DELETE', `${FILES}${root}/dir/b.txt`],
    ['PUT', `${DIRS}${root}/made`],
    ['DELETE', `${DIRS}${root}/empty`],
  ];
}

/** A 403 `PERMISSION_DENIED` with `message` (HEAD answers carry no body). */
function expectDenied(r: Raw, method: string, message: string): void {
  expect(r.status, r.text).toBe(403);
  if (method === 'HEAD') return;
  const body = JSON.parse(r.text) as Record<string, unknown>;
  expectErrorShape(body);
  expect({ error_code: body.error_code, message: body.message }).toEqual({ error_code: 'PERMISSION_DENIED', message });
}

async function expectReadsDenied(message: string, root = ROOT): Promise<void> {
  for (const [method, path] of reads(root)) expectDenied(await call('user', method, path), method, message);
}
async function expectWritesDenied(message: string, root = ROOT): Promise<void> {
  for (const [method, path, body] of writes(root)) expectDenied(await call('user', method, path, body), method, message);
}
async function expectReadsAllowed(): Promise<void> {
  const got = await call('user', 'GET', `${FILES}${ROOT}/a.txt`);
  expect(got).toEqual({ status: 200, text: 'hello' });
  expect((await call('user', 'HEAD', `${FILES}${ROOT}/a.txt`)).status).toBe(200);
  const listed = await call('user', 'GET', `${DIRS}${ROOT}/dir`);
  expect(listed.status, listed.text).toBe(200);
  expect((JSON.parse(listed.text) as { contents: { name: string }[] }).contents.map((e) => e.name)).toEqual(['b.txt']);
  expect((await call('user', 'HEAD', `${DIRS}${ROOT}/dir`)).status).toBe(200);
}
async function expectWritesAllowed(): Promise<void> {
  for (const [method, path, body] of writes(ROOT)) {
    const r = await call('user', method, path, body);
    expect(r.status, `${method} ${path}: ${r.text}`).toBe(204);
  }
  expect(await call('admin', 'GET', `${FILES}${ROOT}/a.txt`)).toEqual({ status: 200, text: 'changed' });
  expect(await call('admin', 'GET', `${FILES}${ROOT}/new.txt`)).toEqual({ status: 200, text: 'new' });
  expect(await tree()).toEqual(['a.txt', 'dir/', 'made/', 'new.txt']);
}

/** Catalog sales, schema raw, volume landing (the admin's) with a.txt, dir/b.txt and an empty directory. */
async function setUp(): Promise<void> {
  const { admin } = ctx;
  expect((await admin.post(`${UC}/catalogs`, { name: 'sales' })).status).toBe(200);
  expect((await admin.post(`${UC}/schemas`, { catalog_name: 'sales', name: 'raw' })).status).toBe(200);
  expect((await admin.post(`${UC}/volumes`, { catalog_name: 'sales', schema_name: 'raw', name: 'landing', volume_type: 'MANAGED' })).status).toBe(200);
  expect((await call('admin', 'PUT', `${FILES}${ROOT}/a.txt`, 'hello')).status).toBe(204);
  expect((await call('admin', 'PUT', `${FILES}${ROOT}/dir/b.txt`, 'bee')).status).toBe(204);
  expect((await call('admin', 'PUT', `${DIRS}${ROOT}/empty`)).status).toBe(204);
}

/** The volume's entries as the admin lists them (directories with a trailing `/`), and b.txt's bytes. */
async function tree(): Promise<string[]> {
  const r = await call('admin', 'GET', `${DIRS}${ROOT}`);
  expect(r.status).toBe(200);
  return (JSON.parse(r.text) as { contents?: { name: string; is_directory: boolean }[] }).contents!.map((e) => (e.is_directory ? `${e.name}/` : e.name));
}
async function expectUnchanged(): Promise<void> {
  expect(await tree()).toEqual(['a.txt', 'dir/', 'empty/']);
  expect(await call('admin', 'GET', `${FILES}${ROOT}/a.txt`)).toEqual({ status: 200, text: 'hello' });
  expect(await call('admin', 'GET', `${FILES}${ROOT}/dir/b.txt`)).toEqual({ status: 200, text: 'bee' });
}

const grant = async (api: TestClient, type: string, name: string, privileges: string[], op: 'add' | 'remove' = 'add') => {
  const r = await api.call('PATCH', `${UC}/permissions/${type}/${name}`, { changes: [{ principal: USER, [op]: privileges }] });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};

describe('Files API: Unity Catalog volume privileges', () => {
  it('a non-admin without grants is denied every call, naming the first level it cannot pass, and nothing changes', async () => {
    await setUp();
    await expectReadsDenied("User does not have USE CATALOG on Catalog 'sales'.");
    await expectWritesDenied("User does not have USE CATALOG on Catalog 'sales'.");
    await expectUnchanged();

    await grant(ctx.admin, 'catalog', 'sales', ['USE_CATALOG']);
    await expectReadsDenied("User does not have USE SCHEMA on Schema 'sales.raw'.");
    await expectWritesDenied("User does not have USE SCHEMA on Schema 'sales.raw'.");
    await grant(ctx.admin, 'schema', 'sales.raw', ['USE_SCHEMA']);
    await expectReadsDenied("User does not have READ VOLUME on Volume 'sales.raw.landing'.");
    await expectWritesDenied("User does not have READ VOLUME and WRITE VOLUME on Volume 'sales.raw.landing'.");
    await expectUnchanged();
  });

  it('READ VOLUME allows reads but no writes; writes take WRITE VOLUME with READ VOLUME (the docs table); a revoke takes it away', async () => {
    await setUp();
    await grant(ctx.admin, 'catalog', 'sales', ['USE_CATALOG']);
    await grant(ctx.admin, 'schema', 'sales.raw', ['USE_SCHEMA']);
    await grant(ctx.admin, 'volume', 'sales.raw.landing', ['READ_VOLUME']);
    await expectReadsAllowed();
    await expectWritesDenied("User does not have WRITE VOLUME on Volume 'sales.raw.landing'.");
    await expectUnchanged();

    await grant(ctx.admin, 'volume', 'sales.raw.landing', ['READ_VOLUME'], 'remove');
    await grant(ctx.admin, 'volume', 'sales.raw.landing', ['WRITE_VOLUME']);
    await expectReadsDenied("User does not have READ VOLUME on Volume 'sales.raw.landing'.");
    await expectWritesDenied("User does not have READ VOLUME on Volume 'sales.raw.landing'.");
    await expectUnchanged();

    await grant(ctx.admin, 'volume', 'sales.raw.landing', ['READ_VOLUME']);
    await expectWritesAllowed();
  });

  it('privileges granted on the catalog or schema are inherited, ALL PRIVILEGES included; a group grant counts', async () => {
    const { admin } = ctx;
    await setUp();
    await grant(admin, 'catalog', 'sales', ['USE_CATALOG', 'USE_SCHEMA', 'READ_VOLUME']);
    await expectReadsAllowed();
    await expectWritesDenied("User does not have WRITE VOLUME on Volume 'sales.raw.landing'.");
    await grant(admin, 'schema', 'sales.raw', ['WRITE_VOLUME']);
    await expectWritesAllowed();

    await admin.call('DELETE', `${UC}/catalogs/sales`, { force: true });
    await setUp();
    await expectReadsDenied("User does not have USE CATALOG on Catalog 'sales'.");
    const group = await admin.post('/api/2.0/preview/scim/v2/Groups', { displayName: 'loaders', members: [{ value: String((await ctx.user.get('/api/2.0/preview/scim/v2/Me')).body.id) }] });
    expect(group.status).toBe(201);
    const r = await admin.call('PATCH', `${UC}/permissions/catalog/sales`, { changes: [{ principal: 'loaders', add: ['ALL_PRIVILEGES'] }] });
    expect(r.status).toBe(200);
    await expectReadsAllowed();
    await expectWritesAllowed();
  });

  it("the volume's owner holds every privilege on it but still needs USE above it; owning the catalog gives none on the volume", async () => {
    const { admin } = ctx;
    await setUp();
    expect((await admin.call('PATCH', `${UC}/volumes/sales.raw.landing`, { owner: USER })).status).toBe(200);
    await expectReadsDenied("User does not have USE CATALOG on Catalog 'sales'.");
    await grant(admin, 'catalog', 'sales', ['USE_CATALOG', 'USE_SCHEMA']);
    await expectReadsAllowed();
    await expectWritesAllowed();

    await admin.call('DELETE', `${UC}/catalogs/sales`, { force: true });
    await setUp();
    expect((await admin.call('PATCH', `${UC}/catalogs/sales`, { owner: USER })).status).toBe(200);
    await expectReadsDenied("User does not have USE SCHEMA on Schema 'sales.raw'.");
    await grant(admin, 'schema', 'sales.raw', ['USE_SCHEMA']);
    await expectReadsDenied("User does not have READ VOLUME on Volume 'sales.raw.landing'.");
    await expectUnchanged();
  });

  it('a missing catalog, schema, volume or file is the same 403 as an existing one for a caller without privileges, a 404 for one with them and for admins', async () => {
    const { admin } = ctx;
    await setUp();
    for (const root of ['/Volumes/nowhere/raw/landing', '/Volumes/sales/nowhere/landing', '/Volumes/sales/raw/nowhere']) {
      const catalog = root.split('/')[2];
      await expectReadsDenied(`User does not have USE CATALOG on Catalog '${catalog}'.`, root);
      await expectWritesDenied(`User does not have USE CATALOG on Catalog '${catalog}'.`, root);
    }
    await grant(admin, 'catalog', 'sales', ['USE_CATALOG', 'USE_SCHEMA']);
    await expectReadsDenied("User does not have READ VOLUME on Volume 'sales.raw.nowhere'.", '/Volumes/sales/raw/nowhere');
    await expectReadsDenied("User does not have READ VOLUME on Volume 'sales.raw.landing'.");

    await grant(admin, 'catalog', 'sales', ['READ_VOLUME', 'WRITE_VOLUME']);
    for (const who of ['user', 'admin'] as const) {
      for (const [path, message] of [
        [`${FILES}/Volumes/sales/raw/nowhere/a.txt`, "Volume 'sales.raw.nowhere' does not exist."],
        [`${FILES}/Volumes/sales/nowhere/landing/a.txt`, "Schema 'sales.nowhere' does not exist."],
        [`${FILES}${ROOT}/missing.txt`, `The file ${ROOT}/missing.txt does not exist.`],
      ] as const) {
        const r = await call(who, 'GET', path);
        expect(r.status, r.text).toBe(404);
        expect(JSON.parse(r.text)).toMatchObject({ error_code: 'NOT_FOUND', message });
      }
      const put = await call(who, 'PUT', `${FILES}/Volumes/sales/raw/nowhere/a.txt`, 'x');
      expect(put.status, put.text).toBe(404);
    }
    const missingCatalog = await call('admin', 'GET', `${FILES}/Volumes/nowhere/raw/landing/a.txt`);
    expect(missingCatalog.status).toBe(404);
  });

  it('admins pass without grants', async () => {
    await setUp();
    expect(await call('admin', 'GET', `${FILES}${ROOT}/a.txt`)).toEqual({ status: 200, text: 'hello' });
    expect((await call('admin', 'PUT', `${DIRS}${ROOT}/admin-made`)).status).toBe(204);
    expect((await call('admin', 'DELETE', `${FILES}${ROOT}/dir/b.txt`)).status).toBe(204);
  });
});
