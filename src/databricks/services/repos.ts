/** Repos API 2.0 (§2.8). List pages by the query parameter `next_page_token` (§1.6 quirk 11). */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { paginate, type Paginated } from '../paginate.js';
import { int64Id, listCap, nonEmpty, validate, type In } from '../validate.js';
import type { Empty, OpenEnum } from './types.js';

const BASE = '/api/2.0/repos';

export type GitProvider = OpenEnum<
  'gitHub' | 'gitHubEnterprise' | 'bitbucketCloud' | 'bitbucketServer' | 'gitLab' | 'gitLabEnterpriseEdition' | 'azureDevOpsServices' | 'awsCodeCommit'
>;

const repoId = z.union([int64Id, nonEmpty.regex(/^\d+$/, { error: 'must be a numeric id' })], { error: 'must be a numeric id' });
const sparse = z.looseObject({ patterns: z.array(z.string()) });
const CreateSchema = z.looseObject({ url: nonEmpty, provider: nonEmpty, path: z.string().optional(), sparse_checkout: sparse.optional() });
export type CreateRepoRequest = z.infer<typeof CreateSchema>;
const IdSchema = z.looseObject({ repo_id: repoId });
const UpdateSchema = z
  .looseObject({ repo_id: repoId, branch: z.string().optional(), tag: z.string().optional(), sparse_checkout: sparse.optional() })
  .refine((r) => !(r.branch !== undefined && r.tag !== undefined), { error: 'give branch or tag, not both', path: ['tag'] });
export type UpdateRepoRequest = z.infer<typeof UpdateSchema>;
const ListSchema = z.looseObject({ path_prefix: z.string().optional(), next_page_token: z.string().optional(), limit: listCap.shape.limit });

export interface RepoInfo {
  id: number;
  path?: string;
  url?: string;
  provider?: GitProvider;
  branch?: string;
  head_commit_id?: string;
  sparse_checkout?: { patterns?: string[] };
}

export class ReposService {
  constructor(private readonly http: HttpClient) {}

  /** Not safe to repeat: a second create of the same path fails or creates another repo. */
  async create(req: CreateRepoRequest, opts?: CallOptions): Promise<RepoInfo> {
    const body = validate('repos.create', CreateSchema, req);
    return this.http.request({ operation: 'repos.create', method: 'POST', path: BASE, body, idempotent: false, ...opts });
  }

  async get(req: In<typeof IdSchema>, opts?: CallOptions): Promise<RepoInfo> {
    const { repo_id } = validate('repos.get', IdSchema, req);
    return this.http.request({ operation: 'repos.get', method: 'GET', path: `${BASE}/${repo_id}`, idempotent: true, ...opts });
  }

  async listPage(req: In<typeof ListSchema> = {}, opts?: CallOptions): Promise<{ repos?: RepoInfo[]; next_page_token?: string }> {
    const { limit: _l, ...query } = validate('repos.list', ListSchema, req);
    return this.http.request({ operation: 'repos.list', method: 'GET', path: BASE, query, idempotent: true, ...opts });
  }

  list(req: In<typeof ListSchema> = {}, opts?: CallOptions): Paginated<RepoInfo> {
    const { limit, ...q } = validate('repos.list', ListSchema, req);
    return paginate<RepoInfo, string>(async (next_page_token) => {
      const r = await this.listPage({ ...q, ...(next_page_token ? { next_page_token } : {}) }, opts);
      return { items: r.repos ?? [], next: r.next_page_token };
    }, limit);
  }

  /** Checks out a branch or tag (PATCH with a JSON body). Safe to repeat. */
  async update(req: UpdateRepoRequest, opts?: CallOptions): Promise<Empty> {
    const { repo_id, ...body } = validate('repos.update', UpdateSchema, req);
    return this.http.request({ operation: 'repos.update', method: 'PATCH', path: `${BASE}/${repo_id}`, body, idempotent: true, ...opts });
  }

  async delete(req: In<typeof IdSchema>, opts?: CallOptions): Promise<Empty> {
    const { repo_id } = validate('repos.delete', IdSchema, req);
    return this.http.request({ operation: 'repos.delete', method: 'DELETE', path: `${BASE}/${repo_id}`, idempotent: true, ...opts });
  }
}
