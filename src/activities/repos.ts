/**
 * Repos create, safe to retry when it names a path. A workspace path holds one repo, so the path is
 * the key: a retry whose earlier attempt's response was lost meets RESOURCE_ALREADY_EXISTS and adopts
 * the repo at that path if it clones the same URL. A first attempt's conflict is someone else's repo
 * and stays a conflict (the caller decides whether to adopt it). Without a path Databricks picks one
 * under the caller's home folder, so an ambiguous failure cannot be told apart and is not repeated.
 */
import { sameRepoUrl } from '../common/git.js';
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
