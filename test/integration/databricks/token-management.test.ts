import { describe, expect, it } from 'vitest';
import { NotFoundError, PermissionDeniedError, ValidationError, type DatabricksError } from '../../../src/databricks/index.js';
import { useEmulator } from './emulator.js';

const SP = { clientId: 'it-sp-app', clientSecret: 'it-sp-secret-0123' };
const ctx = useEmulator({ oauthClients: [SP] });
const fail = (p: Promise<unknown>) => p.then(
  () => {
    throw new Error('expected a failure');
  },
  (e: unknown) => e as DatabricksError,
);

describe('token management client against the emulator', () => {
  it('createOboToken mints a token that acts as the service principal; list filters, get and delete revoke it', async () => {
    const obo = await ctx.client.tokenManagement.createOboToken({ application_id: SP.clientId, comment: 'it-obo', lifetime_seconds: 3600 });
    const tokenId = obo.token_info!.token_id;
    expect(obo.token_info).toMatchObject({ comment: 'it-obo', created_by_username: 'admin@emulator.local' });
    const asSp = ctx.makeClient({ token: obo.token_value });
    expect((await asSp.tokens.list().toArray()).map((t) => t.token_id)).toEqual([tokenId]);

    const byAdmin = await ctx.client.tokenManagement.list({ created_by_username: 'admin@emulator.local' }).toArray();
    expect(byAdmin.map((t) => t.token_id)).toContain(tokenId);
    expect(await ctx.client.tokenManagement.list({ created_by_id: obo.token_info!.created_by_id! }).toArray()).toEqual(byAdmin);
    expect(await ctx.client.tokenManagement.list({ created_by_username: 'nobody@emulator.local' }).toArray()).toEqual([]);
    expect((await ctx.client.tokenManagement.get({ token_id: tokenId })).token_info).toEqual(obo.token_info);

    await ctx.client.tokenManagement.delete({ token_id: tokenId });
    expect((await fail(asSp.tokens.list().toArray())).status).toBe(401);
    expect(await fail(ctx.client.tokenManagement.get({ token_id: tokenId }))).toBeInstanceOf(NotFoundError);
  });

  it('a non-admin gets PermissionDeniedError; bad input is a ValidationError before anything is sent', async () => {
    const user = ctx.makeClient({ token: 'dapi-integration-user-2' });
    const denied = await fail(user.tokenManagement.list().toArray());
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect(denied.message).toContain('Only Admins can access token management APIs.');

    const sent = ctx.events.length;
    const bad = await fail(ctx.client.tokenManagement.createOboToken({ application_id: '', lifetime_seconds: 60 }));
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad.message).toContain('application_id');
    expect(await fail(ctx.client.tokenManagement.createOboToken({ application_id: SP.clientId, lifetime_seconds: -1 }))).toBeInstanceOf(ValidationError);
    expect(ctx.events.length).toBe(sent);

    const unknown = await fail(ctx.client.tokenManagement.createOboToken({ application_id: 'no-such-app', lifetime_seconds: 60 }));
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown.errorCode).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});
