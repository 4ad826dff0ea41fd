import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ApiError, invalidParameter, notFound } from '../../http/errors.js';
import { route, versions } from '../../http/router.js';
import { nonEmpty } from '../../http/validation.js';
import type { ServiceModule } from '../types.js';
import { gitProvider } from './providers.js';

/**
 * Repos (`/api/2.0/repos`, reference §2.8): create/get/list/update/delete. No Git traffic: a
 * repo's head commit is a stable hash of its URL and checked-out ref. The list cursor is the
 * query parameter `next_page_token` (quirk 11).
 */
const PAGE = 100;

const sparse = z.object({ patterns: z.array(z.string()).optional() });
const createInput = z.object({ url: nonEmpty(), provider: nonEmpty(), path: z.string().optional(), sparse_checkout: sparse.optional() });
const updateInput = z.object({ branch: z.string().min(1).optional(), tag: z.string().min(1).optional(), sparse_checkout: sparse.optional() });

interface RepoRecord {
  id: number;
  path: string;
  url: string;
  provider: string;
  branch?: string;
  head_commit_id: string;
  sparse_checkout?: { patterns?: string[] | undefined };
}

const commit = (url: string, ref: string) => createHash('sha1').update(`${url}@${ref}`).digest('hex');

export const reposService: ServiceModule = {
  name: 'repos',
  create(ctx) {
    const repos = new Map<number, RepoRecord>();
    const get = (raw: string) => {
      const r = /^\d+$/.test(raw) ? repos.get(Number(raw)) : undefined;
      if (!r) throw notFound(`Repo ${raw} does not exist.`);
      return r;
    };
    const view = (r: RepoRecord) => ({ ...r });
    return {
      routes: [
        route({
          method: 'POST',
          paths: versions(['2.0'], '/repos'),
          input: createInput,
          handle(input, req) {
            const provider = gitProvider(input.provider);
            let url: URL;
            try {
              url = new URL(input.url);
            } catch {
              throw invalidParameter(`Invalid Git URL: ${input.url}`);
            }
            const name = url.pathname.split('/').filter(Boolean).at(-1)?.replace(/\.git$/, '') ?? 'repo';
            const path = input.path ?? `/Repos/${req.principal.userName}/${name}`;
            if (!/^\/Repos\/[^/]+\/[^/]+$/.test(path)) throw invalidParameter(`Invalid repo path ${path}: repos must be created at /Repos/{folder}/{repo-name}.`);
            if ([...repos.values()].some((r) => r.path === path)) throw new ApiError(400, 'RESOURCE_ALREADY_EXISTS', `Path ${path} already exists.`);
            let id = ctx.ids.numeric(15);
            while (repos.has(id)) id = ctx.ids.numeric(15);
            const r: RepoRecord = { id, path, url: input.url, provider, branch: 'main', head_commit_id: commit(input.url, 'main'), ...(input.sparse_checkout ? { sparse_checkout: input.sparse_checkout } : {}) };
            repos.set(id, r);
            return view(r);
          },
        }),
        route({ method: 'GET', paths: versions(['2.0'], '/repos/{id}'), input: z.object({}), handle: (_i, req) => view(get(req.params.id!)) }),
        route({
          method: 'GET',
          paths: versions(['2.0'], '/repos'),
          input: z.object({ path_prefix: z.string().optional(), next_page_token: z.string().optional() }),
          handle(input) {
            const all = [...repos.values()].filter((r) => !input.path_prefix || r.path.startsWith(input.path_prefix)).sort((a, b) => a.path.localeCompare(b.path));
            let offset = 0;
            if (input.next_page_token) {
              const m = /^repos:(\d+)$/.exec(Buffer.from(input.next_page_token, 'base64url').toString('utf8'));
              if (!m) throw invalidParameter(`Invalid page token: ${input.next_page_token.slice(0, 40)}`);
              offset = Number(m[1]);
            }
            const page = all.slice(offset, offset + PAGE);
            const next = offset + PAGE < all.length ? Buffer.from(`repos:${offset + PAGE}`).toString('base64url') : undefined;
            return { ...(page.length ? { repos: page.map(view) } : {}), ...(next ? { next_page_token: next } : {}) };
          },
        }),
        route({
          method: 'PATCH',
          paths: versions(['2.0'], '/repos/{id}'),
          input: updateInput,
          handle(input, req) {
            const r = get(req.params.id!);
            if (input.branch && input.tag) throw invalidParameter('Only one of branch and tag can be given.');
            if (input.tag) {
              // A tag checks out a detached HEAD: no branch.
              delete r.branch;
              r.head_commit_id = commit(r.url, `tag:${input.tag}`);
            } else if (input.branch) {
              r.branch = input.branch;
              r.head_commit_id = commit(r.url, input.branch);
            }
            if (input.sparse_checkout) r.sparse_checkout = input.sparse_checkout;
            return {};
          },
        }),
        route({
          method: 'DELETE',
          paths: versions(['2.0'], '/repos/{id}'),
          input: z.object({}),
          handle(_i, req) {
            repos.delete(get(req.params.id!).id);
            return {};
          },
        }),
      ],
      snapshot: () => ({ repos: [...repos.values()] }),
      restore(state) {
        const list = (state as { repos?: unknown }).repos;
        if (Array.isArray(list)) for (const r of list as RepoRecord[]) if (typeof r?.id === 'number' && typeof r.path === 'string') repos.set(r.id, r);
      },
    };
  },
};
