import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { expectErrorShape, startAdminAndUser, TestClient } from './helpers.js';

/**
 * Token Management (`/api/2.0/token-management`): an admin's view of every user's tokens, revocation
 * that really stops a token from authenticating, and on-behalf-of tokens that authenticate as the
 * service principal (an OAuth M2M client, named by its application id). Non-admins are refused.
 * The clock is paused, so expiry happens only when a test advances it.
 */
const SP = { clientId: 'sp-app-0001', clientSecret: 'sp-secret-value-0001' };
const OPTIONS = { speed: 0, seed: 5, rateLimitPerSecond: 0, tokens: ['dapi-admin', 'dapi-user1'], oauthClients: [SP] };
const TM = '/api/2.0/token-management';

interface TokenInfo {
  token_id: string;
  comment: string;
  creation_time: number;
  expiry_time: number;
  created_by_id: number;
  created_by_username: string;
  owner_id: number;
  workspace_id: number;
}

let emu: RunningEmulator;
let admin: TestClient;
let user: TestClient;
beforeAll(async () => ({ emu, admin, user } = await startAdminAndUser(OPTIONS)));
afterAll(() => emu?.close());
beforeEach(() => emu.reset());

const meId = async (c: TestClient) => Number((await c.get<{ id: string }>('/api/2.0/preview/scim/v2/Me')).body.id);
const listAll = async (query?: Record<string, unknown>) => (await admin.get<{ token_infos: TokenInfo[] }>(`${TM}/tokens`, query)).body.token_infos;
const pat = async (c: TestClient, comment: string) => (await c.post<{ token_value: string; token_info: TokenInfo }>('/api/2.0/token/create', { comment, lifetime_seconds: 600 })).body;
const obo = (c: TestClient, body: Record<string, unknown>) => c.post<{ token_value: string; token_info: TokenInfo }>(`${TM}/on-behalf-of/tokens`, body);

describe('Token Management (admin)', () => {
  it("lists every user's tokens with creator, owner and workspace, filters by creator id or name, and gets one by id", async () => {
    const mine = await pat(admin, 'admin-ci');
    const theirs = await pat(user, 'user-ci');
    const [adminId, userId] = [await meId(admin), await meId(user)];
    const workspaceId = Number(((await (await fetch(`${emu.url}/.well-known/databricks-config`)).json()) as { workspace_id: string }).workspace_id);

    const all = await listAll();
    expect(all.map((t) => t.comment)).toEqual(['admin-ci', 'user-ci']);
    expect(all[1]).toEqual({
      token_id: theirs.token_info.token_id,
      comment: 'user-ci',
      creation_time: theirs.token_info.creation_time,
      expiry_time: theirs.token_info.creation_time + 600_000,
      created_by_id: userId,
      created_by_username: 'user1@emulator.local',
      owner_id: userId,
      workspace_id: workspaceId,
    });
    expect((await listAll({ created_by_username: 'user1@emulator.local' })).map((t) => t.token_id)).toEqual([theirs.token_info.token_id]);
    expect((await listAll({ created_by_id: adminId })).map((t) => t.token_id)).toEqual([mine.token_info.token_id]);
    expect(await listAll({ created_by_username: 'nobody@emulator.local' })).toEqual([]);

    const got = await admin.get<{ token_info: TokenInfo }>(`${TM}/tokens/${theirs.token_info.token_id}`);
    expect(got.body).toEqual({ token_info: all[1] });
    // The preview path serves the same API.
    expect((await admin.get(`/api/2.0/preview/token-management/tokens/${theirs.token_info.token_id}`)).body).toEqual(got.body);
    // No token value anywhere but the create response.
    expect(JSON.stringify([all, got.body])).not.toContain(theirs.token_value);
    expect(JSON.stringify(emu.snapshot())).not.toContain(theirs.token_value);
  });

  it("deleting another user's token revokes it: it stops authenticating and is gone from every listing", async () => {
    const theirs = await pat(user, 'doomed');
    const owner = admin.as(theirs.token_value);
    expect((await owner.get('/api/2.0/token/list')).status).toBe(200);

    expect((await admin.call('DELETE', `${TM}/tokens/${theirs.token_info.token_id}`)).body).toEqual({});
    const denied = await owner.get('/api/2.0/token/list');
    expect(denied.status).toBe(401);
    expect(denied.body).toMatchObject({ error_code: 'UNAUTHENTICATED' });
    expect((await user.get<{ token_infos: unknown[] }>('/api/2.0/token/list')).body.token_infos).toEqual([]);
    expect(await listAll()).toEqual([]);

    for (const r of [await admin.get(`${TM}/tokens/${theirs.token_info.token_id}`), await admin.call('DELETE', `${TM}/tokens/${theirs.token_info.token_id}`)]) {
      expect(r.status).toBe(404);
      expectErrorShape(r.body);
      expect(r.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Token with id ${theirs.token_info.token_id} does not exist.` });
    }
  });

  it('an on-behalf-of token authenticates as the service principal until its lifetime passes', async () => {
    const r = await obo(admin, { application_id: SP.clientId, comment: 'automation', lifetime_seconds: 60 });
    expect(r.status).toBe(200);
    const { token_value, token_info } = r.body;
    expect(token_value).toMatch(/^dapi[0-9a-f]{32}$/);

    const asSp = admin.as(token_value);
    const me = await asSp.get<{ userName: string; id: string }>('/api/2.0/preview/scim/v2/Me');
    expect(me.body.userName).toBe(SP.clientId);
    expect(token_info).toMatchObject({ comment: 'automation', created_by_username: 'admin@emulator.local', created_by_id: await meId(admin), owner_id: Number(me.body.id) });
    expect(token_info.expiry_time - token_info.creation_time).toBe(60_000);
    // The service principal sees its token through the plain Tokens API; the admin sees it as theirs to manage.
    expect((await asSp.get<{ token_infos: { token_id: string }[] }>('/api/2.0/token/list')).body.token_infos.map((t) => t.token_id)).toEqual([token_info.token_id]);
    expect((await listAll({ created_by_username: 'admin@emulator.local' })).map((t) => t.token_id)).toEqual([token_info.token_id]);
    // The service principal is no admin: token management refuses it.
    expect((await asSp.get(`${TM}/tokens`)).status).toBe(403);

    await emu.advance(61);
    expect((await asSp.get('/api/2.0/preview/scim/v2/Me')).status).toBe(401);
    expect(await listAll()).toEqual([]);
  });

  it('refuses non-admins on every endpoint with 403 PERMISSION_DENIED and changes nothing', async () => {
    const theirs = await pat(admin, 'kept');
    const id = theirs.token_info.token_id;
    const replies = [
      await user.get(`${TM}/tokens`),
      await user.get(`${TM}/tokens/${id}`),
      await user.call('DELETE', `${TM}/tokens/${id}`),
      await obo(user, { application_id: SP.clientId, lifetime_seconds: 60 }),
    ];
    for (const r of replies) {
      expect(r.status).toBe(403);
      expect(r.body).toEqual({ error_code: 'PERMISSION_DENIED', message: 'Only Admins can access token management APIs.' });
    }
    expect((await admin.as(theirs.token_value).get('/api/2.0/token/list')).status).toBe(200);
    expect((await listAll()).map((t) => t.token_id)).toEqual([id]);
  });

  it('bad input gets a precise 400 (or 404 for an unknown service principal) and creates nothing', async () => {
    await pat(user, 'existing');
    const tokensState = () => (emu.snapshot().services as Record<string, unknown>).tokens;
    const before = tokensState();
    expect(JSON.stringify(before)).toContain('existing');
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{ lifetime_seconds: 60 }, 400, 'INVALID_PARAMETER_VALUE', /application_id/],
      [{ application_id: '', lifetime_seconds: 60 }, 400, 'INVALID_PARAMETER_VALUE', /application_id/],
      [{ application_id: SP.clientId, lifetime_seconds: 'soon' }, 400, 'INVALID_PARAMETER_VALUE', /lifetime_seconds/],
      [{ application_id: SP.clientId, lifetime_seconds: -5 }, 400, 'INVALID_PARAMETER_VALUE', /lifetime_seconds/],
      [{ application_id: 'no-such-app', lifetime_seconds: 60 }, 404, 'RESOURCE_DOES_NOT_EXIST', /^Service principal with application ID no-such-app does not exist\.$/],
    ];
    for (const [body, status, code, message] of cases) {
      const r = await admin.post(`${TM}/on-behalf-of/tokens`, body);
      expect({ body, status: r.status, code: r.body.error_code }).toEqual({ body, status, code });
      expect(r.body.message).toMatch(message);
    }
    const badFilter = await admin.get(`${TM}/tokens`, { created_by_id: 'abc' });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('created_by_id') });
    expect(tokensState()).toEqual(before);
  });
});

describe('Token Management with --data-dir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emu-tokenmgmt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an on-behalf-of token and its creator survive a restart; a token revoked before it stays revoked', async () => {
    const first = await startEmulator({ ...OPTIONS, dataDir: dir });
    let kept: { token_value: string; token_info: TokenInfo };
    let revoked: string;
    try {
      const a = new TestClient(first, 'dapi-admin');
      kept = (await obo(a, { application_id: SP.clientId, comment: 'kept', lifetime_seconds: 3600 })).body;
      const gone = (await obo(a, { application_id: SP.clientId, comment: 'gone', lifetime_seconds: 3600 })).body;
      revoked = gone.token_value;
      await a.call('DELETE', `${TM}/tokens/${gone.token_info.token_id}`);
    } finally {
      await first.close();
    }

    const second = await startEmulator({ ...OPTIONS, dataDir: dir });
    try {
      const a = new TestClient(second, 'dapi-admin');
      expect((await a.as(kept.token_value).get<{ userName: string }>('/api/2.0/preview/scim/v2/Me')).body.userName).toBe(SP.clientId);
      expect((await a.as(revoked).get('/api/2.0/preview/scim/v2/Me')).status).toBe(401);
      expect((await a.get<{ token_infos: TokenInfo[] }>(`${TM}/tokens`)).body.token_infos).toEqual([kept.token_info]);
    } finally {
      await second.close();
    }
  });
});
