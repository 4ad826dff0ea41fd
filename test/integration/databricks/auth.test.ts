import { describe, expect, it } from 'vitest';
import { PermissionDeniedError, UnauthenticatedError, type ResponseEvent } from '../../../src/databricks/index.js';
import type { OAuthApi } from '../../../src/emulator/services/oauth/index.js';
import { useEmulator } from './emulator.js';

const ctx = useEmulator({ speed: 1, oauthClients: [{ clientId: 'it-sp', clientSecret: 'it-sp-secret', admin: true }] });

describe('auth against the emulator', () => {
  it('Basic token:<PAT> works like Bearer', async () => {
    const basic = ctx.makeClient({ authType: 'basic' });
    expect((await basic.clusters.sparkVersions()).versions?.length).toBeGreaterThan(0);
  });

  it('an unknown PAT is UnauthenticatedError', async () => {
    const bad = ctx.makeClient({ token: 'dapi-not-a-real-token' });
    await expect(bad.clusters.sparkVersions()).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('OAuth M2M: discovery, client credentials, and refresh across several token lifetimes', async () => {
    ctx.emu.service<OAuthApi>('oauth')!.setTokenLifetime(6);
    const events: ResponseEvent[] = [];
    const sp = ctx.makeClient({ token: undefined, clientId: 'it-sp', clientSecret: 'it-sp-secret', hooks: { onResponse: (e) => events.push(e) } });
    expect(sp.authType).toBe('oauth-m2m');
    // 6 s tokens are refreshed at half-life (3 s), leaving a wide margin before they expire.
    const end = Date.now() + 7000;
    let calls = 0;
    while (Date.now() < end) {
      await sp.clusters.sparkVersions();
      calls++;
      await new Promise((r) => setTimeout(r, 200));
    }
    // Every API call succeeded at its first attempt: tokens were refreshed before they expired.
    const api = events.filter((e) => e.operation === 'clusters.sparkVersions');
    expect(api).toHaveLength(calls);
    expect(api.every((e) => e.status === 200 && e.attempt === 1)).toBe(true);
    expect(events.filter((e) => e.operation === 'oauth.discovery')).toHaveLength(1);
    expect(events.filter((e) => e.operation === 'oauth.token').length).toBeGreaterThanOrEqual(3);
  });

  it('OAuth with a wrong client secret is UnauthenticatedError', async () => {
    const sp = ctx.makeClient({ token: undefined, clientId: 'it-sp', clientSecret: 'wrong-secret' });
    const err = await sp.clusters.sparkVersions().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnauthenticatedError);
    expect(String(err)).not.toContain('wrong-secret');
  });
});

describe('tokens against the emulator', () => {
  it('a created token authenticates until revoked', async () => {
    const { token_value, token_info } = await ctx.client.tokens.create({ comment: 'it token', lifetime_seconds: 3600 });
    expect(token_value).toBeTruthy();
    const tokenId = token_info!.token_id;
    expect((await ctx.client.tokens.list().toArray()).map((t) => t.token_id)).toContain(tokenId);
    const other = ctx.makeClient({ token: token_value });
    expect((await other.clusters.sparkVersions()).versions?.length).toBeGreaterThan(0);
    await ctx.client.tokens.revoke({ token_id: tokenId });
    await expect(other.clusters.sparkVersions()).rejects.toBeInstanceOf(UnauthenticatedError);
    expect((await ctx.client.tokens.list().toArray()).map((t) => t.token_id)).not.toContain(tokenId);
  });
});

describe('permissions against the emulator', () => {
  it('set / update (PATCH body) / get / levels on a warehouse, enforced for another user', async () => {
    // Real-time speed was for the OAuth expiry test; the warehouse should start at once here.
    ctx.emu.clock.setSpeed(Infinity);
    const { id } = await ctx.client.warehouses.create({ name: 'perm-wh' });
    const levels = await ctx.client.permissions.getPermissionLevels({ object_type: 'warehouses', object_id: id });
    expect(levels.permission_levels?.map((l) => l.permission_level)).toEqual(expect.arrayContaining(['CAN_USE', 'CAN_MANAGE']));

    const user = ctx.makeClient({ token: 'dapi-integration-user-2' });
    await expect(user.statements.execute({ statement: 'SELECT 1', warehouse_id: id })).rejects.toBeInstanceOf(PermissionDeniedError);

    const userName = 'user1@emulator.local';
    const set = await ctx.client.permissions.set({ object_type: 'warehouses', object_id: id, access_control_list: [{ user_name: userName, permission_level: 'CAN_USE' }] });
    expect(set.access_control_list?.some((a) => a.user_name === userName)).toBe(true);
    await expect(user.statements.executeAndFetch({ statement: 'SELECT 1', warehouse_id: id }).then((r) => r.toArray())).resolves.toEqual([['1']]);

    const updated = await ctx.client.permissions.update({ object_type: 'warehouses', object_id: id, access_control_list: [{ group_name: 'users', permission_level: 'CAN_VIEW' }] });
    const principals = updated.access_control_list?.map((a) => a.user_name ?? a.group_name);
    // PATCH merges: the earlier grant stays, the new one is added.
    expect(principals).toEqual(expect.arrayContaining([userName, 'users']));
    const got = await ctx.client.permissions.get({ object_type: 'warehouses', object_id: id });
    expect(got.access_control_list?.map((a) => a.user_name ?? a.group_name)).toEqual(expect.arrayContaining([userName, 'users']));
  });
});
