import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError, type DatabricksError, DeadlineExceededError, NotFoundError, StatementExecutionError } from '../../../src/databricks/index.js';
import { errBody, harness, type Harness } from './helpers.js';

let h: Harness = undefined as unknown as Harness;
afterEach(async () => {
  await h?.agent.close();
  h = undefined as unknown as Harness;
});

const MB = 1024 * 1024;
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i % 251));

/** Records add-block payloads; create answers handle 7. */
function dbfsWriteServer(h: Harness) {
  const blocks: Buffer[] = [];
  const calls: string[] = [];
  h.pool.intercept({ path: '/api/2.0/dbfs/create', method: 'POST' }).reply((o) => {
    calls.push(`create ${o.body}`);
    return { statusCode: 200, data: { handle: 7 } };
  });
  h.pool
    .intercept({ path: '/api/2.0/dbfs/add-block', method: 'POST' })
    .reply((o) => {
      const b = JSON.parse(String(o.body)) as { handle: number; data: string };
      calls.push(`add-block ${b.handle}`);
      blocks.push(Buffer.from(b.data, 'base64'));
      return { statusCode: 200, data: {} };
    })
    .persist();
  h.pool.intercept({ path: '/api/2.0/dbfs/close', method: 'POST' }).reply((o) => {
    calls.push(`close ${o.body}`);
    return { statusCode: 200, data: {} };
  });
  return { blocks, calls };
}

describe('dbfs.upload', () => {
  it('streams any source in ≤1 MB blocks through one handle, reporting progress', async () => {
    h = harness();
    const { blocks, calls } = dbfsWriteServer(h);
    const data = bytes(2 * MB + 123);
    // Uneven source chunks exercise the re-slicing.
    const source = Readable.from([data.subarray(0, 1000), data.subarray(1000, 1_500_000), data.subarray(1_500_000)]);
    const progress: number[] = [];
    const r = await h.client.dbfs.upload('/tmp/big.bin', source, { overwrite: true, onProgress: (n, handle) => progress.push(n + handle * 0) });
    expect(r).toEqual({ bytes: data.length, handle: 7 });
    expect(blocks.map((b) => b.length)).toEqual([MB, MB, 123]);
    expect(Buffer.concat(blocks).equals(data)).toBe(true);
    expect(progress).toEqual([MB, 2 * MB, 2 * MB + 123]);
    expect(calls[0]).toBe('create {"path":"/tmp/big.bin","overwrite":true}');
    expect(calls.at(-1)).toBe('close {"handle":7}');
  });

  it('resumes from an offset with an existing handle, skipping the bytes already written', async () => {
    h = harness();
    const { blocks, calls } = dbfsWriteServer(h);
    const data = bytes(3000);
    const progress: number[] = [];
    await h.client.dbfs.upload('/tmp/f', data, { handle: 7, startOffset: 1000, blockSize: 1000, onProgress: (n) => progress.push(n) });
    expect(calls.some((c) => c.startsWith('create'))).toBe(false);
    expect(Buffer.concat(blocks).equals(data.subarray(1000))).toBe(true);
    expect(progress).toEqual([2000, 3000]);
  });

  it('does not re-send an add-block after a 503 (it could append twice)', async () => {
    h = harness();
    h.pool.intercept({ path: '/api/2.0/dbfs/create', method: 'POST' }).reply(200, { handle: 1 });
    h.pool.intercept({ path: '/api/2.0/dbfs/add-block', method: 'POST' }).reply(503, errBody('TEMPORARILY_UNAVAILABLE', 'x'));
    await expect(h.client.dbfs.upload('/tmp/f', bytes(10))).rejects.toMatchObject({ name: 'TemporarilyUnavailableError' });
    expect(h.events.filter((e) => e.operation === 'dbfs.addBlock')).toHaveLength(1);
  });
});

describe('dbfs.download', () => {
  it('reads in chunks from an offset until a short read, reporting progress', async () => {
    h = harness();
    const file = bytes(2500);
    h.pool
      .intercept({ path: (p) => p.startsWith('/api/2.0/dbfs/read?'), method: 'GET' })
      .reply((o) => {
        const q = new URL(`http://x${o.path}`).searchParams;
        const off = Number(q.get('offset'));
        const chunk = file.subarray(off, off + Number(q.get('length')));
        return { statusCode: 200, data: { bytes_read: chunk.length, data: chunk.toString('base64') } };
      })
      .persist();
    const progress: number[] = [];
    const chunks: Buffer[] = [];
    for await (const c of h.client.dbfs.download('/tmp/f', { startOffset: 500, chunkSize: 1000, onProgress: (n) => progress.push(n) })) chunks.push(c);
    expect(Buffer.concat(chunks).equals(file.subarray(500))).toBe(true);
    expect(progress).toEqual([1500, 2500]);
    expect(h.events).toHaveLength(3); // 1000 + 1000 + a final empty read at EOF
  });

  it('a missing file is NotFoundError', async () => {
    h = harness();
    h.pool.intercept({ path: '/api/2.0/dbfs/read?path=%2Fnope&offset=0&length=1048576', method: 'GET' }).reply(404, errBody('RESOURCE_DOES_NOT_EXIST', 'No file or directory exists on path /nope.'));
    await expect(h.client.dbfs.readAll('/nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('workspace files', () => {
  it('importFile base64-encodes with format AUTO, exportFile decodes', async () => {
    h = harness();
    let sent: Record<string, unknown> = {};
    h.pool.intercept({ path: '/api/2.0/workspace/import', method: 'POST' }).reply((o) => {
      sent = JSON.parse(String(o.body)) as Record<string, unknown>;
      return { statusCode: 200, data: {} };
    });
    await h.client.workspace.importFile('/Users/me/a.py', 'print(1)\n', { overwrite: true });
    expect(sent).toEqual({ path: '/Users/me/a.py', content: Buffer.from('print(1)\n').toString('base64'), format: 'AUTO', overwrite: true });
    h.pool.intercept({ path: '/api/2.0/workspace/export?path=%2FUsers%2Fme%2Fa.py&format=SOURCE', method: 'GET' }).reply(200, { content: Buffer.from('print(1)\n').toString('base64'), file_type: 'py' });
    expect((await h.client.workspace.exportFile('/Users/me/a.py')).toString()).toBe('print(1)\n');
  });
});

describe('statements.executeAndFetch', () => {
  const S = '/api/2.0/sql/statements';
  const manifest = { format: 'JSON_ARRAY', schema: { column_count: 1, columns: [{ name: 'n', position: 0, type_name: 'INT' }] }, total_chunk_count: 2 };

  it('polls until SUCCEEDED and iterates rows of every chunk', async () => {
    h = harness();
    let body: Record<string, unknown> = {};
    h.pool.intercept({ path: S, method: 'POST' }).reply((o) => {
      body = JSON.parse(String(o.body)) as Record<string, unknown>;
      return { statusCode: 200, data: { statement_id: 's1', status: { state: 'PENDING' } } };
    });
    h.pool.intercept({ path: `${S}/s1`, method: 'GET' }).reply(200, { statement_id: 's1', status: { state: 'RUNNING' } });
    h.pool.intercept({ path: `${S}/s1`, method: 'GET' }).reply(200, {
      statement_id: 's1',
      status: { state: 'SUCCEEDED' },
      manifest,
      result: { chunk_index: 0, row_offset: 0, row_count: 2, data_array: [['1'], ['2']], next_chunk_index: 1, next_chunk_internal_link: `${S}/s1/result/chunks/1` },
    });
    h.pool.intercept({ path: `${S}/s1/result/chunks/1`, method: 'GET' }).reply(200, { chunk_index: 1, row_offset: 2, row_count: 1, data_array: [[null]] });
    const r = await h.client.statements.executeAndFetch({ statement: 'SELECT n FROM t', warehouse_id: 'w1' });
    expect(body).toMatchObject({ statement: 'SELECT n FROM t', warehouse_id: 'w1', wait_timeout: '10s' });
    expect(r.columns.map((c) => c.name)).toEqual(['n']);
    expect(await r.toArray()).toEqual([['1'], ['2'], [null]]);
    expect(h.clock.sleeps.length).toBe(2);
  });

  it('fetches EXTERNAL_LINKS without the Authorization header, with the link headers', async () => {
    h = harness();
    h.pool.intercept({ path: S, method: 'POST' }).reply(200, {
      statement_id: 's2',
      status: { state: 'SUCCEEDED' },
      manifest: { ...manifest, total_chunk_count: 1 },
      result: { external_links: [{ chunk_index: 0, external_link: 'https://bucket.example.com/chunk0?sig=abc', http_headers: { 'x-ms-blob-type': 'BlockBlob' } }] },
    });
    let headers: Record<string, string> = {};
    h.agent
      .get('https://bucket.example.com')
      .intercept({ path: '/chunk0?sig=abc', method: 'GET' })
      .reply((o) => {
        headers = o.headers as Record<string, string>;
        return { statusCode: 200, data: [['a'], ['b']] };
      });
    const r = await h.client.statements.executeAndFetch({ statement: 'SELECT 1', warehouse_id: 'w1', disposition: 'EXTERNAL_LINKS' });
    expect(await r.toArray()).toEqual([['a'], ['b']]);
    expect(headers.authorization).toBeUndefined();
    expect(headers['x-ms-blob-type']).toBe('BlockBlob');
  });

  it('a failing external link is a typed error that never quotes the link (it carries credentials)', async () => {
    const LINK = 'https://bucket.example.com/chunk0?sig=SECRET-SIGNATURE';
    const linked = () =>
      h.pool.intercept({ path: S, method: 'POST' }).reply(200, {
        statement_id: 's5',
        status: { state: 'SUCCEEDED' },
        manifest: { ...manifest, total_chunk_count: 1 },
        result: { external_links: [{ chunk_index: 0, external_link: LINK }] },
      });
    const bucket = () => h.agent.get('https://bucket.example.com').intercept({ path: '/chunk0?sig=SECRET-SIGNATURE', method: 'GET' });
    const failure = async () => (await h.client.statements.executeAndFetch({ statement: 'SELECT 1', warehouse_id: 'w', disposition: 'EXTERNAL_LINKS' }).then((r) => r.toArray()).catch((e: unknown) => e)) as DatabricksError;
    h = harness();
    linked();
    bucket().reply(403, '<Error><Code>AccessDenied</Code></Error>');
    const expired = await failure();
    expect(expired).toMatchObject({ name: 'PermissionDeniedError', status: 403, path: '<external link>' });
    linked();
    bucket().reply(200, '<html>proxy login</html>');
    const html = await failure();
    expect(html).toMatchObject({ name: 'DatabricksError', errorCode: 'INVALID_RESPONSE', path: '<external link>' });
    linked();
    bucket().reply(200, { not: 'rows' });
    expect(await failure()).toMatchObject({ errorCode: 'INVALID_RESPONSE', message: expect.stringMatching(/chunk 0 did not answer a JSON array/) });
    linked();
    bucket().replyWithError(Object.assign(new Error(`connect ECONNREFUSED for ${LINK}`), { code: 'ECONNREFUSED' }));
    const refused = await failure();
    expect(refused).toBeInstanceOf(ConnectionError);
    for (const e of [expired, html, refused]) expect(JSON.stringify({ message: e.message, ...e.toJSON() })).not.toContain('SECRET-SIGNATURE');
  });

  it('a FAILED statement (HTTP 200) becomes StatementExecutionError', async () => {
    h = harness();
    h.pool.intercept({ path: S, method: 'POST' }).reply(200, { statement_id: 's3', status: { state: 'FAILED', error: { error_code: 'BAD_REQUEST', message: '[TABLE_OR_VIEW_NOT_FOUND] t' } } });
    const err = (await h.client.statements.executeAndFetch({ statement: 'SELECT * FROM t', warehouse_id: 'w' }).catch((e: unknown) => e)) as StatementExecutionError;
    expect(err).toBeInstanceOf(StatementExecutionError);
    expect(err).toMatchObject({ statementId: 's3', state: 'FAILED', errorCode: 'BAD_REQUEST', retryable: false });
    expect(err.message).toContain('TABLE_OR_VIEW_NOT_FOUND');
  });

  it('cancels the statement and throws DeadlineExceededError past waitTimeoutMs', async () => {
    h = harness();
    h.pool.intercept({ path: S, method: 'POST' }).reply(200, { statement_id: 's4', status: { state: 'RUNNING' } });
    h.pool.intercept({ path: `${S}/s4`, method: 'GET' }).reply(200, { statement_id: 's4', status: { state: 'RUNNING' } }).persist();
    let cancelled = false;
    h.pool.intercept({ path: `${S}/s4/cancel`, method: 'POST' }).reply(() => {
      cancelled = true;
      return { statusCode: 200, data: {} };
    });
    await expect(h.client.statements.executeAndFetch({ statement: 'SELECT sleep()', warehouse_id: 'w' }, { waitTimeoutMs: 3000 })).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(cancelled).toBe(true);
  });
});
