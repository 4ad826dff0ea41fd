/**
 * Git credentials API 2.0 (`/api/2.0/git-credentials`): the caller's tokens for Git providers, used
 * by Repos. The personal access token is write-only (never in an answer) and is scrubbed from any
 * error text this client produces.
 */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { int64Id, nonEmpty, validate, type In } from '../validate.js';
import type { GitProvider } from './repos.js';
import type { Empty } from './types.js';

const BASE = '/api/2.0/git-credentials';

const credentialId = z.union([int64Id, nonEmpty.regex(/^\d+$/, { error: 'must be a numeric id' })], { error: 'must be a numeric id' });
const fields = {
  /** Case-insensitive: gitHub, gitLab, bitbucketCloud, azureDevOpsServices, awsCodeCommit, … */
  git_provider: nonEmpty,
  git_username: z.string().optional(),
  git_email: z.string().optional(),
  /** Identifies the credential among the caller's others. */
  name: z.string().optional(),
  is_default_for_provider: z.boolean().optional(),
  personal_access_token: z.string().optional(),
  /** Act for this service principal (its managers only). */
  principal_id: int64Id.optional(),
};
const CreateSchema = z.looseObject(fields);
export type CreateGitCredentialRequest = z.infer<typeof CreateSchema>;
const UpdateSchema = z.looseObject({ credential_id: credentialId, ...fields });
export type UpdateGitCredentialRequest = z.infer<typeof UpdateSchema>;
const IdSchema = z.looseObject({ credential_id: credentialId, principal_id: int64Id.optional() });
const ListSchema = z.looseObject({ principal_id: int64Id.optional() });

export interface GitCredentialInfo {
  credential_id: number;
  git_provider?: GitProvider;
  git_username?: string;
  git_email?: string;
  name?: string;
  is_default_for_provider?: boolean;
}

export class GitCredentialsService {
  constructor(private readonly http: HttpClient) {}

  /** Not safe to repeat: a second create makes a second credential (or, with the same name, conflicts). */
  async create(req: CreateGitCredentialRequest, opts?: CallOptions): Promise<GitCredentialInfo> {
    const body = validate('gitCredentials.create', CreateSchema, req);
    return this.http.request({ operation: 'gitCredentials.create', method: 'POST', path: BASE, body, idempotent: false, redact: secretsOf(body), ...opts });
  }

  async get(req: In<typeof IdSchema>, opts?: CallOptions): Promise<GitCredentialInfo> {
    const { credential_id, ...query } = validate('gitCredentials.get', IdSchema, req);
    return this.http.request({ operation: 'gitCredentials.get', method: 'GET', path: `${BASE}/${credential_id}`, query, idempotent: true, ...opts });
  }

  /** One call: the API does not page. */
  async list(req: In<typeof ListSchema> = {}, opts?: CallOptions): Promise<GitCredentialInfo[]> {
    const query = validate('gitCredentials.list', ListSchema, req);
    const r = await this.http.request<{ credentials?: GitCredentialInfo[] }>({ operation: 'gitCredentials.list', method: 'GET', path: BASE, query, idempotent: true, ...opts });
    return r.credentials ?? [];
  }

  /** Sets the given fields (the provider is always required); safe to repeat. */
  async update(req: UpdateGitCredentialRequest, opts?: CallOptions): Promise<Empty> {
    const { credential_id, ...body } = validate('gitCredentials.update', UpdateSchema, req);
    return this.http.request({ operation: 'gitCredentials.update', method: 'PATCH', path: `${BASE}/${credential_id}`, body, idempotent: true, redact: secretsOf(body), ...opts });
  }

  async delete(req: In<typeof IdSchema>, opts?: CallOptions): Promise<Empty> {
    const { credential_id, ...query } = validate('gitCredentials.delete', IdSchema, req);
    return this.http.request({ operation: 'gitCredentials.delete', method: 'DELETE', path: `${BASE}/${credential_id}`, query, idempotent: true, ...opts });
  }
}

const secretsOf = (body: { personal_access_token?: string | undefined }): string[] => (body.personal_access_token ? [body.personal_access_token] : []);
