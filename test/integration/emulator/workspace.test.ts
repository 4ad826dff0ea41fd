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
    expect(nb.cells.map((c) => c.source)).toEqual([['a = 1'], ['b = 2']]);
  });

  const ipynb = (metadata: Record<string, unknown>) =>
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata,
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# Daily sales\n', '\n', 'Totals per region.'] },
        { cell_type: 'code', metadata: {}, source: ['SELECT region,\n', '  sum(amount) FROM sales GROUP BY region'], outputs: [], execution_count: 3 },
      ],
    });

  it('JUPYTER import: markdown cells become MAGIC %md cells, the language comes from the notebook, and it round-trips', async () => {
    await api.post('/api/2.0/workspace/import', { path: '/Shared/sales.ipynb', format: 'JUPYTER', content: b64(ipynb({ kernelspec: { language: 'sql', name: 'sql' } })) });
    expect((await api.get('/api/2.0/workspace/get-status', { path: '/Shared/sales' })).body).toMatchObject({ object_type: 'NOTEBOOK', language: 'SQL' });
    const source = await api.get<{ content: string; file_type: string }>('/api/2.0/workspace/export', { path: '/Shared/sales', format: 'SOURCE' });
    expect(source.body.file_type).toBe('sql');
    expect(unb64(source.body.content)).toBe(
      ['-- Databricks notebook source', '-- MAGIC %md', '-- MAGIC # Daily sales', '-- MAGIC', '-- MAGIC Totals per region.', '', '-- COMMAND ----------', '', 'SELECT region,', '  sum(amount) FROM sales GROUP BY region'].join('\n'),
    );
    const back = await api.get<{ content: string; file_type: string }>('/api/2.0/workspace/export', { path: '/Shared/sales', format: 'JUPYTER' });
    expect(back.body.file_type).toBe('ipynb');
    const nb = JSON.parse(unb64(back.body.content)) as { cells: { cell_type: string; source: string[] }[]; metadata: Record<string, { language?: string; name?: string; notebookName?: string }> };
    expect(nb.cells.map((c) => [c.cell_type, c.source.join('')])).toEqual([
      ['markdown', '# Daily sales\n\nTotals per region.'],
      ['code', 'SELECT region,\n  sum(amount) FROM sales GROUP BY region'],
    ]);
    expect(nb.metadata['application/vnd.databricks.v1+notebook']).toEqual({ language: 'sql', notebookName: 'sales' });
  });

  it('AUTO imports an .ipynb as a notebook; an explicit language wins over the metadata; PYTHON when neither says', async () => {
    await api.post('/api/2.0/workspace/import', { path: '/Shared/auto.ipynb', format: 'AUTO', content: b64(ipynb({ language_info: { name: 'scala' } })) });
    expect((await api.get('/api/2.0/workspace/get-status', { path: '/Shared/auto' })).body).toMatchObject({ object_type: 'NOTEBOOK', language: 'SCALA' });
    expect(unb64((await api.get<{ content: string }>('/api/2.0/workspace/export', { path: '/Shared/auto' })).body.content)).toMatch(/^\/\/ Databricks notebook source\n\/\/ MAGIC %md\n/);
    await api.post('/api/2.0/workspace/import', { path: '/Shared/forced', format: 'JUPYTER', language: 'R', content: b64(ipynb({ language_info: { name: 'scala' } })) });
    expect((await api.get('/api/2.0/workspace/get-status', { path: '/Shared/forced' })).body).toMatchObject({ language: 'R' });
    await api.post('/api/2.0/workspace/import', { path: '/Shared/plain', format: 'JUPYTER', content: b64(ipynb({})) });
    expect((await api.get('/api/2.0/workspace/get-status', { path: '/Shared/plain' })).body).toMatchObject({ language: 'PYTHON' });
  });

  it('a malformed notebook is rejected with a precise error and creates nothing', async () => {
    for (const [content, message] of [
      ['{not json', /invalid JSON/],
      [JSON.stringify({ nbformat: 4 }), /no cells/],
      [JSON.stringify({ cells: [1] }), /cell 0 is not an object/],
    ] as const) {
      const res = await api.post('/api/2.0/workspace/import', { path: '/Shared/bad.ipynb', format: 'JUPYTER', content: b64(content) });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(message) });
    }
    expect((await api.get('/api/2.0/workspace/get-status', { path: '/Shared/bad' })).status).toBe(404);
  });

  it('HTML export escapes the notebook; notebooks refuse RAW; directories refuse single-file formats', async () => {
    await api.post('/api/2.0/workspace/import', { path: '/Shared/nb', language: 'PYTHON', content: b64('print("<b>&</b>")') });
    const html = await api.get<{ content: string; file_type: string }>('/api/2.0/workspace/export', { path: '/Shared/nb', format: 'HTML' });
    expect(html.body.file_type).toBe('html');
    expect(unb64(html.body.content)).toContain('print(&quot;&lt;b&gt;&amp;&lt;/b&gt;&quot;)');
    const raw = await api.get('/api/2.0/workspace/export', { path: '/Shared/nb', format: 'RAW' });
    expect([raw.status, raw.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const dir = await api.get('/api/2.0/workspace/export', { path: '/Shared', format: 'HTML' });
    expect([dir.status, dir.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect((await api.get('/api/2.0/workspace/export', { path: '/Shared', format: 'SOURCE' })).status).toBe(501);
  });
});
