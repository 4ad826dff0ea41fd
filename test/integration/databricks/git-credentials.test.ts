import { describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, ResourceConflictError, ValidationError } from '../../../src/databricks/index.js';
import { useEmulator } from './emulator.js';

const ctx = useEmulator();
const PAT = 'ghp_clientSecretPat0123456789';

describe('git credentials through the client', () => {
  it('create → get → list → update → delete; the token is write-only; typed errors', async () => {
    const c = await ctx.client.gitCredentials.create({ git_provider: 'GITHUB', git_username: 'octo', name: 'ci', personal_access_token: PAT });
    expect(c).toEqual({ credential_id: expect.any(Number), git_provider: 'gitHub', git_username: 'octo', name: 'ci' });
    expect(await ctx.client.gitCredentials.get({ credential_id: c.credential_id })).toEqual(c);
    expect(await ctx.client.gitCredentials.list()).toEqual([c]);
    await ctx.client.gitCredentials.update({ credential_id: String(c.credential_id), git_provider: 'gitHub', is_default_for_provider: true });
    expect((await ctx.client.gitCredentials.get({ credential_id: c.credential_id })).is_default_for_provider).toBe(true);

    await expect(ctx.client.gitCredentials.create({ git_provider: 'gitHub', name: 'ci' })).rejects.toBeInstanceOf(ResourceConflictError);
    const bad = await ctx.client.gitCredentials.create({ git_provider: 'svn', personal_access_token: PAT }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(String((bad as Error).message)).not.toContain(PAT);
    // Refused before anything is sent.
    const sent = ctx.events.length;
    await expect(ctx.client.gitCredentials.get({ credential_id: 'abc' })).rejects.toBeInstanceOf(ValidationError);
    await expect(ctx.client.gitCredentials.create({ git_provider: '' })).rejects.toBeInstanceOf(ValidationError);
    expect(ctx.events.length).toBe(sent);

    await ctx.client.gitCredentials.delete({ credential_id: c.credential_id });
    await expect(ctx.client.gitCredentials.get({ credential_id: c.credential_id })).rejects.toBeInstanceOf(NotFoundError);
    expect(await ctx.client.gitCredentials.list()).toEqual([]);
  });
});
