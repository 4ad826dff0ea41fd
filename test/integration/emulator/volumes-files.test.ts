import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { MAX_UPLOAD_BYTES } from '../../../src/emulator/services/files/routes.js';
import { expectErrorShape, startTestEmulator, TestClient } from './helpers.js';

/**
 * Unity Catalog volumes (/api/2.1/unity-catalog/volumes) and the Files API over them
 * (/api/2.0/fs/files…, /api/2.0/fs/directories…), on the wire.
 */
let emu: RunningEmulator;
let api: TestClient;
beforeAll(async () => ({ emu, api } = await startTestEmulator()));
afterAll(() => emu?.close());
beforeEach(() => emu.reset());

const VOL = '/api/2.1/unity-catalog/volumes';
const FILES = '/api/2.0/fs/files';
const DIRS = '/api/2.0/fs/directories';

async function raw(method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(`${emu.url}${path}`, { method, headers: { authorization: `Bearer ${emu.token}`, ...headers }, ...(body !== undefined ? { body } : {}) });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
const json = (r: { bytes: Buffer }) => JSON.parse(r.bytes.toString('utf8')) as Record<string, unknown>;

async function makeVolume(name = 'v1', schema = 'default'): Promise<Record<string, unknown>> {
  const r = await api.post(VOL, { catalog_name: 'main', schema_name: schema, name, volume_type: 'MANAGED' });
  expect(r.status).toBe(200);
  return r.body;
}

describe('Unity Catalog volumes', () => {
  it('create, read, list, update (comment, owner, rename) and delete', async () => {
    const created = await makeVolume('Raw_Files');
    expect(created).toMatchObject({
      catalog_name: 'main',
      schema_name: 'default',
      name: 'raw_files',
      full_name: 'main.default.raw_files',
      volume_type: 'MANAGED',
      owner: created.created_by,
      created_by: expect.any(String),
      metastore_id: expect.any(String),
    });
    expect(created.volume_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.storage_location).toContain(String(created.volume_id));
    expect((await api.get(`${VOL}/main.default.raw_files`)).body).toEqual(created);

    const ext = await api.post(VOL, { catalog_name: 'main', schema_name: 'default', name: 'ext', volume_type: 'EXTERNAL', storage_location: 's3://bucket/ext/', comment: 'landing' });
    expect(ext.body).toMatchObject({ volume_type: 'EXTERNAL', storage_location: 's3://bucket/ext', comment: 'landing' });

    const listed = await api.get<{ volumes: { name: string }[] }>(VOL, { catalog_name: 'main', schema_name: 'default' });
    expect(listed.body.volumes.map((v) => v.name)).toEqual(['ext', 'raw_files']);

    const upd = await api.call('PATCH', `${VOL}/main.default.raw_files`, { comment: 'c2', owner: 'team@example.com' });
    expect(upd.body).toMatchObject({ comment: 'c2', owner: 'team@example.com', volume_id: created.volume_id });
    const renamed = await api.call('PATCH', `${VOL}/main.default.raw_files`, { new_name: 'landed' });
    expect(renamed.body).toMatchObject({ name: 'landed', full_name: 'main.default.landed', volume_id: created.volume_id, comment: 'c2' });
    expect((await api.get(`${VOL}/main.default.raw_files`)).status).toBe(404);

    expect((await api.call('DELETE', `${VOL}/main.default.landed`)).status).toBe(200);
    const gone = await api.get(`${VOL}/main.default.landed`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ error_code: 'VOLUME_DOES_NOT_EXIST', message: "Volume 'main.default.landed' does not exist." });
  });

  it('list pages by max_results without empty pages; a negative max_results or a foreign token is refused', async () => {
    for (const n of ['a', 'b', 'c', 'd', 'e']) await makeVolume(n);
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await api.get<{ volumes: { name: string }[]; next_page_token?: string }>(VOL, { catalog_name: 'main', schema_name: 'default', max_results: 2, ...(token ? { page_token: token } : {}) });
      expect(r.body.volumes.length).toBeGreaterThan(0);
      names.push(...r.body.volumes.map((v) => v.name));
      token = r.body.next_page_token;
      pages++;
    } while (token);
    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pages).toBe(3);
    expect((await api.get<{ volumes: unknown[] }>(VOL, { catalog_name: 'main', schema_name: 'default', max_results: 0 })).body.volumes).toHaveLength(5);
    expect((await api.get(VOL, { catalog_name: 'main', schema_name: 'default', max_results: -1 })).body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect((await api.get(VOL, { catalog_name: 'main', schema_name: 'default', page_token: 'bogus' })).status).toBe(400);
  });

  it('refuses bad input with precise errors and changes nothing', async () => {
    await makeVolume('v1');
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{ catalog_name: 'nope', schema_name: 'default', name: 'x', volume_type: 'MANAGED' }, 404, 'CATALOG_DOES_NOT_EXIST', /Catalog 'nope' does not exist/],
      [{ catalog_name: 'main', schema_name: 'nope', name: 'x', volume_type: 'MANAGED' }, 404, 'SCHEMA_DOES_NOT_EXIST', /Schema 'main.nope' does not exist/],
      [{ catalog_name: 'main', schema_name: 'default', name: 'v1', volume_type: 'MANAGED' }, 409, 'VOLUME_ALREADY_EXISTS', /already exists/],
      [{ catalog_name: 'main', schema_name: 'default', name: 'x' }, 400, 'INVALID_PARAMETER_VALUE', /Missing required field: volume_type/],
      [{ catalog_name: 'main', schema_name: 'default', name: 'x', volume_type: 'SHARED' }, 400, 'INVALID_PARAMETER_VALUE', /volume_type/],
      [{ catalog_name: 'main', schema_name: 'default', name: 'x', volume_type: 'MANAGED', storage_location: 's3://b/x' }, 400, 'INVALID_PARAMETER_VALUE', /storage_location can not be provided/],
      [{ catalog_name: 'main', schema_name: 'default', name: 'x', volume_type: 'EXTERNAL' }, 400, 'INVALID_PARAMETER_VALUE', /storage_location/],
      [{ catalog_name: 'main', schema_name: 'default', name: 'bad name!', volume_type: 'MANAGED' }, 400, 'INVALID_PARAMETER_VALUE', /Invalid volume name/],
    ];
    for (const [body, status, code, message] of cases) {
      const r = await api.post(VOL, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expectErrorShape(r.body);
      expect(r.body.error_code).toBe(code);
      expect(r.body.message).toMatch(message);
    }
    expect((await api.get(`${VOL}/main.default`)).body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/expected catalog.schema.volume/) });
    const listed = await api.get<{ volumes: { name: string }[] }>(VOL, { catalog_name: 'main', schema_name: 'default' });
    expect(listed.body.volumes.map((v) => v.name)).toEqual(['v1']);
  });

  it('a schema or catalog with volumes is deleted only with force, and its volumes and files go with it', async () => {
    await api.post('/api/2.1/unity-catalog/schemas', { catalog_name: 'main', name: 'land' });
    const v = await makeVolume('v1', 'land');
    expect((await raw('PUT', `${FILES}/Volumes/main/land/v1/a.txt`, 'x')).status).toBe(204);
    const refused = await api.call('DELETE', '/api/2.1/unity-catalog/schemas/main.land');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error_code: 'INVALID_STATE', message: expect.stringMatching(/1 volumes/) });
    expect((await api.get(`${VOL}/main.land.v1`)).status).toBe(200);
    expect((await api.call('DELETE', '/api/2.1/unity-catalog/schemas/main.land', { force: true })).status).toBe(200);
    await api.post('/api/2.1/unity-catalog/schemas', { catalog_name: 'main', name: 'land' });
    expect((await api.get(`${VOL}/main.land.v1`)).status).toBe(404);
    const again = await makeVolume('v1', 'land');
    expect(again.volume_id).not.toBe(v.volume_id);
    expect((await raw('GET', `${FILES}/Volumes/main/land/v1/a.txt`)).status).toBe(404);
  });
});

describe('Files API', () => {
  it('upload, download, metadata, overwrite rules and delete', async () => {
    await makeVolume();
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
    const up = await raw('PUT', `${FILES}/Volumes/main/default/v1/dir/sub/data.bin`, bytes, { 'content-type': 'application/octet-stream' });
    expect(up.status).toBe(204);
    const down = await raw('GET', `${FILES}/Volumes/main/default/v1/dir/sub/data.bin`);
    expect(down.status).toBe(200);
    expect(down.bytes).toEqual(bytes);
    expect(down.headers.get('content-type')).toBe('application/octet-stream');
    expect(down.headers.get('content-length')).toBe('7');
    expect(new Date(down.headers.get('last-modified')!).getTime()).toBeGreaterThan(0);
    const head = await raw('HEAD', `${FILES}/Volumes/main/default/v1/dir/sub/data.bin`);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('7');
    expect(head.headers.get('last-modified')).toBe(down.headers.get('last-modified'));

    const refused = await raw('PUT', `${FILES}/Volumes/main/default/v1/dir/sub/data.bin?overwrite=false`, 'new');
    expect(refused.status).toBe(409);
    expect(json(refused)).toMatchObject({ error_code: 'ALREADY_EXISTS' });
    expect((await raw('GET', `${FILES}/Volumes/main/default/v1/dir/sub/data.bin`)).bytes).toEqual(bytes);
    // Unset overwrite overwrites.
    expect((await raw('PUT', `${FILES}/Volumes/main/default/v1/dir/sub/data.bin`, 'new')).status).toBe(204);
    expect((await raw('GET', `${FILES}/Volumes/main/default/v1/dir/sub/data.bin`)).bytes.toString()).toBe('new');

    // A directory is not a file, a file is not a directory.
    expect((await raw('GET', `${FILES}/Volumes/main/default/v1/dir`)).status).toBe(404);
    expect((await raw('PUT', `${FILES}/Volumes/main/default/v1/dir`, 'x')).status).toBe(409);
    expect((await raw('PUT', `${FILES}/Volumes/main/default/v1/dir/sub/data.bin/below`, 'x')).status).toBe(409);
    expect((await raw('GET', `${DIRS}/Volumes/main/default/v1/dir/sub/data.bin`)).status).toBe(404);

    expect((await raw('DELETE', `${FILES}/Volumes/main/default/v1/dir/sub/data.bin`)).status).toBe(204);
    const missing = await raw('GET', `${FILES}/Volumes/main/default/v1/dir/sub/data.bin`);
    expect(missing.status).toBe(404);
    expect(json(missing)).toMatchObject({ error_code: 'NOT_FOUND' });
    expect((await raw('HEAD', `${FILES}/Volumes/main/default/v1/dir/sub/data.bin`)).status).toBe(404);
    expect((await raw('DELETE', `${FILES}/Volumes/main/default/v1/dir/sub/data.bin`)).status).toBe(404);
  });

  it('serves byte ranges (206 with Content-Range; 416 outside the file)', async () => {
    await makeVolume();
    await raw('PUT', `${FILES}/Volumes/main/default/v1/abc.txt`, '0123456789');
    const part = await raw('GET', `${FILES}/Volumes/main/default/v1/abc.txt`, undefined, { range: 'bytes=2-4' });
    expect(part.status).toBe(206);
    expect(part.bytes.toString()).toBe('234');
    expect(part.headers.get('content-range')).toBe('bytes 2-4/10');
    expect((await raw('GET', `${FILES}/Volumes/main/default/v1/abc.txt`, undefined, { range: 'bytes=7-' })).bytes.toString()).toBe('789');
    expect((await raw('GET', `${FILES}/Volumes/main/default/v1/abc.txt`, undefined, { range: 'bytes=-2' })).bytes.toString()).toBe('89');
    const outside = await raw('GET', `${FILES}/Volumes/main/default/v1/abc.txt`, undefined, { range: 'bytes=10-' });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe('bytes */10');
  });

  it('handles URL-encoded paths (spaces, %2F) and refuses traversal, foreign roots and missing volumes', async () => {
    await makeVolume();
    expect((await raw('PUT', `${FILES}/Volumes/main/default/v1/my%20dir/a%2Bb%20c.txt`, 'x')).status).toBe(204);
    const listed = json(await raw('GET', `${DIRS}/Volumes/main/default/v1/my%20dir`));
    expect(listed.contents).toEqual([{ path: '/Volumes/main/default/v1/my dir/a+b c.txt', name: 'a+b c.txt', is_directory: false, file_size: 1, last_modified: expect.any(Number) }]);
    // The Databricks CLI escapes the whole path, slashes included.
    expect((await raw('GET', `${FILES}/${encodeURIComponent('Volumes/main/default/v1/my dir/a+b c.txt')}`)).bytes.toString()).toBe('x');

    // fetch() resolves a literal `..` itself; sent inside one escaped segment it reaches the server.
    const traversal = `/${encodeURIComponent('Volumes/main/default/v1/../../other/v2/x')}`;
    for (const bad of [traversal, '/tmp/x', '/Volumes/main/default', '/Volumes/main/default/v1/a//b']) {
      const r = await raw('PUT', `${FILES}${bad}`, 'x');
      expect(r.status, bad).toBe(400);
      expect(json(r)).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    }
    const noVolume = await raw('PUT', `${FILES}/Volumes/main/default/nope/x`, 'x');
    expect(noVolume.status).toBe(404);
    expect(json(noVolume).message).toMatch(/Volume 'main.default.nope' does not exist/);
    expect(json(await raw('GET', `${DIRS}/Volumes/main/default/v1`)).contents).toEqual([{ path: '/Volumes/main/default/v1/my dir', name: 'my dir', is_directory: true }]);
  });

  it('refuses an upload above the limit and keeps the old file', async () => {
    await makeVolume();
    await raw('PUT', `${FILES}/Volumes/main/default/v1/big.bin`, 'old');
    const r = await raw('PUT', `${FILES}/Volumes/main/default/v1/big.bin`, Buffer.alloc(MAX_UPLOAD_BYTES + 1));
    expect(r.status).toBe(400);
    expect(json(r).message).toMatch(/exceeds the emulator's limit/);
    expect((await raw('GET', `${FILES}/Volumes/main/default/v1/big.bin`)).bytes.toString()).toBe('old');
  });

  it('directories: create with parents (idempotent), exists, list pages, delete only when empty', async () => {
    await makeVolume();
    expect((await raw('PUT', `${DIRS}/Volumes/main/default/v1/a/b/c`)).status).toBe(204);
    expect((await raw('PUT', `${DIRS}/Volumes/main/default/v1/a/b/c/`)).status).toBe(204);
    expect((await raw('HEAD', `${DIRS}/Volumes/main/default/v1/a/b`)).status).toBe(200);
    expect((await raw('HEAD', `${DIRS}/Volumes/main/default/v1`)).status).toBe(200);
    expect((await raw('HEAD', `${DIRS}/Volumes/main/default/v1/zz`)).status).toBe(404);
    for (let i = 0; i < 5; i++) await raw('PUT', `${FILES}/Volumes/main/default/v1/a/f${i}.txt`, 'x'.repeat(i));
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = json(await raw('GET', `${DIRS}/Volumes/main/default/v1/a?page_size=2${token ? `&page_token=${token}` : ''}`)) as { contents: { name: string }[]; next_page_token?: string };
      expect(page.contents.length).toBeLessThanOrEqual(2);
      names.push(...page.contents.map((c) => c.name));
      token = page.next_page_token;
    } while (token);
    expect(names).toEqual(['b', 'f0.txt', 'f1.txt', 'f2.txt', 'f3.txt', 'f4.txt']);
    expect((await raw('GET', `${DIRS}/Volumes/main/default/v1/a?page_token=garbage`)).status).toBe(400);
    expect((await raw('GET', `${DIRS}/Volumes/main/default/v1/nope`)).status).toBe(404);
    expect((await raw('PUT', `${DIRS}/Volumes/main/default/v1/a/f1.txt/x`)).status).toBe(409);

    const notEmpty = await raw('DELETE', `${DIRS}/Volumes/main/default/v1/a/b`);
    expect(notEmpty.status).toBe(400);
    expectErrorShape(json(notEmpty));
    expect(json(notEmpty).details).toEqual([expect.objectContaining({ reason: 'FILES_API_DIRECTORY_IS_NOT_EMPTY' })]);
    expect((await raw('HEAD', `${DIRS}/Volumes/main/default/v1/a/b/c`)).status).toBe(200);
    expect((await raw('DELETE', `${DIRS}/Volumes/main/default/v1/a/b/c`)).status).toBe(204);
    expect((await raw('HEAD', `${DIRS}/Volumes/main/default/v1/a/b/c`)).status).toBe(404);
    expect((await raw('DELETE', `${DIRS}/Volumes/main/default/v1`)).status).toBe(400);
  });

  it('deleting a volume deletes its files on disk; a re-created volume of the same name is empty', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'emu-files-'));
    const own = await startEmulator({ dataDir, speed: Infinity, seed: 3, rateLimitPerSecond: 0 });
    try {
      const c = new TestClient(own);
      const v = (await c.post(VOL, { catalog_name: 'main', schema_name: 'default', name: 'v1', volume_type: 'MANAGED' })).body;
      await fetch(`${own.url}${FILES}/Volumes/main/default/v1/x.txt`, { method: 'PUT', headers: { authorization: `Bearer ${own.token}` }, body: 'x' });
      expect(readdirSync(join(dataDir, 'files'))).toEqual([v.volume_id]);
      await c.call('DELETE', `${VOL}/main.default.v1`);
      expect(readdirSync(join(dataDir, 'files'))).toEqual([]);
      await c.post(VOL, { catalog_name: 'main', schema_name: 'default', name: 'v1', volume_type: 'MANAGED' });
      expect((await c.get<{ contents?: unknown[] }>(`${DIRS}/Volumes/main/default/v1`)).body.contents).toEqual([]);
    } finally {
      await own.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('volumes and their files survive a restart with --data-dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'emu-files-'));
    try {
      const first = await startEmulator({ dataDir, speed: Infinity, seed: 3, rateLimitPerSecond: 0 });
      const a = new TestClient(first);
      const v = (await a.post(VOL, { catalog_name: 'main', schema_name: 'default', name: 'kept', volume_type: 'MANAGED', comment: 'c' })).body;
      await fetch(`${first.url}${FILES}/Volumes/main/default/kept/d/f.txt`, { method: 'PUT', headers: { authorization: `Bearer ${first.token}` }, body: 'persisted' });
      await first.close();
      const second = await startEmulator({ dataDir, speed: Infinity, seed: 3, rateLimitPerSecond: 0 });
      try {
        const b = new TestClient(second);
        expect((await b.get(`${VOL}/main.default.kept`)).body).toMatchObject({ volume_id: v.volume_id, comment: 'c' });
        const res = await fetch(`${second.url}${FILES}/Volumes/main/default/kept/d/f.txt`, { headers: { authorization: `Bearer ${second.token}` } });
        expect(await res.text()).toBe('persisted');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
