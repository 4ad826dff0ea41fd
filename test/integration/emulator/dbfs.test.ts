import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { startTestEmulator, type TestClient } from './helpers.js';

const MB = 1024 * 1024;
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

describe('DBFS', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  beforeAll(async () => ({ emu, api } = await startTestEmulator()));
  afterAll(() => emu.close());
  afterEach(() => emu.reset());

  it('put then read returns the bytes, base64, with bytes_read counting decoded bytes', async () => {
    expect((await api.post('/api/2.0/dbfs/put', { path: '/tmp/hello.txt', contents: b64('hello, world') })).status).toBe(200);
    const read = await api.get<{ bytes_read: number; data: string }>('/api/2.0/dbfs/read', { path: '/tmp/hello.txt', offset: 7, length: 100 });
    expect(read.body).toEqual({ bytes_read: 5, data: b64('world') });
    const eof = await api.get('/api/2.0/dbfs/read', { path: '/tmp/hello.txt', offset: 100 });
    expect(eof.body).toEqual({ bytes_read: 0, data: '' });
    expect((await api.get('/api/2.0/dbfs/get-status', { path: 'dbfs:/tmp/hello.txt' })).body).toMatchObject({ path: '/tmp/hello.txt', is_dir: false, file_size: 12 });
  });

  it('enforces the 1 MB limits with the real error codes', async () => {
    const big = b64(Buffer.alloc(MB + 1));
    expect((await api.post('/api/2.0/dbfs/put', { path: '/tmp/big', contents: big })).body.error_code).toBe('MAX_BLOCK_SIZE_EXCEEDED');
    expect((await api.get('/api/2.0/dbfs/get-status', { path: '/tmp/big' })).status).toBe(404);
    await api.post('/api/2.0/dbfs/put', { path: '/tmp/small', contents: b64('x') });
    expect((await api.get('/api/2.0/dbfs/read', { path: '/tmp/small', length: MB + 1 })).body.error_code).toBe('MAX_READ_SIZE_EXCEEDED');
    const { handle } = (await api.post<{ handle: number }>('/api/2.0/dbfs/create', { path: '/tmp/stream' })).body;
    expect((await api.post('/api/2.0/dbfs/add-block', { handle, data: big })).body.error_code).toBe('MAX_BLOCK_SIZE_EXCEEDED');
  });

  it('rejects invalid base64, relative paths and negative offsets with 400', async () => {
    expect((await api.post('/api/2.0/dbfs/put', { path: '/tmp/x', contents: '!!not base64!!' })).status).toBe(400);
    expect((await api.post('/api/2.0/dbfs/put', { path: 'tmp/x', contents: '' })).body.error_code).toBe('INVALID_PARAMETER_VALUE');
    await api.post('/api/2.0/dbfs/put', { path: '/tmp/x', contents: '' });
    expect((await api.get('/api/2.0/dbfs/read', { path: '/tmp/x', offset: -1 })).status).toBe(400);
  });

  it('existing files need overwrite; missing files are 404 RESOURCE_DOES_NOT_EXIST', async () => {
    await api.post('/api/2.0/dbfs/put', { path: '/a/b.txt', contents: b64('1') });
    expect((await api.post('/api/2.0/dbfs/put', { path: '/a/b.txt', contents: b64('2') })).body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    expect((await api.post('/api/2.0/dbfs/put', { path: '/a/b.txt', contents: b64('2'), overwrite: true })).status).toBe(200);
    const missing = await api.get('/api/2.0/dbfs/read', { path: '/nope' });
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('mkdirs: creates parents, succeeds on an existing directory, fails on a file prefix (quirk 12)', async () => {
    expect((await api.post('/api/2.0/dbfs/mkdirs', { path: '/d/e/f' })).status).toBe(200);
    expect((await api.post('/api/2.0/dbfs/mkdirs', { path: '/d/e' })).status).toBe(200);
    await api.post('/api/2.0/dbfs/put', { path: '/d/file', contents: '' });
    expect((await api.post('/api/2.0/dbfs/mkdirs', { path: '/d/file/sub' })).body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
  });

  it('list, move and delete (non-empty directory needs recursive → IO_ERROR)', async () => {
    await api.post('/api/2.0/dbfs/put', { path: '/m/one', contents: b64('1') });
    await api.post('/api/2.0/dbfs/put', { path: '/m/two', contents: b64('22') });
    const list = await api.get<{ files: { path: string; is_dir: boolean }[] }>('/api/2.0/dbfs/list', { path: '/m' });
    expect(list.body.files.map((f) => f.path)).toEqual(['/m/one', '/m/two']);
    expect((await api.get<{ files: unknown[] }>('/api/2.0/dbfs/list', { path: '/m/one' })).body.files).toHaveLength(1);
    await api.post('/api/2.0/dbfs/move', { source_path: '/m', destination_path: '/n/m' });
    expect((await api.get('/api/2.0/dbfs/get-status', { path: '/n/m/two' })).body).toMatchObject({ file_size: 2 });
    expect((await api.post('/api/2.0/dbfs/move', { source_path: '/nope', destination_path: '/z' })).status).toBe(404);
    expect((await api.post('/api/2.0/dbfs/delete', { path: '/n' })).body.error_code).toBe('IO_ERROR');
    expect((await api.post('/api/2.0/dbfs/delete', { path: '/n', recursive: true })).status).toBe(200);
    expect((await api.get('/api/2.0/dbfs/get-status', { path: '/n' })).status).toBe(404);
  });

  it('paths cannot escape the DBFS root', async () => {
    await api.post('/api/2.0/dbfs/put', { path: '/../../escape.txt', contents: b64('x') });
    expect((await api.get('/api/2.0/dbfs/get-status', { path: '/escape.txt' })).status).toBe(200);
  });

  it('Unity Catalog volume paths are refused with 403 on every call, and nothing is written (they belong to the Files API)', async () => {
    const denied = { status: 403, body: { error_code: 'PERMISSION_DENIED', message: 'No operations allowed on this path.' } };
    const answer = (r: { status: number; body: unknown }) => ({ status: r.status, body: r.body });
    for (const path of ['/Volumes/main/default/landing/a.csv', 'dbfs:/Volumes/main/default/landing', '/Volumes', '/tmp/../Volumes/x']) {
      expect(answer(await api.post('/api/2.0/dbfs/put', { path, contents: b64('x'), overwrite: true }))).toEqual(denied);
      expect(answer(await api.post('/api/2.0/dbfs/create', { path }))).toEqual(denied);
      expect(answer(await api.post('/api/2.0/dbfs/mkdirs', { path }))).toEqual(denied);
      expect(answer(await api.get('/api/2.0/dbfs/list', { path }))).toEqual(denied);
      expect(answer(await api.get('/api/2.0/dbfs/get-status', { path }))).toEqual(denied);
      expect(answer(await api.get('/api/2.0/dbfs/read', { path }))).toEqual(denied);
      expect(answer(await api.post('/api/2.0/dbfs/delete', { path }))).toEqual(denied);
    }
    await api.post('/api/2.0/dbfs/put', { path: '/tmp/v.txt', contents: b64('x') });
    expect(answer(await api.post('/api/2.0/dbfs/move', { source_path: '/tmp/v.txt', destination_path: '/Volumes/main/default/v.txt' }))).toEqual(denied);
    expect((await api.get('/api/2.0/dbfs/get-status', { path: '/tmp/v.txt' })).status).toBe(200);
    // Only the exact top-level name is the volumes root: other paths that merely start alike are DBFS's.
    expect((await api.post('/api/2.0/dbfs/put', { path: '/VolumesArchive/x', contents: b64('x') })).status).toBe(200);
    expect((await api.get<{ files: { path: string }[] }>('/api/2.0/dbfs/list', { path: '/' })).body.files.map((f) => f.path)).not.toContain('/Volumes');
  });

  it('unknown streaming handles are RESOURCE_DOES_NOT_EXIST; the file appears only at close', async () => {
    expect((await api.post('/api/2.0/dbfs/add-block', { handle: 12345, data: '' })).body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const { handle } = (await api.post<{ handle: number }>('/api/2.0/dbfs/create', { path: '/s/file' })).body;
    await api.post('/api/2.0/dbfs/add-block', { handle, data: b64('abc') });
    expect((await api.get('/api/2.0/dbfs/get-status', { path: '/s/file' })).status).toBe(404);
    await api.post('/api/2.0/dbfs/close', { handle });
    expect((await api.get('/api/2.0/dbfs/get-status', { path: '/s/file' })).body).toMatchObject({ file_size: 3 });
    expect((await api.post('/api/2.0/dbfs/close', { handle })).status).toBe(404);
  });

  it('deleting a big tree answers 503 after deleting part of it; repeating the call finishes (quirk 6)', async () => {
    for (let i = 0; i < 1200; i++) await api.post('/api/2.0/dbfs/put', { path: `/tree/d${i % 7}/f${i}`, contents: '' });
    const first = await api.post('/api/2.0/dbfs/delete', { path: '/tree', recursive: true });
    expect(first.status).toBe(503);
    expect(first.body.error_code).toBe('TEMPORARILY_UNAVAILABLE');
    const left = await Promise.all(Array.from({ length: 7 }, (_, d) => api.get<{ files?: unknown[] }>('/api/2.0/dbfs/list', { path: `/tree/d${d}` })));
    expect(left.reduce((n, r) => n + (r.body.files?.length ?? 0), 0)).toBe(200);
    expect((await api.post('/api/2.0/dbfs/delete', { path: '/tree', recursive: true })).status).toBe(200);
    expect((await api.get('/api/2.0/dbfs/get-status', { path: '/tree' })).status).toBe(404);
  });

  it('accepts a multipart put, which is not bound by the 1 MB limit of JSON contents', async () => {
    const data = Buffer.alloc(2 * MB + 3, 7);
    const form = new FormData();
    form.append('path', '/multi/part.bin');
    form.append('overwrite', 'true');
    form.append('contents', new Blob([data]), 'part.bin');
    const res = await fetch(`${emu.url}/api/2.0/dbfs/put`, { method: 'POST', headers: { authorization: `Bearer ${emu.token}` }, body: form });
    expect(res.status).toBe(200);
    expect((await api.get('/api/2.0/dbfs/get-status', { path: '/multi/part.bin' })).body).toMatchObject({ file_size: data.length });
    const bad = await fetch(`${emu.url}/api/2.0/dbfs/put`, { method: 'POST', headers: { authorization: `Bearer ${emu.token}`, 'content-type': 'multipart/form-data; boundary=x' }, body: 'garbage' });
    expect(bad.status).toBe(400);
  });

  it('a 100 MB file goes in and out through streaming handles intact', async () => {
    const size = 100 * MB;
    const block = MB;
    const inHash = createHash('sha256');
    const { handle } = (await api.post<{ handle: number }>('/api/2.0/dbfs/create', { path: '/big/100mb.bin', overwrite: true })).body;
    for (let offset = 0; offset < size; offset += block) {
      // Deterministic but non-repeating content, so a misplaced block changes the hash.
      const chunk = Buffer.alloc(block);
      for (let i = 0; i < block; i += 4) chunk.writeUInt32LE((offset + i) >>> 0, i);
      inHash.update(chunk);
      const res = await api.post('/api/2.0/dbfs/add-block', { handle, data: chunk.toString('base64') });
      expect(res.status).toBe(200);
    }
    await api.post('/api/2.0/dbfs/close', { handle });
    expect((await api.get('/api/2.0/dbfs/get-status', { path: '/big/100mb.bin' })).body).toMatchObject({ file_size: size });
    const outHash = createHash('sha256');
    let total = 0;
    for (;;) {
      const { body } = await api.get<{ bytes_read: number; data: string }>('/api/2.0/dbfs/read', { path: '/big/100mb.bin', offset: total, length: block });
      if (body.bytes_read === 0) break;
      outHash.update(Buffer.from(body.data, 'base64'));
      total += body.bytes_read;
    }
    expect(total).toBe(size);
    expect(outHash.digest('hex')).toBe(inHash.digest('hex'));
  }, 60_000);
});
