import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { startTestEmulator, type TestClient } from './helpers.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

describe('workspace', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  beforeAll(async () => ({ emu, api } = await startTestEmulator()));
  afterAll(() => emu.close());
  afterEach(() => emu.reset());

  it('imports a SOURCE notebook and exports it with the notebook header', async () => {
    await api.post('/api/2.0/workspace/mkdirs', { path: '/Shared/etl' });
    expect((await api.post('/api/2.0/workspace/import', { path: '/Shared/etl/clean', format: 'SOURCE', language: 'SQL', content: b64('SELECT 1') })).status).toBe(200);
    const out = await api.get<{ content: string; file_type: string }>('/api/2.0/workspace/export', { path: '/Shared/etl/clean' });
    expect(out.body.file_type).toBe('sql');
    expect(unb64(out.body.content)).toBe('-- Databricks notebook source\nSELECT 1');
    const status = await api.get('/api/2.0/workspace/get-status', { path: '/Workspace/Shared/etl/clean' });
    expect(status.body).toMatchObject({ path: '/Shared/etl/clean', object_type: 'NOTEBOOK', language: 'SQL' });
  });

  it('import needs an existing parent, overwrite for existing objects, and a language for SOURCE', async () => {
    expect((await api.post('/api/2.0/workspace/import', { path: '/nope/nb', language: 'PYTHON', content: b64('x') })).status).toBe(404);
    await api.post('/api/2.0/workspace/import', { path: '/Shared/nb', language: 'PYTHON', content: b64('x = 1') });
    expect((await api.post('/api/2.0/workspace/import', { path: '/Shared/nb', language: 'PYTHON', content: b64('x = 2') })).body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    await api.post('/api/2.0/workspace/import', { path: '/Shared/nb', language: 'PYTHON', content: b64('x = 2'), overwrite: true });
    expect(unb64((await api.get<{ content: string }>('/api/2.0/workspace/export', { path: '/Shared/nb' })).body.content)).toContain('x = 2');
    expect((await api.post('/api/2.0/workspace/import', { path: '/Shared/nolang', format: 'SOURCE', content: b64('x') })).status).toBe(400);
  });

  it('AUTO turns a .py file with the notebook header into a notebook without the extension; RAW makes a file', async () => {
    await api.post('/api/2.0/workspace/import', { path: '/Shared/auto.py', format: 'AUTO', content: b64('# Databricks notebook source\nprint(1)') });
    expect((await api.get('/api/2.0/workspace/get-status', { path: '/Shared/auto' })).body).toMatchObject({ object_type: 'NOTEBOOK', language: 'PYTHON' });
    await api.post('/api/2.0/workspace/import', { path: '/Shared/data.csv', format: 'RAW', content: b64('a,b\n1,2\n') });
    expect((await api.get('/api/2.0/workspace/get-status', { path: '/Shared/data.csv' })).body).toMatchObject({ object_type: 'FILE', size: 8 });
  });

  it('export format is case-sensitive; the size limit is enforced', async () => {
    await api.post('/api/2.0/workspace/import', { path: '/Shared/nb', language: 'PYTHON', content: b64('x') });
    expect((await api.get('/api/2.0/workspace/export', { path: '/Shared/nb', format: 'source' })).status).toBe(400);
    const huge = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61).toString('base64');
    expect((await api.post('/api/2.0/workspace/import', { path: '/Shared/huge', language: 'PYTHON', content: huge })).body.error_code).toBe('MAX_NOTEBOOK_SIZE_EXCEEDED');
  });

  it('list shows direct children; missing paths are 404 RESOURCE_DOES_NOT_EXIST', async () => {
    await api.post('/api/2.0/workspace/mkdirs', { path: '/Shared/a/b' });
    await api.post('/api/2.0/workspace/import', { path: '/Shared/a/nb', language: 'R', content: b64('1') });
    const list = await api.get<{ objects: { path: string; object_type: string }[] }>('/api/2.0/workspace/list', { path: '/Shared/a' });
    expect(list.body.objects.map((o) => [o.path, o.object_type])).toEqual([
      ['/Shared/a/b', 'DIRECTORY'],
      ['/Shared/a/nb', 'NOTEBOOK'],
    ]);
    expect((await api.get('/api/2.0/workspace/list', { path: '/Shared/a/b' })).body).toEqual({});
    const missing = await api.get('/api/2.0/workspace/list', { path: '/Shared/zzz' });
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('mkdirs quirk 12 and delete with DIRECTORY_NOT_EMPTY', async () => {
    await api.post('/api/2.0/workspace/import', { path: '/Shared/nb', language: 'PYTHON', content: b64('x') });
    expect((await api.post('/api/2.0/workspace/mkdirs', { path: '/Shared' })).status).toBe(200);
    expect((await api.post('/api/2.0/workspace/mkdirs', { path: '/Shared/nb/sub' })).body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    await api.post('/api/2.0/workspace/mkdirs', { path: '/Shared/dir/inner' });
    expect((await api.post('/api/2.0/workspace/delete', { path: '/Shared/dir' })).body.error_code).toBe('DIRECTORY_NOT_EMPTY');
    expect((await api.post('/api/2.0/workspace/delete', { path: '/Shared/dir', recursive: true })).status).toBe(200);
    expect((await api.get('/api/2.0/workspace/get-status', { path: '/Shared/dir/inner' })).status).toBe(404);
  });

  it('accepts a multipart import', async () => {
    const form = new FormData();
    form.append('path', '/Shared/multi');
    form.append('format', 'SOURCE');
    form.append('language', 'SCALA');
    form.append('content', new Blob(['println(1)']), 'multi.scala');
    const res = await fetch(`${emu.url}/api/2.0/workspace/import`, { method: 'POST', headers: { authorization: `Bearer ${emu.token}` }, body: form });
    expect(res.status).toBe(200);
    const out = await api.get<{ content: string }>('/api/2.0/workspace/export', { path: '/Shared/multi' });
    expect(unb64(out.body.content)).toBe('// Databricks notebook source\nprintln(1)');
  });

  it('JUPYTER export of a notebook is a valid ipynb', async () => {
    await api.post('/api/2.0/workspace/import', { path: '/Shared/nb', language: 'PYTHON', content: b64('a = 1\n\n# COMMAND ----------\n\nb = 2') });
    const out = await api.get<{ content: string }>('/api/2.0/workspace/export', { path: '/Shared/nb', format: 'JUPYTER' });
    const nb = JSON.parse(unb64(out.body.content)) as { cells: { source: string }[]; nbformat: number };
    expect(nb.nbformat).toBe(4);
    expect(nb.cells.map((c) => c.source)).toEqual(['a = 1', 'b = 2']);
  });
});
