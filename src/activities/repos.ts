/**
 * Repos create, safe to retry when it names a path. A workspace path holds one repo, so the path is
 * the key: a retry whose earlier attempt's response was lost meets RESOURCE_ALREADY_EXISTS and adopts
 * the repo at that path if it clones the same URL. A first attempt's conflict is someone else's repo
 * and stays a conflict (the caller decides whether to adopt it). Without a path Databricks picks one
 * under the caller's home folder, so an ambiguous failure cannot be told apart and is not repeated.
 */
import { ResourceConflictError, type CreateRepoRequest, type RepoInfo } from '../databricks/index.js';
import type { Body, OpContext } from './define.js';
import { refuseBlindRetry } from './failures.js';

export const reposCreate: Body<CreateRepoRequest, RepoInfo & { adopted: boolean }> = async (ctx, input) => {
  try {
    return { ...(await ctx.client.repos.create(input, ctx.opts)), adopted: false };
  } catch (err) {
    if (input.path === undefined) throw refuseBlindRetry(err);
    if (err instanceof ResourceConflictError && ctx.info.attempt > 1) {
      const mine = await repoAtPath(ctx, input.path);
      if (mine && sameRepoUrl(mine.url, input.url)) return { ...mine, adopted: true };
    }
    throw err;
  }
};

/** The repo at exactly `path` (the list's filter is a prefix: /Repos/a/b also matches /Repos/a/bc). */
export async function repoAtPath(ctx: Pick<OpContext, 'client' | 'opts'>, path: string): Promise<RepoInfo | undefined> {
  for await (const repo of ctx.client.repos.list({ path_prefix: path }, ctx.opts)) if (repo.path === path) return repo;
  return undefined;
}

/** Git URLs that name the same remote: host case, a trailing slash and a `.git` suffix do not matter. */
export function sameRepoUrl(a: string | undefined, b: string | undefined): boolean {
  const norm = (u: string | undefined) => {
    if (!u) return '';
    const trimmed = u.trim().replace(/\/+$/, '').replace(/\.git$/, '');
    try {
      const url = new URL(trimmed);
      return `${url.protocol}//${url.host.toLowerCase()}${url.pathname}`;
    } catch {
      return trimmed;
    }
  };
  return norm(a) !== '' && norm(a) === norm(b);
}
