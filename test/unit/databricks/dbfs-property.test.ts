import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { harness } from './helpers.js';

/** An in-memory DBFS behind a MockAgent: create/add-block/close and read with offset/length. */
function memoryDbfs() {
  const h = harness();
  const files = new Map<string, Buffer[]>();
  const handles = new Map<number, string>();
  let next = 1;
  const json = (b: unknown) => JSON.parse(String(b)) as Record<string, unknown>;
  h.pool
    .intercept({ path: '/api/2.0/dbfs/create', method: 'POST' })
    .reply<object>((o) => {
      const b = json(o.body);
      const handle = next++;
      handles.set(handle, String(b.path));
      files.set(String(b.path), []);
      return { statusCode: 200, data: { handle } };
    })
    .persist();
  h.pool
    .intercept({ path: '/api/2.0/dbfs/add-block', method: 'POST' })
    .reply<object>((o) => {
      const b = json(o.body);
      const data = Buffer.from(String(b.data), 'base64');
      if (data.length > 1024 * 1024) return { statusCode: 400, data: { error_code: 'MAX_BLOCK_SIZE_EXCEEDED', message: 'too big' } };
      files.get(handles.get(Number(b.handle))!)!.push(data);
      return { statusCode: 200, data: {} };
    })
    .persist();
  h.pool.intercept({ path: '/api/2.0/dbfs/close', method: 'POST' }).reply(200, {}).persist();
  h.pool
    .intercept({ path: (p) => p.startsWith('/api/2.0/dbfs/read?'), method: 'GET' })
    .reply<object>((o) => {
      const q = new URL(`http://x${o.path}`).searchParams;
      const file = Buffer.concat(files.get(q.get('path')!) ?? []);
      const off = Number(q.get('offset'));
      const chunk = file.subarray(off, off + Number(q.get('length')));
      return { statusCode: 200, data: { bytes_read: chunk.length, data: chunk.toString('base64') } };
    })
    .persist();
  return { h, files };
}

describe('DBFS streaming round trip (property)', () => {
  it('any source chunking and block size: blocks never exceed the size and the bytes come back intact', async () => {
    const { h, files } = memoryDbfs();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 257 }),
        fc.integer({ min: 1, max: 300 }),
        async (parts, blockSize, chunkSize) => {
          const path = `/p/${n++}`;
          const all = Buffer.concat(parts);
          const r = await h.client.dbfs.upload(path, parts, { blockSize });
          expect(r.bytes).toBe(all.length);
          const blocks = files.get(path)!;
          expect(blocks.every((b) => b.length <= blockSize && b.length > 0)).toBe(true);
          expect(blocks.slice(0, -1).every((b) => b.length === blockSize)).toBe(true);
          const out: Buffer[] = [];
          for await (const c of h.client.dbfs.download(path, { chunkSize })) out.push(c);
          expect(Buffer.concat(out).equals(all)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
    await h.agent.close();
  });
});
