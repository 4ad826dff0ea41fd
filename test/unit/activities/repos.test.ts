import { describe, expect, it } from 'vitest';
import { FailureType } from '../../../src/common/activity-policies.js';
import { sameRepoUrl } from '../../../src/common/git.js';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

const ctx = useEmulatorActivities();
const attempt = (n: number) => ({ attempt: n, activityId: 'repo-1' });
const REPO = { url: 'https://github.com/acme/etl.git', provider: 'gitHub', path: '/Repos/data-team/etl' };
const repos = async () => (await mockEnv().exec(ctx.acts.reposList, {})).map((r) => r.path);

describe('reposCreate', () => {
  it('with a path, a lost response is retried and the retry adopts the repo its first attempt made', async () => {
    ctx.emu.faults.add({ action: 'drop_after_apply', method: 'POST', path: '/api/2.0/repos', times: 1 });
    const lost = await rejection(mockEnv(attempt(1)).exec(ctx.acts.reposCreate, REPO));
    expect(lost.nonRetryable).toBe(false);
    expect(await repos()).toEqual([REPO.path]);

    const retried = await mockEnv(attempt(2)).exec(ctx.acts.reposCreate, { ...REPO, url: 'https://GitHub.com/acme/etl' });
    expect(retried).toMatchObject({ path: REPO.path, adopted: true });
    expect(await repos()).toEqual([REPO.path]);
  });

  it("a first attempt's conflict, or a retry that finds another remote at the path, stays a conflict", async () => {
    const made = await mockEnv(attempt(1)).exec(ctx.acts.reposCreate, REPO);
    expect(made).toMatchObject({ path: REPO.path, adopted: false });
    const first = await rejection(mockEnv(attempt(1)).exec(ctx.acts.reposCreate, REPO));
    expect(first).toMatchObject({ type: 'ResourceConflictError', nonRetryable: true });
    const other = await rejection(mockEnv(attempt(3)).exec(ctx.acts.reposCreate, { ...REPO, url: 'https://github.com/acme/other.git' }));
    expect(other).toMatchObject({ type: 'ResourceConflictError', nonRetryable: true });
    expect(await repos()).toEqual([REPO.path]);
  });

  it('without a path an ambiguous failure is not repeated: Databricks picks the path, so a retry could clone twice', async () => {
    ctx.emu.faults.add({ action: 'drop_after_apply', method: 'POST', path: '/api/2.0/repos', times: 1 });
    const { path: _path, ...noPath } = REPO;
    const err = await rejection(mockEnv(attempt(1)).exec(ctx.acts.reposCreate, noPath));
    expect(err).toMatchObject({ type: FailureType.OutcomeUnknown, nonRetryable: true });
  });
});

describe('sameRepoUrl', () => {
  it("ignores the host's case, a trailing slash and .git; not the owner, the name or the scheme", () => {
    expect(sameRepoUrl('https://github.com/acme/etl.git', 'https://GITHUB.com/acme/etl/')).toBe(true);
    expect(sameRepoUrl('https://github.com/acme/etl', 'https://github.com/Acme/etl')).toBe(false);
    expect(sameRepoUrl('https://github.com/acme/etl', 'http://github.com/acme/etl')).toBe(false);
    expect(sameRepoUrl(undefined, undefined)).toBe(false);
  });
});
