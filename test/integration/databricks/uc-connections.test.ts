import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/common/logger.js';
import { BadRequestError, NotFoundError, ResourceConflictError, ValidationError, type DatabricksError } from '../../../src/databricks/index.js';
import { useEmulator } from './emulator.js';

const ctx = useEmulator();
const PASSWORD = 'client-s3cr3t-password';
const MYSQL = { host: 'db.example.com', port: '3306', user: 'etl', password: PASSWORD };
const CONNS = '/api/2.1/unity-catalog/connections';

describe('Unity Catalog connections through the client', () => {
  it('create, get, list (every page), update, delete; the password never comes back', async () => {
    const c = ctx.client;
    const created = await c.connections.create({ name: 'orders', connection_type: 'MYSQL', options: MYSQL, comment: 'orders db' });
    expect(created).toMatchObject({ name: 'orders', connection_type: 'MYSQL', credential_type: 'USERNAME_PASSWORD', options: { host: 'db.example.com', port: '3306' }, url: 'db.example.com:3306' });
    for (const n of ['b', 'c']) await c.unityCatalog.connections.create({ name: n, connection_type: 'POSTGRESQL', options: { host: 'pg', port: '5432', user: 'u', password: PASSWORD } });
    expect((await c.connections.list({ max_results: 1 }).toArray()).map((x) => x.name)).toEqual(['b', 'c', 'orders']);
    expect(await c.connections.list({ limit: 2 }).toArray()).toHaveLength(2);
    const got = await c.connections.get({ name: 'orders' });
    expect(got.connection_id).toBe(created.connection_id);
    const updated = await c.connections.update({ name: 'orders', options: { ...MYSQL, host: 'db2.example.com' }, new_name: 'orders2' });
    expect(updated).toMatchObject({ name: 'orders2', url: 'db2.example.com:3306' });
    await c.connections.delete({ name: 'orders2' });
    await expect(c.connections.get({ name: 'orders2' })).rejects.toBeInstanceOf(NotFoundError);
    const all = [created, got, updated, ...(await c.connections.list().toArray())];
    expect(JSON.stringify(all)).not.toContain(PASSWORD);
    for (const n of ['b', 'c']) await c.connections.delete({ name: n });
  });

  it('typed errors; bad input is refused by name before anything is sent', async () => {
    const c = ctx.client;
    await c.connections.create({ name: 'dup', connection_type: 'MYSQL', options: MYSQL });
    await expect(c.connections.create({ name: 'dup', connection_type: 'MYSQL', options: MYSQL })).rejects.toBeInstanceOf(ResourceConflictError);
    await expect(c.connections.create({ name: 'x', connection_type: 'MYSQL', options: { host: 'h', port: '1', user: 'u' } })).rejects.toBeInstanceOf(BadRequestError);
    const sent = ctx.events.length;
    const noOptions = await c.connections.update({ name: 'dup' } as never).catch((e: unknown) => e);
    expect(noOptions).toBeInstanceOf(ValidationError);
    expect((noOptions as ValidationError).argument).toBe('options');
    const notString = await c.connections.create({ name: 'x', connection_type: 'MYSQL', options: { ...MYSQL, port: 3306 } } as never).catch((e: unknown) => e);
    expect((notString as ValidationError).argument).toBe('options.port');
    expect(ctx.events.length).toBe(sent);
    await c.connections.delete({ name: 'dup' });
  });

  it('an error that echoes a secret option is scrubbed, and a logged request censors it', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace', destination: new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) }) });
    const c = ctx.makeClient({ logger });
    const echo = { error_code: 'INVALID_PARAMETER_VALUE', message: `could not log in as etl with password ${PASSWORD}` };
    ctx.emu.faults.add({ method: 'POST', path: CONNS, action: 'respond', status: 400, body: echo, times: 1 });
    ctx.emu.faults.add({ method: 'PATCH', path: `${CONNS}/scrubbed`, action: 'respond', status: 400, body: echo, times: 1 });
    const errors: DatabricksError[] = [];
    await c.connections.create({ name: 'scrubbed', connection_type: 'MYSQL', options: MYSQL }).catch((e: DatabricksError) => errors.push(e));
    await c.connections.create({ name: 'scrubbed', connection_type: 'MYSQL', options: MYSQL });
    await c.connections.update({ name: 'scrubbed', options: MYSQL }).catch((e: DatabricksError) => errors.push(e));
    expect(errors).toHaveLength(2);
    for (const e of errors) {
      expect(e).toBeInstanceOf(BadRequestError);
      expect(e.message).toContain('with password [REDACTED]');
    }
    logger.info({ request: { name: 'scrubbed', options: MYSQL } }, 'creating connection');
    logger.info({ options: { pem_private_key: PASSWORD } }, 'key pair');
    expect(lines.join('\n')).toContain('db.example.com');
    expect([...lines, ...errors.map((e) => inspect(e, { depth: 8 }))].join('\n')).not.toContain(PASSWORD);
    await c.connections.delete({ name: 'scrubbed' });
  });
});
