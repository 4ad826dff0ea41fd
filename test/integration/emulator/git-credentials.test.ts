import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestEmulator, useAdminAndUser } from './helpers.js';

/** Git credentials on the wire: per-principal, write-only tokens, one default per provider. */

const G = '/api/2.0/git-credentials';
const PAT = 'ghp_secretTokenValue0123456789';
type Credential = { credential_id: number; git_provider: string; git_username?: string; name?: string; is_default_for_provider?: boolean };

describe('git credentials', () => {
  const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });
  const list = async (as = ctx.admin) => (await as.get<{ credentials: Credential[] }>(G)).body.credentials;

  it('create, get, list, update and delete; the token never comes back; the provider is case-insensitive', async () => {
    const created = await ctx.admin.post<Credential>(G, { git_provider: 'github', git_username: 'octo', personal_access_token: PAT, name: 'work' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ credential_id: expect.any(Number), git_provider: 'gitHub', git_username: 'octo', name: 'work' });
    const id = created.body.credential_id;
    expect((await ctx.admin.get(`${G}/${id}`)).body).toEqual(created.body);
    expect(await list()).toEqual([created.body]);

    expect((await ctx.admin.call('PATCH', `${G}/${id}`, { git_provider: 'gitHub', git_username: 'octocat', personal_access_token: 'ghp_rotated' })).status).toBe(200);
    expect((await ctx.admin.get<Credential>(`${G}/${id}`)).body.git_username).toBe('octocat');
    // Write-only: neither the first token nor its replacement is in any answer.
    expect(JSON.stringify([await list(), (await ctx.admin.get(`${G}/${id}`)).body])).not.toMatch(/ghp_/);

    expect((await ctx.admin.call('DELETE', `${G}/${id}`)).status).toBe(200);
    const gone = await ctx.admin.get(`${G}/${id}`);
    expect({ status: gone.status, body: gone.body }).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Credential ${id} does not exist.` } });
    expect(await list()).toEqual([]);
  });

  it("each principal sees only its own; another's credential is a 404 for every verb", async () => {
    const mine = (await ctx.admin.post<Credential>(G, { git_provider: 'gitLab', personal_access_token: PAT })).body;
    expect(await list(ctx.user)).toEqual([]);
    for (const [method, body] of [['GET', undefined], ['PATCH', { git_provider: 'gitLab', git_username: 'intruder' }], ['DELETE', undefined]] as const) {
      const r = await ctx.user.call(method, `${G}/${mine.credential_id}`, body);
      expect({ method, status: r.status }).toEqual({ method, status: 404 });
    }
    expect((await ctx.admin.get(`${G}/${mine.credential_id}`)).body).toEqual(mine);
    await ctx.admin.call('DELETE', `${G}/${mine.credential_id}`);
  });

  it('one default per provider: setting it takes it from the others; names are unique per principal', async () => {
    const a = (await ctx.admin.post<Credential>(G, { git_provider: 'gitHub', name: 'a', is_default_for_provider: true })).body;
    const b = (await ctx.admin.post<Credential>(G, { git_provider: 'gitHub', name: 'b', is_default_for_provider: true })).body;
    const c = (await ctx.admin.post<Credential>(G, { git_provider: 'gitLab', name: 'c', is_default_for_provider: true })).body;
    const defaults = async () => Object.fromEntries((await list()).map((x) => [x.name, x.is_default_for_provider === true]));
    expect(await defaults()).toEqual({ a: false, b: true, c: true });

    const dup = await ctx.admin.post(G, { git_provider: 'gitLab', name: 'a' });
    expect({ status: dup.status, body: dup.body }).toEqual({ status: 409, body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'A Git credential named a already exists.' } });
    // Another principal may use the same name.
    const theirs = await ctx.user.post<Credential>(G, { git_provider: 'gitHub', name: 'a' });
    expect(theirs.status).toBe(200);
    const renameClash = await ctx.admin.call('PATCH', `${G}/${b.credential_id}`, { git_provider: 'gitHub', name: 'a', is_default_for_provider: false });
    expect(renameClash.status).toBe(409);
    expect(await defaults()).toEqual({ a: false, b: true, c: true });
    for (const x of [a, b, c]) await ctx.admin.call('DELETE', `${G}/${x.credential_id}`);
    await ctx.user.call('DELETE', `${G}/${theirs.body.credential_id}`);
  });

  it("with principal_id every verb acts on a service principal's credentials: admins and the service principal itself may, others get 403, an unknown id 404", async () => {
    await ctx.admin.control('POST', '/principals', { token: 'dapi-sp', user_name: 'sp-app-1', kind: 'service_principal' });
    const sp = (await ctx.admin.get<{ Resources: { id: string }[] }>('/api/2.0/preview/scim/v2/ServicePrincipals', { filter: 'applicationId eq "sp-app-1"' })).body.Resources[0]!;
    const principal_id = Number(sp.id);
    const bot = ctx.admin.as('dapi-sp');

    const made = await ctx.admin.post<Credential>(G, { git_provider: 'gitHub', name: 'deploy', personal_access_token: PAT, principal_id });
    expect(made.status).toBe(200);
    const id = made.body.credential_id;
    // The service principal's, not the admin's: its own token lists it without principal_id.
    expect(await list()).toEqual([]);
    expect(await list(bot)).toEqual([made.body]);
    expect((await ctx.admin.get<{ credentials: Credential[] }>(G, { principal_id: String(principal_id) })).body.credentials).toEqual([made.body]);
    expect((await ctx.admin.get(`${G}/${id}`)).status).toBe(404);
    expect((await ctx.admin.get(`${G}/${id}`, { principal_id: String(principal_id) })).body).toEqual(made.body);
    // Names are unique per owner: the same name for the admin is fine, for the service principal a conflict.
    expect((await ctx.admin.post(G, { git_provider: 'gitHub', name: 'deploy', principal_id })).status).toBe(409);
    expect((await bot.post(G, { git_provider: 'gitHub', name: 'own', principal_id })).status).toBe(200);

    const denied = { status: 403, body: { error_code: 'PERMISSION_DENIED', message: `Only managers of service principal ${principal_id} can manage its Git credentials.` } };
    for (const [method, path, body] of [['POST', G, { git_provider: 'gitHub', principal_id }], ['GET', `${G}?principal_id=${principal_id}`, undefined], ['PATCH', `${G}/${id}`, { git_provider: 'gitHub', git_username: 'intruder', principal_id }], ['DELETE', `${G}/${id}?principal_id=${principal_id}`, undefined]] as const) {
      const r = await ctx.user.call(method, path, body);
      expect({ method, status: r.status, body: r.body }).toEqual({ method, ...denied });
    }
    const unknown = await ctx.admin.post(G, { git_provider: 'gitHub', principal_id: 42 });
    expect({ status: unknown.status, body: unknown.body }).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Service principal 42 does not exist.' } });

    expect((await ctx.admin.call('DELETE', `${G}/${id}?principal_id=${principal_id}`)).status).toBe(200);
    expect((await list(bot)).map((c) => c.name)).toEqual(['own']);
  });

  it('bad requests are precise 400s and change nothing', async () => {
    const before = await list();
    const cases: [Record<string, unknown>, number, string][] = [
      [{}, 400, 'git_provider'],
      [{ git_provider: 'svn' }, 400, 'Invalid Git provider: svn. Valid values: gitHub, gitHubEnterprise, bitbucketCloud, bitbucketServer, gitLab, gitLabEnterpriseEdition, azureDevOpsServices, awsCodeCommit.'],
      [{ git_provider: 'gitHub', is_default_for_provider: 'yes' }, 400, 'is_default_for_provider'],
    ];
    for (const [body, status, text] of cases) {
      const r = await ctx.admin.post<{ message: string }>(G, body);
      expect({ body, status: r.status }).toEqual({ body, status });
      expect(r.body.message).toContain(text);
    }
    expect((await ctx.admin.get(`${G}/not-a-number`)).status).toBe(404);
    expect(await list()).toEqual(before);
  });

  it('survive a restart with a data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gitcred-'));
    try {
      const first = await startTestEmulator({ dataDir, tokens: ['dapi-admin'] });
      const made = (await first.api.post<Credential>(G, { git_provider: 'bitbucketCloud', name: 'kept', personal_access_token: PAT })).body;
      await first.emu.close();
      const second = await startTestEmulator({ dataDir, tokens: ['dapi-admin'] });
      try {
        expect((await second.api.get<{ credentials: Credential[] }>(G)).body.credentials).toEqual([made]);
      } finally {
        await second.emu.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
