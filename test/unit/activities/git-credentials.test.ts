import { describe, expect, it } from 'vitest';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

const ctx = useEmulatorActivities();
/** The stored credentials, read from the emulator's state (the API never returns a token). */
const stored = () => ((ctx.emu.snapshot().services as Record<string, { credentials: { name?: string; personal_access_token?: string }[] }>)['git-credentials']?.credentials ?? []);
const attempt = (n: number) => ({ attempt: n, activityId: 'git-1' });

describe('git credential activities', () => {
  it('the token goes by reference: resolved on the worker, in neither input nor result', async () => {
    process.env.DURABRICKS_TEST_GIT_PAT = 'ghp_fromEnv_s3cr3t';
    try {
      const input = { git_provider: 'gitHub', git_username: 'octo', name: 'ci', personal_access_token: { fromEnv: 'DURABRICKS_TEST_GIT_PAT' } };
      const r = await mockEnv(attempt(1)).exec(ctx.acts.gitCredentialsCreate, input);
      expect(r).toMatchObject({ git_provider: 'gitHub', name: 'ci', adopted: false });
      expect(JSON.stringify([input, r])).not.toMatch(/s3cr3t/);
      expect(stored()).toEqual([expect.objectContaining({ name: 'ci', personal_access_token: 'ghp_fromEnv_s3cr3t' })]);

      process.env.DURABRICKS_TEST_GIT_PAT = 'ghp_rotated_s3cr3t';
      await mockEnv(attempt(1)).exec(ctx.acts.gitCredentialsUpdate, { credential_id: r.credential_id, git_provider: 'gitHub', personal_access_token: { fromEnv: 'DURABRICKS_TEST_GIT_PAT' } });
      expect(stored()[0]?.personal_access_token).toBe('ghp_rotated_s3cr3t');
      expect((await mockEnv(attempt(1)).exec(ctx.acts.gitCredentialsList, {})).map((c) => c.name)).toEqual(['ci']);
    } finally {
      delete process.env.DURABRICKS_TEST_GIT_PAT;
    }
  });

  it('a token given as a plain string is refused by name without sending anything', async () => {
    const err = await rejection(mockEnv().exec(ctx.acts.gitCredentialsCreate, { git_provider: 'gitHub', personal_access_token: 'ghp_leak_me' } as never));
    expect(err).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect(err.message).toContain('personal_access_token');
    expect(err.message).not.toContain('ghp_leak_me');
    expect(ctx.events).toHaveLength(0);
  });

  it('a retry adopts the named credential its earlier attempt made; a first attempt keeps the conflict', async () => {
    const input = { git_provider: 'gitLab', name: 'deploy' };
    const first = await mockEnv(attempt(1)).exec(ctx.acts.gitCredentialsCreate, input);
    const retried = await mockEnv(attempt(2)).exec(ctx.acts.gitCredentialsCreate, input);
    expect(retried).toMatchObject({ credential_id: first.credential_id, adopted: true });
    expect(stored()).toHaveLength(1);
    const err = await rejection(mockEnv(attempt(1)).exec(ctx.acts.gitCredentialsCreate, input));
    expect(err).toMatchObject({ type: 'ResourceConflictError', nonRetryable: true });
  });

  it("for a service principal (principal_id) a retry looks among that principal's credentials, not the caller's", async () => {
    await ctx.emu.principals.addToken('dapi-sp-git', { userName: 'sp-git-app', isAdmin: false, kind: 'service_principal' });
    const sps = await mockEnv(attempt(1)).exec(ctx.acts.servicePrincipalsList, { filter: 'applicationId eq "sp-git-app"' });
    const input = { git_provider: 'gitHub', name: 'deploy', principal_id: Number(sps[0]!.id) };
    const first = await mockEnv(attempt(1)).exec(ctx.acts.gitCredentialsCreate, input);
    const retried = await mockEnv(attempt(2)).exec(ctx.acts.gitCredentialsCreate, input);
    expect(retried).toMatchObject({ credential_id: first.credential_id, adopted: true });
    expect(stored()).toEqual([expect.objectContaining({ name: 'deploy', owner: 'sp-git-app' })]);
  });
});
