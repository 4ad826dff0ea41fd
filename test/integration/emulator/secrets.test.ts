import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { startTestEmulator, type TestClient } from './helpers.js';

describe('secrets', () => {
  let emu: RunningEmulator;
  let admin: TestClient;
  let user: TestClient;
  beforeAll(async () => {
    ({ emu, api: admin } = await startTestEmulator({ tokens: ['dapi-admin-token', 'dapi-user-token'] }));
    user = admin.as('dapi-user-token');
  });
  afterAll(() => emu.close());
  afterEach(() => emu.reset());

  it('scopes: create, list, duplicate (case-insensitive) and bad names', async () => {
    // Empty lists leave the key out, like the real (proto-based) API.
    expect((await admin.get('/api/2.0/secrets/scopes/list')).body).toEqual({});
    expect((await admin.post('/api/2.0/secrets/scopes/create', { scope: 'etl' })).status).toBe(200);
    const dup = await admin.post('/api/2.0/secrets/scopes/create', { scope: 'ETL' });
    expect(dup.status).toBe(409);
    expect(dup.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    expect((await admin.post('/api/2.0/secrets/scopes/create', { scope: 'bad name!' })).body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect((await admin.get('/api/2.0/secrets/scopes/list')).body).toEqual({ scopes: [{ name: 'etl', backend_type: 'DATABRICKS' }] });
  });

  it('put/get/list/delete secrets; get returns base64 bytes; missing → 404 (quirk 7)', async () => {
    await admin.post('/api/2.0/secrets/scopes/create', { scope: 's' });
    await admin.post('/api/2.0/secrets/put', { scope: 's', key: 'password', string_value: 'hunter2' });
    await admin.post('/api/2.0/secrets/put', { scope: 's', key: 'blob', bytes_value: Buffer.from([1, 2, 3]).toString('base64') });
    expect((await admin.get('/api/2.0/secrets/get', { scope: 's', key: 'password' })).body).toEqual({ key: 'password', value: Buffer.from('hunter2').toString('base64') });
    const list = await admin.get<{ secrets: { key: string; last_updated_timestamp: number }[] }>('/api/2.0/secrets/list', { scope: 's' });
    expect(list.body.secrets.map((s) => s.key)).toEqual(['blob', 'password']);
    expect(JSON.stringify(list.body)).not.toContain('hunter2');
    await admin.post('/api/2.0/secrets/delete', { scope: 's', key: 'blob' });
    const missing = await admin.get('/api/2.0/secrets/get', { scope: 's', key: 'blob' });
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await admin.get('/api/2.0/secrets/list', { scope: 'nope' })).status).toBe(404);
    expect((await admin.post('/api/2.0/secrets/put', { scope: 's', key: 'k', string_value: 'a', bytes_value: 'YQ==' })).status).toBe(400);
  });

  it('ACLs: a user without permission gets 403; READ lets them read but not write; MANAGE manages', async () => {
    await admin.post('/api/2.0/secrets/scopes/create', { scope: 'team' });
    await admin.post('/api/2.0/secrets/put', { scope: 'team', key: 'k', string_value: 'v' });
    const denied = await user.get('/api/2.0/secrets/get', { scope: 'team', key: 'k' });
    expect(denied.status).toBe(403);
    expect(denied.body.error_code).toBe('PERMISSION_DENIED');
    await admin.post('/api/2.0/secrets/acls/put', { scope: 'team', principal: 'user1@emulator.local', permission: 'READ' });
    expect((await user.get('/api/2.0/secrets/get', { scope: 'team', key: 'k' })).status).toBe(200);
    expect((await user.post('/api/2.0/secrets/put', { scope: 'team', key: 'k', string_value: 'w' })).status).toBe(403);
    expect((await admin.get('/api/2.0/secrets/acls/get', { scope: 'team', principal: 'user1@emulator.local' })).body).toEqual({ principal: 'user1@emulator.local', permission: 'READ' });
    const acls = await admin.get<{ items: { principal: string; permission: string }[] }>('/api/2.0/secrets/acls/list', { scope: 'team' });
    expect(acls.body.items).toContainEqual({ principal: 'admin@emulator.local', permission: 'MANAGE' });
    await admin.post('/api/2.0/secrets/acls/delete', { scope: 'team', principal: 'user1@emulator.local' });
    expect((await user.get('/api/2.0/secrets/get', { scope: 'team', key: 'k' })).status).toBe(403);
    expect((await admin.post('/api/2.0/secrets/acls/delete', { scope: 'team', principal: 'user1@emulator.local' })).status).toBe(404);
  });

  it('the creator of a scope manages it; initial_manage_principal "users" opens it to everyone', async () => {
    await user.post('/api/2.0/secrets/scopes/create', { scope: 'mine' });
    expect((await user.post('/api/2.0/secrets/put', { scope: 'mine', key: 'k', string_value: 'v' })).status).toBe(200);
    await admin.post('/api/2.0/secrets/scopes/create', { scope: 'open', initial_manage_principal: 'users' });
    expect((await user.post('/api/2.0/secrets/put', { scope: 'open', key: 'k', string_value: 'v' })).status).toBe(200);
    expect((await admin.post('/api/2.0/secrets/scopes/create', { scope: 'x', initial_manage_principal: 'bob' })).status).toBe(400);
    await admin.post('/api/2.0/secrets/scopes/delete', { scope: 'open' });
    expect((await admin.post('/api/2.0/secrets/scopes/delete', { scope: 'open' })).status).toBe(404);
  });
});
