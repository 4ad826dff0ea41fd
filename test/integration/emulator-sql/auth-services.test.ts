import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OAuthApi } from '../../../src/emulator/services/oauth/index.js';
import { emulator, warehouse } from './client.js';

let ctx: Awaited<ReturnType<typeof emulator>>;
beforeAll(async () => {
  ctx = await emulator({ speed: 0, oauthClients: [{ clientId: 'sp-app-id', clientSecret: 'sp-secret-value' }] });
});
afterAll(() => ctx.emu.close());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
async function tokenRequest(auth: string | undefined, body = 'grant_type=client_credentials&scope=all-apis') {
  const res = await fetch(`${ctx.emu.url}/oidc/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth ? { authorization: auth } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Tokens API', () => {
  it('a created token authenticates as its creator until revoked', async () => {
    const created = await ctx.call('POST', '/api/2.0/token/create', { comment: 'ci', lifetime_seconds: 600 }, 'dapi-user1');
    expect(created.status).toBe(200);
    const value = created.body.token_value as string;
    expect(value).toMatch(/^dapi[0-9a-f]{32}$/);
    expect(created.body.token_info.expiry_time - created.body.token_info.creation_time).toBe(600_000);
    expect((await ctx.call('GET', '/api/2.0/token/list', undefined, value)).body.token_infos).toHaveLength(1);
    expect((await ctx.call('GET', '/api/2.0/token/list', undefined, 'dapi-admin')).body.token_infos).toEqual([]);
    expect((await ctx.call('POST', '/api/2.0/token/delete', { token_id: created.body.token_info.token_id }, value)).status).toBe(200);
    const after = await ctx.call('GET', '/api/2.0/token/list', undefined, value);
    expect(after.status).toBe(401);
    expect(JSON.stringify(after.body)).not.toContain(value);
  });

  it('a token with a lifetime stops working when virtual time passes it', async () => {
    const created = await ctx.call('POST', '/api/2.0/token/create', { lifetime_seconds: 60 });
    const value = created.body.token_value as string;
    expect((await ctx.call('GET', '/api/2.0/token/list', undefined, value)).status).toBe(200);
    ctx.emu.clock.advance(61_000);
    expect((await ctx.call('GET', '/api/2.0/token/list', undefined, value)).status).toBe(401);
  });

  it('rejects bad input and unknown ids', async () => {
    expect((await ctx.call('POST', '/api/2.0/token/create', { lifetime_seconds: 'x' })).status).toBe(400);
    expect((await ctx.call('POST', '/api/2.0/token/delete', {})).body.message).toBe('Missing required field: token_id');
    const unknown = await ctx.call('POST', '/api/2.0/token/delete', { token_id: 'nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});

describe('OAuth M2M', () => {
  it('serves discovery without credentials', async () => {
    const res = await fetch(`${ctx.emu.url}/oidc/.well-known/oauth-authorization-server`);
    const body = (await res.json()) as Record<string, string>;
    expect(res.status).toBe(200);
    expect(body.token_endpoint).toBe(`${ctx.emu.url}/oidc/v1/token`);
    expect(typeof body.authorization_endpoint).toBe('string');
  });

  it('serves host metadata (/.well-known/databricks-config, read by the Python and Go SDKs) without credentials', async () => {
    const res = await fetch(`${ctx.emu.url}/.well-known/databricks-config`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ oidc_endpoint: `${ctx.emu.url}/oidc`, workspace_id: expect.stringMatching(/^\d{16}$/), host_type: 'workspace' });
  });

  it('SCIM Me names the caller: a user with its admin group, a service principal by its application id', async () => {
    const admin = await ctx.call('GET', '/api/2.0/preview/scim/v2/Me', undefined, 'dapi-admin');
    expect(admin.status).toBe(200);
    expect(admin.body).toMatchObject({ userName: 'admin@emulator.local', active: true, emails: [{ value: 'admin@emulator.local', primary: true }], groups: [{ display: 'admins' }] });
    expect(admin.body.id).toMatch(/^\d+$/);
    expect((await ctx.call('GET', '/api/2.0/preview/scim/v2/Me', undefined, 'dapi-user1')).body).toMatchObject({ userName: 'user1@emulator.local', groups: [] });
    const sp = (await tokenRequest(basic('sp-app-id', 'sp-secret-value'))).body.access_token as string;
    expect((await ctx.call('GET', '/api/2.0/preview/scim/v2/Me', undefined, sp)).body).toMatchObject({ userName: 'sp-app-id' });
    expect((await ctx.call('GET', '/api/2.0/preview/scim/v2/Me', undefined, 'wrong')).status).toBe(401);
  });

  it('client credentials with Basic auth mint an all-apis token that authenticates, then expires', async () => {
    ctx.emu.service<OAuthApi>('oauth')!.setTokenLifetime(120);
    try {
      const r = await tokenRequest(basic('sp-app-id', 'sp-secret-value'));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ token_type: 'Bearer', scope: 'all-apis', expires_in: 120 });
      const token = r.body.access_token as string;
      expect((await ctx.call('GET', '/api/2.0/token/list', undefined, token)).status).toBe(200);
      ctx.emu.clock.advance(121_000);
      expect((await ctx.call('GET', '/api/2.0/token/list', undefined, token)).status).toBe(401);
    } finally {
      ctx.emu.service<OAuthApi>('oauth')!.setTokenLifetime(3600);
    }
  });

  it('fault rules apply to the token endpoint (clients can be tested against a failing IdP)', async () => {
    const rule = await fetch(`${ctx.emu.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'respond', method: 'POST', path: '/oidc/v1/token', status: 503, body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'idp down' }, times: 1 }),
    });
    expect(rule.status).toBe(200);
    expect((await tokenRequest(basic('sp-app-id', 'sp-secret-value'))).status).toBe(503);
    expect((await tokenRequest(basic('sp-app-id', 'sp-secret-value'))).status).toBe(200);
  });

  it('refuses wrong secrets, unknown clients, bad grants and scopes without echoing secrets', async () => {
    const wrong = await tokenRequest(basic('sp-app-id', 'not-the-secret'));
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    expect(JSON.stringify(wrong.body)).not.toContain('not-the-secret');
    expect((await tokenRequest(basic('other', 'sp-secret-value'))).status).toBe(401);
    expect((await tokenRequest(undefined)).status).toBe(401);
    expect((await tokenRequest(basic('sp-app-id', '%zz-not-encoded'))).status).toBe(401);
    expect((await tokenRequest(basic('sp-app-id', 'sp-secret-value'), 'grant_type=password')).body.error).toBe('unsupported_grant_type');
    expect((await tokenRequest(basic('sp-app-id', 'sp-secret-value'), 'grant_type=client_credentials&scope=admin')).body.error).toBe('invalid_scope');
  });
});

describe('Permissions', () => {
  it('warehouse ACLs: creator owns, another user gets 403 until granted CAN_USE', async () => {
    const wh = await warehouse(ctx.call, 'acl');
    const acl = await ctx.call('GET', `/api/2.0/permissions/warehouses/${wh}`);
    expect(acl.body.object_id).toBe(`/sql/warehouses/${wh}`);
    expect(acl.body.access_control_list).toContainEqual({ user_name: 'admin@emulator.local', display_name: 'admin@emulator.local', all_permissions: [{ permission_level: 'IS_OWNER', inherited: false }] });
    const denied = await ctx.call('POST', '/api/2.0/sql/statements', { warehouse_id: wh, statement: 'SELECT 1', wait_timeout: '0s' }, 'dapi-user1');
    expect(denied.status).toBe(403);
    expect(denied.body.error_code).toBe('PERMISSION_DENIED');
    expect((await ctx.call('PATCH', `/api/2.0/permissions/warehouses/${wh}`, { access_control_list: [{ user_name: 'user1@emulator.local', permission_level: 'CAN_USE' }] }, 'dapi-user1')).status).toBe(403);
    const granted = await ctx.call('PATCH', `/api/2.0/permissions/warehouses/${wh}`, { access_control_list: [{ user_name: 'user1@emulator.local', permission_level: 'CAN_USE' }] });
    expect(granted.status).toBe(200);
    expect((await ctx.call('POST', '/api/2.0/sql/statements', { warehouse_id: wh, statement: 'SELECT 1', wait_timeout: '0s' }, 'dapi-user1')).status).toBe(200);
    expect((await ctx.call('DELETE', `/api/2.0/sql/warehouses/${wh}`, undefined, 'dapi-user1')).status).toBe(403);
    // set replaces direct grants (the owner stays)
    const set = await ctx.call('PUT', `/api/2.0/permissions/warehouses/${wh}`, { access_control_list: [] });
    expect(set.body.access_control_list.map((e: { user_name?: string }) => e.user_name).filter(Boolean)).toEqual(['admin@emulator.local']);
    expect((await ctx.call('GET', `/api/2.0/sql/warehouses/${wh}`, undefined, 'dapi-user1')).status).toBe(403);
  });

  it('validates levels, types and objects; nothing changes on a rejected request', async () => {
    const wh = await warehouse(ctx.call, 'acl2');
    const before = await ctx.call('GET', `/api/2.0/permissions/warehouses/${wh}`);
    const bad = await ctx.call('PATCH', `/api/2.0/permissions/warehouses/${wh}`, { access_control_list: [{ user_name: 'u', permission_level: 'CAN_RESTART' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/CAN_RESTART is not a valid permission level/);
    expect((await ctx.call('PATCH', `/api/2.0/permissions/warehouses/${wh}`, { access_control_list: [{ permission_level: 'CAN_USE' }] })).status).toBe(400);
    expect((await ctx.call('GET', `/api/2.0/permissions/warehouses/${wh}`)).body).toEqual(before.body);
    expect((await ctx.call('GET', '/api/2.0/permissions/warehouses/unknown')).status).toBe(404);
    expect((await ctx.call('GET', '/api/2.0/permissions/clusters/0000-000000-nothere')).status).toBe(404);
    expect((await ctx.call('GET', '/api/2.0/permissions/bogus/1')).status).toBe(400);
    const levels = await ctx.call('GET', `/api/2.0/permissions/warehouses/${wh}/permissionLevels`);
    expect(levels.body.permission_levels.map((l: { permission_level: string }) => l.permission_level)).toEqual(['CAN_VIEW', 'CAN_MONITOR', 'CAN_USE', 'CAN_MANAGE', 'IS_OWNER']);
  });

  it('cluster and job ACLs are enforced on the cluster and job routes', async () => {
    const c = (await ctx.call('POST', '/api/2.1/clusters/create', { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 })).body.cluster_id as string;
    // No ACL yet: open.
    expect((await ctx.call('GET', `/api/2.1/clusters/get?cluster_id=${c}`, undefined, 'dapi-user1')).status).toBe(200);
    await ctx.call('PUT', `/api/2.0/permissions/clusters/${c}`, { access_control_list: [{ user_name: 'user1@emulator.local', permission_level: 'CAN_ATTACH_TO' }] });
    expect((await ctx.call('GET', `/api/2.1/clusters/get?cluster_id=${c}`, undefined, 'dapi-user1')).status).toBe(200);
    const denied = await ctx.call('POST', '/api/2.1/clusters/delete', { cluster_id: c }, 'dapi-user1');
    expect(denied.status).toBe(403);
    expect(denied.body.error_code).toBe('PERMISSION_DENIED');
    expect((await ctx.call('POST', '/api/2.0/libraries/install', { cluster_id: c, libraries: [{ pypi: { package: 'x' } }] }, 'dapi-user1')).status).toBe(403);
    expect((await ctx.call('GET', `/api/2.1/clusters/get?cluster_id=${c}`)).body.state).not.toBe('TERMINATING');

    const job = (await ctx.call('POST', '/api/2.1/jobs/create', { name: 'guarded', tasks: [{ task_key: 'a', notebook_task: { notebook_path: '/x' }, existing_cluster_id: c }] })).body.job_id as number;
    await ctx.call('PUT', `/api/2.0/permissions/jobs/${job}`, { access_control_list: [{ user_name: 'user1@emulator.local', permission_level: 'CAN_VIEW' }] });
    const acl = (await ctx.call('GET', `/api/2.0/permissions/jobs/${job}`)).body.access_control_list;
    expect(acl).toContainEqual({ user_name: 'admin@emulator.local', display_name: 'admin@emulator.local', all_permissions: [{ permission_level: 'IS_OWNER', inherited: false }] });
    expect((await ctx.call('GET', `/api/2.1/jobs/get?job_id=${job}`, undefined, 'dapi-user1')).status).toBe(200);
    expect((await ctx.call('POST', '/api/2.1/jobs/run-now', { job_id: job }, 'dapi-user1')).status).toBe(403);
    const run = (await ctx.call('POST', '/api/2.1/jobs/run-now', { job_id: job })).body.run_id as number;
    expect((await ctx.call('GET', `/api/2.1/jobs/runs/get?run_id=${run}`, undefined, 'dapi-user1')).status).toBe(200);
    expect((await ctx.call('POST', '/api/2.1/jobs/runs/cancel', { run_id: run }, 'dapi-user1')).status).toBe(403);
    await ctx.call('PATCH', `/api/2.0/permissions/jobs/${job}`, { access_control_list: [{ user_name: 'user1@emulator.local', permission_level: 'CAN_MANAGE_RUN' }] });
    expect((await ctx.call('POST', '/api/2.1/jobs/runs/cancel', { run_id: run }, 'dapi-user1')).status).toBe(200);
    expect((await ctx.call('POST', '/api/2.1/jobs/delete', { job_id: job }, 'dapi-user1')).status).toBe(403);
  });

  it('cluster and job ACLs can be set and read', async () => {
    const c = await ctx.call('POST', '/api/2.1/clusters/create', { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1, cluster_name: 'p' });
    expect(c.status).toBe(200);
    // ACLs may only name principals that exist: the group is created first.
    expect((await ctx.call('POST', '/api/2.0/preview/scim/v2/Groups', { displayName: 'data-eng' })).status).toBe(201);
    const r = await ctx.call('PUT', `/api/2.0/permissions/clusters/${c.body.cluster_id}`, { access_control_list: [{ group_name: 'data-eng', permission_level: 'CAN_RESTART' }] });
    expect(r.body).toMatchObject({ object_id: `/clusters/${c.body.cluster_id}`, object_type: 'cluster' });
    expect(r.body.access_control_list).toContainEqual({ group_name: 'data-eng', all_permissions: [{ permission_level: 'CAN_RESTART', inherited: false }] });
    const j = await ctx.call('POST', '/api/2.1/jobs/create', { name: 'j', tasks: [{ task_key: 'a', notebook_task: { notebook_path: '/x' }, existing_cluster_id: c.body.cluster_id }] });
    const jr = await ctx.call('PATCH', `/api/2.0/permissions/jobs/${j.body.job_id}`, { access_control_list: [{ user_name: 'user1@emulator.local', permission_level: 'CAN_MANAGE_RUN' }] });
    expect(jr.status).toBe(200);
    expect(jr.body.object_id).toBe(`/jobs/${j.body.job_id}`);
  });
});
