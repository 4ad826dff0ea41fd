import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledFailure, type MetricMeter, type MetricTags } from '@temporalio/common';
import { afterAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../../../src/activities/secret-refs.js';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

const ctx = useEmulatorActivities();
const dir = mkdtempSync(join(tmpdir(), 'durabricks-transfer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MB = 1024 * 1024;
const addBlocks = () => ctx.events.filter((e) => e.operation === 'dbfs.addBlock').length;

describe('DBFS transfers', () => {
  const data = randomBytes(3 * MB + 1234);
  const local = join(dir, 'source.bin');
  writeFileSync(local, data);

  it('uploads in blocks, heartbeating the offset and handle after each', async () => {
    const env = mockEnv();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const r = await env.exec(ctx.acts.dbfsUpload, { localPath: local, path: '/tmp/up.bin' });
    expect(r).toEqual({ path: '/tmp/up.bin', bytes: data.length, resumedFrom: 0 });
    expect(beats.map((b) => (b as { offset: number }).offset)).toEqual([MB, 2 * MB, 3 * MB, data.length]);
    expect(Buffer.compare(await ctx.client.dbfs.readAll('/tmp/up.bin'), data)).toBe(0);
  });

  it('a retried upload resumes from the heartbeat (handle + offset) instead of from zero', async () => {
    // What a crashed first attempt left behind: an open handle holding the first block.
    const { handle } = await ctx.client.dbfs.create({ path: '/tmp/resume.bin', overwrite: true });
    await ctx.client.dbfs.addBlock({ handle, data: data.subarray(0, MB).toString('base64') });
    ctx.events.length = 0;
    const r = await mockEnv({ attempt: 2, heartbeatDetails: { handle, offset: MB } }).exec(ctx.acts.dbfsUpload, { localPath: local, path: '/tmp/resume.bin' });
    expect(r.resumedFrom).toBe(MB);
    expect(addBlocks()).toBe(3); // 3 MB + tail left, not 4 blocks
    expect(Buffer.compare(await ctx.client.dbfs.readAll('/tmp/resume.bin'), data)).toBe(0);
  });

  it('a stale heartbeat (more blocks applied than recorded) is detected by size and the file rewritten, never left corrupt', async () => {
    const { handle } = await ctx.client.dbfs.create({ path: '/tmp/stale.bin', overwrite: true });
    await ctx.client.dbfs.addBlock({ handle, data: data.subarray(0, MB).toString('base64') });
    await ctx.client.dbfs.addBlock({ handle, data: data.subarray(MB, 2 * MB).toString('base64') });
    await mockEnv({ attempt: 2, heartbeatDetails: { handle, offset: MB } }).exec(ctx.acts.dbfsUpload, { localPath: local, path: '/tmp/stale.bin' });
    expect(Buffer.compare(await ctx.client.dbfs.readAll('/tmp/stale.bin'), data)).toBe(0);
  });

  it('downloads with offset heartbeats and resumes a partial local file from the heartbeat', async () => {
    await ctx.client.dbfs.upload('/tmp/down.bin', data, { overwrite: true });
    const target = join(dir, 'down.bin');
    // A first attempt wrote 1 MB (plus some bytes it never heartbeated) before dying.
    writeFileSync(target, Buffer.concat([data.subarray(0, MB), Buffer.from('garbage-after-last-heartbeat')]));
    const r = await mockEnv({ attempt: 2, heartbeatDetails: { offset: MB } }).exec(ctx.acts.dbfsDownload, { path: '/tmp/down.bin', localPath: target });
    expect(r).toEqual({ path: '/tmp/down.bin', bytes: data.length, resumedFrom: MB });
    // Reads at 1 MB, 2 MB and 3 MB (short: EOF); from zero it would have taken four.
    expect(ctx.events.filter((e) => e.operation === 'dbfs.read')).toHaveLength(3);
    expect(Buffer.compare(readFileSync(target), data)).toBe(0);
  });

  it('cancellation reaches a running upload and stops it part-way', async () => {
    const big = join(dir, 'big.bin');
    writeFileSync(big, randomBytes(8 * MB));
    // Slow every add-block down so the transfer is still running when the cancel arrives.
    ctx.emu.faults.add({ action: 'latency', path: '/api/2.0/dbfs/add-block', latency_ms: 150 });
    const env = mockEnv();
    env.on('heartbeat', (d: { offset: number }) => {
      if (d.offset >= 2 * MB) env.cancel();
    });
    const err = await rejection(env.exec(ctx.acts.dbfsUpload, { localPath: big, path: '/tmp/cancelled.bin' }));
    expect(err).toBeInstanceOf(CancelledFailure);
    expect(addBlocks()).toBeLessThan(8);
    expect(ctx.events.some((e) => e.operation === 'dbfs.close')).toBe(false);
  });
});

describe('secrets by reference', () => {
  it('secretsPut resolves { fromEnv } and { fromFile } inside the activity; the value is in neither input nor result', async () => {
    await ctx.client.secrets.createScope({ scope: 'refs' });
    process.env.DURABRICKS_TEST_SECRET = 'from-env-s3cr3t';
    const file = join(dir, 'secret.txt');
    writeFileSync(file, 'from-file-s3cr3t\n');
    const input1 = { scope: 'refs', key: 'a', value: { fromEnv: 'DURABRICKS_TEST_SECRET' } };
    const r1 = await mockEnv().exec(ctx.acts.secretsPut, input1);
    const r2 = await mockEnv().exec(ctx.acts.secretsPut, { scope: 'refs', key: 'b', value: { fromFile: file } });
    expect(JSON.stringify([input1, r1, r2])).not.toMatch(/s3cr3t/);
    const a = await ctx.client.secrets.get({ scope: 'refs', key: 'a' });
    const b = await ctx.client.secrets.get({ scope: 'refs', key: 'b' });
    expect(Buffer.from(a.value ?? '', 'base64').toString()).toBe('from-env-s3cr3t');
    expect(Buffer.from(b.value ?? '', 'base64').toString()).toBe('from-file-s3cr3t');
    delete process.env.DURABRICKS_TEST_SECRET;
  });

  it('a plain string_value next to the reference is rejected by name, not silently dropped', async () => {
    const err = await rejection(mockEnv().exec(ctx.acts.secretsPut, { scope: 'refs', key: 'a', value: { fromEnv: 'X' }, string_value: 'leak-me-123' } as never));
    expect(err).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect(err.message).toContain('string_value');
    expect(err.message).not.toContain('leak-me-123');
    expect(ctx.events).toHaveLength(0);
  });

  it('a token whose secret cannot be stored is revoked, not left live', async () => {
    const err = await rejection(mockEnv().exec(ctx.acts.tokensCreate, { comment: 'orphan', store_in: { scope: 'no-such-scope', key: 'k' } }));
    expect(err).toMatchObject({ type: 'NotFoundError' });
    const tokens = await ctx.client.tokens.list().toArray();
    expect(tokens.filter((t) => t.comment === 'orphan')).toHaveLength(0);
    expect(ctx.events.map((e) => e.operation)).toEqual(['tokens.create', 'secrets.put', 'tokens.revoke', 'tokens.list']);
  });

  it('a missing environment variable is a non-retryable ValidationError naming it', async () => {
    const err = await rejection(mockEnv().exec(ctx.acts.secretsPut, { scope: 'refs', key: 'a', value: { fromEnv: 'DURABRICKS_NOT_SET_ANYWHERE' } }));
    expect(err).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect(err.message).toContain('DURABRICKS_NOT_SET_ANYWHERE');
  });

  it('tokensCreate never returns the token; with store_in it lands in a secret', async () => {
    await ctx.client.secrets.createScope({ scope: 'tokens' });
    const r = await mockEnv().exec(ctx.acts.tokensCreate, { comment: 'ci', store_in: { scope: 'tokens', key: 'ci' } });
    expect(r.token_value).toBe(REDACTED);
    expect(r.token_info?.token_id).toBeTruthy();
    const stored = Buffer.from((await ctx.client.secrets.get({ scope: 'tokens', key: 'ci' })).value ?? '', 'base64').toString();
    expect(stored.length).toBeGreaterThan(10);
    expect(JSON.stringify(r)).not.toContain(stored);
  });
});

describe('metrics', () => {
  it('every Databricks request is counted by operation, status and retry on the activity meter', async () => {
    const adds: { name: string; value: number; tags: MetricTags | undefined }[] = [];
    const meter: MetricMeter = {
      createCounter: (name) => ({ name, kind: 'counter', valueType: 'int', add: (value, tags) => adds.push({ name, value, tags }), withTags: () => { throw new Error('unused'); } }),
      createHistogram: (name) => ({ name, kind: 'histogram', valueType: 'int', record: (value, tags) => adds.push({ name, value, tags }), withTags: () => { throw new Error('unused'); } }),
      createGauge: () => { throw new Error('unused'); },
      withTags: () => meter,
    };
    await mockEnv({ attempt: 3 }, meter).exec(ctx.acts.clustersGet, { cluster_id: 'nope' }).catch(() => {});
    await mockEnv({}, meter).exec(ctx.acts.clustersSparkVersions, undefined);
    expect(adds).toContainEqual({ name: 'durabricks_databricks_requests', value: 1, tags: expect.objectContaining({ operation: 'clusters.get', status: '400', retry: 'true' }) });
    expect(adds).toContainEqual({ name: 'durabricks_databricks_requests', value: 1, tags: expect.objectContaining({ operation: 'clusters.sparkVersions', status: '200', retry: 'false' }) });
    expect(adds).toContainEqual({ name: 'durabricks_activity_attempts', value: 1, tags: expect.objectContaining({ activity: 'clustersGet', outcome: 'NotFoundError', retry: 'true', namespace: 'test' }) });
  });
});

describe('transfer input', () => {
  it('an unwritable download target is a non-retryable ValidationError naming localPath', async () => {
    await ctx.client.dbfs.put({ path: '/tmp/small.bin', contents: Buffer.from('hi').toString('base64'), overwrite: true });
    const err = await rejection(mockEnv().exec(ctx.acts.dbfsDownload, { path: '/tmp/small.bin', localPath: join(dir, 'no-such-dir', 'x.bin') }));
    expect(err).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect(err.message).toContain("'localPath'");
  });

  it('a missing local source is a non-retryable ValidationError naming localPath, and nothing is sent', async () => {
    const err = await rejection(mockEnv().exec(ctx.acts.dbfsUpload, { localPath: join(dir, 'nope.bin'), path: '/tmp/x' }));
    expect(err).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect(err.message).toContain("'localPath'");
    expect(ctx.events).toHaveLength(0);
  });
});
