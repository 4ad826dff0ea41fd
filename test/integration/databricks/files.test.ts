import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, ResourceConflictError, ValidationError } from '../../../src/databricks/index.js';
import { useEmulator } from './emulator.js';

const ctx = useEmulator();
const MB = 1024 * 1024;
const pattern = (n: number, seed = 7) => Buffer.from(Array.from({ length: n }, (_, i) => (i * seed + (i >> 8)) % 256));

describe('DBFS against the emulator', () => {
  it('uploads a multi-block file from a stream and downloads it back', async () => {
    const data = pattern(2 * MB + 12345);
    const progress: number[] = [];
    const src = Readable.from([data.subarray(0, 700_000), data.subarray(700_000)]);
    const r = await ctx.client.dbfs.upload('/it/dbfs/big.bin', src, { overwrite: true, onProgress: (n) => progress.push(n) });
    expect(r.bytes).toBe(data.length);
    expect(progress).toEqual([MB, 2 * MB, data.length]);
    expect((await ctx.client.dbfs.getStatus({ path: '/it/dbfs/big.bin' })).file_size).toBe(data.length);
    expect((await ctx.client.dbfs.readAll('/it/dbfs/big.bin')).equals(data)).toBe(true);
    const tail: Buffer[] = [];
    for await (const c of ctx.client.dbfs.download('/it/dbfs/big.bin', { startOffset: 2 * MB, chunkSize: 5000 })) tail.push(c);
    expect(Buffer.concat(tail).equals(data.subarray(2 * MB))).toBe(true);
  });

  it('resumes an upload through the same handle from an offset', async () => {
    const data = pattern(300_000, 13);
    let handle = -1;
    let done = 0;
    // First attempt: write only the first block, as if the worker died after it.
    const first = ctx.client.dbfs.upload('/it/dbfs/resume.bin', data, {
      overwrite: true,
      blockSize: 100_000,
      onProgress: (n, h) => {
        done = n;
        handle = h;
        throw new Error('worker crashed');
      },
    });
    await expect(first).rejects.toThrow('worker crashed');
    expect(done).toBe(100_000);
    await ctx.client.dbfs.upload('/it/dbfs/resume.bin', data, { handle, startOffset: done, blockSize: 100_000 });
    expect((await ctx.client.dbfs.readAll('/it/dbfs/resume.bin')).equals(data)).toBe(true);
  });

  it('put / list / mkdirs / move / delete and their errors', async () => {
    await ctx.client.dbfs.mkdirs({ path: '/it/dbfs/dir/sub' });
    await ctx.client.dbfs.mkdirs({ path: '/it/dbfs/dir/sub' }); // existing directory: success
    await ctx.client.dbfs.put({ path: '/it/dbfs/dir/a.txt', contents: Buffer.from('hello').toString('base64') });
    await expect(ctx.client.dbfs.put({ path: '/it/dbfs/dir/a.txt', contents: Buffer.from('again').toString('base64') })).rejects.toBeInstanceOf(ResourceConflictError);
    await ctx.client.dbfs.put({ path: '/it/dbfs/dir/a.txt', contents: Buffer.from('again').toString('base64'), overwrite: true });
    expect((await ctx.client.dbfs.readAll('/it/dbfs/dir/a.txt')).toString()).toBe('again');
    const listed = await ctx.client.dbfs.list({ path: '/it/dbfs/dir' }).toArray();
    expect(listed.map((f) => [f.path, f.is_dir]).sort()).toEqual([
      ['/it/dbfs/dir/a.txt', false],
      ['/it/dbfs/dir/sub', true],
    ]);
    await ctx.client.dbfs.move({ source_path: '/it/dbfs/dir/a.txt', destination_path: '/it/dbfs/dir/sub/b.txt' });
    await expect(ctx.client.dbfs.getStatus({ path: '/it/dbfs/dir/a.txt' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(ctx.client.dbfs.delete({ path: '/it/dbfs/dir' })).rejects.toBeInstanceOf(BadRequestError);
    await ctx.client.dbfs.delete({ path: '/it/dbfs/dir', recursive: true });
    await expect(ctx.client.dbfs.list({ path: '/it/dbfs/dir' }).toArray()).rejects.toBeInstanceOf(NotFoundError);
    await expect(ctx.client.dbfs.addBlock({ handle: 987654, data: '' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('DBFS big-tree delete (quirk 6)', () => {
  it('a recursive delete that answers 503 part-way is repeated until the tree is gone', async () => {
    const paths = Array.from({ length: 1100 }, (_, i) => `/it/bigtree/d${i % 10}/f${i}.txt`);
    for (let i = 0; i < paths.length; i += 50) {
      await Promise.all(paths.slice(i, i + 50).map((path) => ctx.client.dbfs.put({ path, contents: 'eA==' })));
    }
    const before = ctx.events.length;
    await ctx.client.dbfs.delete({ path: '/it/bigtree', recursive: true });
    const attempts = ctx.events.slice(before).filter((e) => e.operation === 'dbfs.delete');
    expect(attempts[0]).toMatchObject({ status: 503, willRetry: true });
    expect(attempts.at(-1)).toMatchObject({ status: 200 });
    await expect(ctx.client.dbfs.getStatus({ path: '/it/bigtree' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('secrets against the emulator', () => {
  it('scopes, secrets and ACLs', async () => {
    await ctx.client.secrets.createScope({ scope: 'it-scope' });
    await expect(ctx.client.secrets.createScope({ scope: 'it-scope' })).rejects.toBeInstanceOf(ResourceConflictError);
    expect((await ctx.client.secrets.listScopes().toArray()).map((s) => s.name)).toContain('it-scope');
    await ctx.client.secrets.put({ scope: 'it-scope', key: 'db-password', string_value: 's3cr3t-value' });
    await ctx.client.secrets.put({ scope: 'it-scope', key: 'blob', bytes_value: Buffer.from([1, 2, 3]).toString('base64') });
    const keys = await ctx.client.secrets.list({ scope: 'it-scope' }).toArray();
    expect(keys.map((k) => k.key).sort()).toEqual(['blob', 'db-password']);
    const got = await ctx.client.secrets.get({ scope: 'it-scope', key: 'db-password' });
    expect(Buffer.from(got.value ?? '', 'base64').toString()).toBe('s3cr3t-value');

    await ctx.client.secrets.putAcl({ scope: 'it-scope', principal: 'users', permission: 'READ' });
    expect(await ctx.client.secrets.getAcl({ scope: 'it-scope', principal: 'users' })).toMatchObject({ principal: 'users', permission: 'READ' });
    expect((await ctx.client.secrets.listAcls({ scope: 'it-scope' }).toArray()).map((a) => a.principal)).toContain('users');
    await ctx.client.secrets.deleteAcl({ scope: 'it-scope', principal: 'users' });

    await ctx.client.secrets.delete({ scope: 'it-scope', key: 'blob' });
    await expect(ctx.client.secrets.delete({ scope: 'it-scope', key: 'blob' })).rejects.toBeInstanceOf(NotFoundError);
    await ctx.client.secrets.deleteScope({ scope: 'it-scope' });
    await expect(ctx.client.secrets.list({ scope: 'it-scope' }).toArray()).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects an over-size secret before sending', async () => {
    const before = ctx.events.length;
    await expect(ctx.client.secrets.put({ scope: 'x', key: 'k', string_value: 'x'.repeat(128 * 1024 + 1) })).rejects.toBeInstanceOf(ValidationError);
    expect(ctx.events.length).toBe(before);
  });
});

describe('workspace against the emulator', () => {
  it('mkdirs, import/export files and notebooks, list, get-status, delete', async () => {
    await ctx.client.workspace.mkdirs({ path: '/Users/it@example.com/proj' });
    await ctx.client.workspace.importFile('/Users/it@example.com/proj/etl', '# Databricks notebook source\nprint(1)\n', { language: 'PYTHON' });
    await ctx.client.workspace.importFile('/Users/it@example.com/proj/data.csv', Buffer.from('a,b\n1,2\n'));
    await expect(ctx.client.workspace.importFile('/Users/it@example.com/proj/data.csv', 'x')).rejects.toBeInstanceOf(ResourceConflictError);
    await ctx.client.workspace.importFile('/Users/it@example.com/proj/data.csv', 'a,b\n3,4\n', { overwrite: true });

    const objects = await ctx.client.workspace.list({ path: '/Users/it@example.com/proj' }).toArray();
    expect(objects.map((o) => [o.path, o.object_type]).sort()).toEqual([
      ['/Users/it@example.com/proj/data.csv', 'FILE'],
      ['/Users/it@example.com/proj/etl', 'NOTEBOOK'],
    ]);
    expect((await ctx.client.workspace.getStatus({ path: '/Users/it@example.com/proj/etl' })).language).toBe('PYTHON');
    expect((await ctx.client.workspace.exportFile('/Users/it@example.com/proj/data.csv', 'AUTO')).toString()).toBe('a,b\n3,4\n');
    expect((await ctx.client.workspace.exportFile('/Users/it@example.com/proj/etl')).toString()).toContain('print(1)');

    await expect(ctx.client.workspace.delete({ path: '/Users/it@example.com/proj' })).rejects.toMatchObject({ name: 'BadRequestError', errorCode: 'DIRECTORY_NOT_EMPTY' });
    await ctx.client.workspace.delete({ path: '/Users/it@example.com/proj', recursive: true });
    await expect(ctx.client.workspace.getStatus({ path: '/Users/it@example.com/proj' })).rejects.toBeInstanceOf(NotFoundError);
  });
});
