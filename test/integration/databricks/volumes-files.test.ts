import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, ResourceConflictError, ValidationError } from '../../../src/databricks/index.js';
import { useEmulator } from './emulator.js';

const ctx = useEmulator();
const root = '/Volumes/main/default/it_vol';

describe('volumes and the Files API through the client', () => {
  it('volumes: create, read, list (paged iterator), update, delete', async () => {
    const c = ctx.client;
    for (const name of ['it_vol', 'v_b', 'v_c']) await c.volumes.create({ catalog_name: 'main', schema_name: 'default', name, volume_type: 'MANAGED' });
    const info = await c.volumes.read({ name: 'main.default.it_vol' });
    expect(info).toMatchObject({ full_name: 'main.default.it_vol', volume_type: 'MANAGED' });
    expect(await c.volumes.list({ catalog_name: 'main', schema_name: 'default', max_results: 1 }).toArray()).toHaveLength(3);
    expect(ctx.events.filter((e) => e.operation === 'volumes.list')).toHaveLength(3);
    expect(await c.volumes.update({ name: 'main.default.v_b', comment: 'two' })).toMatchObject({ comment: 'two', volume_id: expect.any(String) });
    await c.volumes.delete({ name: 'main.default.v_c' });
    await expect(c.volumes.read({ name: 'main.default.v_c' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.volumes.create({ catalog_name: 'main', schema_name: 'default', name: 'it_vol', volume_type: 'MANAGED' })).rejects.toBeInstanceOf(ResourceConflictError);
    await expect(c.volumes.create({ catalog_name: 'main', schema_name: 'default', name: 'x', volume_type: 'SHARED' as 'MANAGED' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('files: upload bytes and streams, download (whole and a range), metadata, directories, delete', async () => {
    const f = ctx.client.files;
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    await f.upload({ file_path: `${root}/in dir/data.bin`, contents: bytes });
    await f.upload({ file_path: `${root}/in dir/stream.txt`, contents: Readable.from([Buffer.from('hello '), Buffer.from('stream')]) });
    const whole = await f.download({ file_path: `${root}/in dir/data.bin` });
    expect(whole.contents.equals(bytes)).toBe(true);
    expect(whole).toMatchObject({ content_length: 5000, content_type: 'application/octet-stream', last_modified: expect.any(String) });
    const part = await f.download({ file_path: `${root}/in dir/data.bin`, range: { start: 10, end: 19 } });
    expect(part.contents.equals(bytes.subarray(10, 20))).toBe(true);
    expect(part.content_range).toBe('bytes 10-19/5000');
    expect((await f.download({ file_path: `${root}/in dir/stream.txt` })).contents.toString()).toBe('hello stream');
    expect(await f.getMetadata({ file_path: `${root}/in dir/data.bin` })).toMatchObject({ content_length: 5000, last_modified: whole.last_modified });

    await expect(f.upload({ file_path: `${root}/in dir/data.bin`, contents: Buffer.from('x'), overwrite: false })).rejects.toMatchObject({ errorCode: 'ALREADY_EXISTS', status: 409 });
    await f.createDirectory({ directory_path: `${root}/a/b` });
    await f.getDirectoryMetadata({ directory_path: `${root}/a/b` });
    await expect(f.getDirectoryMetadata({ directory_path: `${root}/nope` })).rejects.toBeInstanceOf(NotFoundError);
    const entries = await f.listDirectoryContents({ directory_path: root, page_size: 1 }).toArray();
    expect(entries.map((e) => [e.name, e.is_directory])).toEqual([
      ['a', true],
      ['in dir', true],
    ]);
    expect((await f.listDirectoryContents({ directory_path: `${root}/in dir` }).toArray()).map((e) => [e.path, e.file_size])).toEqual([
      [`${root}/in dir/data.bin`, 5000],
      [`${root}/in dir/stream.txt`, 12],
    ]);
    await expect(f.deleteDirectory({ directory_path: `${root}/a` })).rejects.toBeInstanceOf(BadRequestError);
    await f.deleteDirectory({ directory_path: `${root}/a/b` });
    await f.delete({ file_path: `${root}/in dir/stream.txt` });
    await expect(f.getMetadata({ file_path: `${root}/in dir/stream.txt` })).rejects.toBeInstanceOf(NotFoundError);
    await expect(f.download({ file_path: `${root}/in dir/stream.txt` })).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    await expect(f.upload({ file_path: 'relative/x', contents: bytes })).rejects.toBeInstanceOf(ValidationError);
  });
});
