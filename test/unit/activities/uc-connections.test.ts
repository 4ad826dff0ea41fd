import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

/** Connection activities against the in-process emulator. */
const ctx = useEmulatorActivities();
const attempt = (n: number) => ({ attempt: n, activityId: 'uc-connections-1' });
const ENV = 'DURABRICKS_TEST_CONNECTION_PASSWORD';
const options = { host: 'db.example.com', port: '3306', user: 'etl', password: { fromEnv: ENV } };
const input = { name: 'orders', connection_type: 'MYSQL', options, comment: 'orders db' };

const withEnv = async (value: string, fn: () => Promise<void>) => {
  process.env[ENV] = value;
  try {
    await fn();
  } finally {
    delete process.env[ENV];
  }
};

describe('connection activities', () => {
  it('the password goes by reference: resolved on the worker, in neither input nor result', async () => {
    await withEnv('mysql-s3cr3t-from-env', async () => {
      const r = await mockEnv(attempt(1)).exec(ctx.acts.connectionsCreate, input);
      expect(r).toMatchObject({ name: 'orders', connection_type: 'MYSQL', credential_type: 'USERNAME_PASSWORD', options: { host: 'db.example.com', port: '3306' } });
      expect(JSON.stringify([input, r])).not.toMatch(/s3cr3t/);
      const read = [await mockEnv(attempt(1)).exec(ctx.acts.connectionsGet, { name: 'orders' }), await mockEnv(attempt(1)).exec(ctx.acts.connectionsList, {})];
      expect(read[1]).toHaveLength(1);
      expect(JSON.stringify(read)).not.toMatch(/s3cr3t/);
    });
    const dir = mkdtempSync(join(tmpdir(), 'conn-ref-'));
    try {
      writeFileSync(join(dir, 'pw'), 'rotated-s3cr3t\n');
      const updated = await mockEnv(attempt(1)).exec(ctx.acts.connectionsUpdate, { name: 'orders', options: { ...options, host: 'db2.example.com', password: { fromFile: join(dir, 'pw') } } });
      expect(updated).toMatchObject({ url: 'db2.example.com:3306' });
      expect(JSON.stringify(updated)).not.toMatch(/s3cr3t/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a secret option given as a plain string, or a reference that does not resolve, is refused by name without sending anything', async () => {
    const plain = await rejection(mockEnv().exec(ctx.acts.connectionsCreate, { ...input, options: { ...options, password: 'plain-leak-me' } } as never));
    expect(plain).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect(plain.message).toContain("'options.password'");
    expect(plain.message).not.toContain('plain-leak-me');
    const update = await rejection(mockEnv().exec(ctx.acts.connectionsUpdate, { name: 'orders', options: { host: 'h', client_secret: 'leak-me-too' } } as never));
    expect(update.message).toContain("'options.client_secret'");
    expect(update.message).not.toContain('leak-me-too');
    const unset = await rejection(mockEnv().exec(ctx.acts.connectionsCreate, input));
    expect(unset).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect(unset.message).toContain(`environment variable ${ENV} is not set`);
    expect(ctx.events).toHaveLength(0);
  });

  it('a retried create adopts its own connection, not a same-named one that differs; a retried delete counts gone as done', async () => {
    await withEnv('mysql-s3cr3t-from-env', async () => {
      const first = await mockEnv(attempt(1)).exec(ctx.acts.connectionsCreate, input);
      const retried = await mockEnv(attempt(2)).exec(ctx.acts.connectionsCreate, input);
      expect(retried.connection_id).toBe(first.connection_id);
      const conflict = await rejection(mockEnv(attempt(1)).exec(ctx.acts.connectionsCreate, input));
      expect(conflict).toMatchObject({ type: 'ResourceConflictError', nonRetryable: true });
      const otherHost = await rejection(mockEnv(attempt(2)).exec(ctx.acts.connectionsCreate, { ...input, options: { ...options, host: 'elsewhere' } }));
      expect(otherHost).toMatchObject({ type: 'ResourceConflictError', nonRetryable: true });
      const otherType = await rejection(mockEnv(attempt(2)).exec(ctx.acts.connectionsCreate, { ...input, connection_type: 'POSTGRESQL' }));
      expect(otherType).toMatchObject({ type: 'ResourceConflictError', nonRetryable: true });
    });
    expect(await mockEnv(attempt(1)).exec(ctx.acts.connectionsDelete, { name: 'orders' })).toEqual({ deleted: true });
    expect(await mockEnv(attempt(2)).exec(ctx.acts.connectionsDelete, { name: 'orders' })).toEqual({ deleted: false });
    expect(await rejection(mockEnv(attempt(1)).exec(ctx.acts.connectionsDelete, { name: 'orders' }))).toMatchObject({ type: 'NotFoundError' });
    expect(await rejection(mockEnv(attempt(1)).exec(ctx.acts.connectionsGet, { name: 'orders' }))).toMatchObject({ type: 'NotFoundError', nonRetryable: true });
  });
});
