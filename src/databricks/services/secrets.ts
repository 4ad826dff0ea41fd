/**
 * Secrets API 2.0 (§2.6). Secret values are sent in request bodies only; the HTTP layer never puts
 * bodies in errors or logs, and the shared logger redacts `string_value`/`bytes_value`/`value`.
 */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { paginate, type Paginated } from '../paginate.js';
import { listCap, nonEmpty, validate, type In } from '../validate.js';
import type { Empty, OpenEnum } from './types.js';

const BASE = '/api/2.0/secrets';

const NAME_RE = /^[A-Za-z0-9_.@-]+$/;
const scopeName = nonEmpty.max(128, { error: 'must be at most 128 characters' }).regex(NAME_RE, { error: 'may only contain letters, digits, -, _, . and @' });
const keyName = nonEmpty.max(128, { error: 'must be at most 128 characters' }).regex(/^[A-Za-z0-9_.-]+$/, { error: 'may only contain letters, digits, -, _ and .' });
/** 128 KB per secret (§1.9). */
const MAX_SECRET_BYTES = 128 * 1024;

const CreateScopeSchema = z.looseObject({
  scope: scopeName,
  initial_manage_principal: z.literal('users', { error: "must be 'users' when given" }).optional(),
  scope_backend_type: z.string().optional(),
  backend_azure_keyvault: z.looseObject({ resource_id: nonEmpty, dns_name: nonEmpty }).optional(),
});
export type CreateScopeRequest = z.infer<typeof CreateScopeSchema>;
const ScopeSchema = z.looseObject({ scope: nonEmpty });
const KeySchema = z.looseObject({ scope: nonEmpty, key: nonEmpty });
const ScopeListSchema = ScopeSchema.extend({ limit: listCap.shape.limit });
const PutSchema = z
  .looseObject({
    scope: nonEmpty,
    key: keyName,
    string_value: z.string().refine((v) => Buffer.byteLength(v) <= MAX_SECRET_BYTES, { error: 'must be at most 128 KB' }).optional(),
    bytes_value: z.string().refine((v) => Buffer.from(v, 'base64').length <= MAX_SECRET_BYTES, { error: 'must be at most 128 KB' }).optional(),
  })
  .refine((r) => (r.string_value === undefined) !== (r.bytes_value === undefined), {
    error: 'give exactly one of string_value and bytes_value',
    path: ['string_value'],
  });
export type PutSecretRequest = z.infer<typeof PutSchema>;
export type AclPermission = OpenEnum<'READ' | 'WRITE' | 'MANAGE'>;
const AclSchema = z.looseObject({ scope: nonEmpty, principal: nonEmpty, permission: z.enum(['READ', 'WRITE', 'MANAGE'], { error: 'must be READ, WRITE or MANAGE' }) });
const PrincipalSchema = z.looseObject({ scope: nonEmpty, principal: nonEmpty });

export interface SecretScope {
  name: string;
  backend_type?: OpenEnum<'DATABRICKS' | 'AZURE_KEYVAULT'>;
  keyvault_metadata?: { resource_id?: string; dns_name?: string };
}
export interface SecretMetadata {
  key: string;
  last_updated_timestamp?: number;
}
export interface AclItem {
  principal: string;
  permission?: AclPermission;
}

export class SecretsService {
  constructor(private readonly http: HttpClient) {}

  private async post(op: string, path: string, body: unknown, idempotent: boolean, opts?: CallOptions, redact?: string[]): Promise<Empty> {
    return this.http.request({ operation: `secrets.${op}`, method: 'POST', path: `${BASE}${path}`, body, idempotent, redact, ...opts });
  }
  private async read<T>(op: string, path: string, query: Record<string, unknown> | undefined, opts?: CallOptions): Promise<T> {
    return this.http.request<T>({ operation: `secrets.${op}`, method: 'GET', path: `${BASE}${path}`, query, idempotent: true, ...opts });
  }

  /** Not retried after sending: a repeat answers RESOURCE_ALREADY_EXISTS. */
  async createScope(req: CreateScopeRequest, opts?: CallOptions): Promise<Empty> {
    return this.post('createScope', '/scopes/create', validate('secrets.createScope', CreateScopeSchema, req), false, opts);
  }

  async deleteScope(req: In<typeof ScopeSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('deleteScope', '/scopes/delete', validate('secrets.deleteScope', ScopeSchema, req), true, opts);
  }

  async listScopesPage(opts?: CallOptions): Promise<{ scopes?: SecretScope[] }> {
    return this.read('listScopes', '/scopes/list', undefined, opts);
  }

  listScopes(req: In<typeof listCap> = {}, opts?: CallOptions): Paginated<SecretScope> {
    const { limit } = validate('secrets.listScopes', listCap, req);
    return paginate(async () => ({ items: (await this.listScopesPage(opts)).scopes ?? [] }), limit);
  }

  /** Overwrites: safe to repeat. */
  async put(req: PutSecretRequest, opts?: CallOptions): Promise<Empty> {
    const body = validate('secrets.put', PutSchema, req);
    // Short values (e.g. "1") would mangle every message; scrub the ones that can identify a secret.
    const redact = [body.string_value, body.bytes_value].filter((v): v is string => v !== undefined && v.length >= 4);
    return this.post('put', '/put', body, true, opts, redact);
  }

  async delete(req: In<typeof KeySchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('delete', '/delete', validate('secrets.delete', KeySchema, req), true, opts);
  }

  async listPage(req: In<typeof ScopeSchema>, opts?: CallOptions): Promise<{ secrets?: SecretMetadata[] }> {
    return this.read('list', '/list', validate('secrets.list', ScopeSchema, req), opts);
  }

  list(req: In<typeof ScopeListSchema>, opts?: CallOptions): Paginated<SecretMetadata> {
    const { limit, ...q } = validate('secrets.list', ScopeListSchema, req);
    return paginate(async () => ({ items: (await this.listPage(q, opts)).secrets ?? [] }), limit);
  }

  /** `value` is base64 of the secret bytes. */
  async get(req: In<typeof KeySchema>, opts?: CallOptions): Promise<{ key?: string; value?: string }> {
    return this.read('get', '/get', validate('secrets.get', KeySchema, req), opts);
  }

  async putAcl(req: In<typeof AclSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('putAcl', '/acls/put', validate('secrets.putAcl', AclSchema, req), true, opts);
  }

  async getAcl(req: In<typeof PrincipalSchema>, opts?: CallOptions): Promise<AclItem> {
    return this.read('getAcl', '/acls/get', validate('secrets.getAcl', PrincipalSchema, req), opts);
  }

  async listAclsPage(req: In<typeof ScopeSchema>, opts?: CallOptions): Promise<{ items?: AclItem[] }> {
    return this.read('listAcls', '/acls/list', validate('secrets.listAcls', ScopeSchema, req), opts);
  }

  listAcls(req: In<typeof ScopeListSchema>, opts?: CallOptions): Paginated<AclItem> {
    const { limit, ...q } = validate('secrets.listAcls', ScopeListSchema, req);
    return paginate(async () => ({ items: (await this.listAclsPage(q, opts)).items ?? [] }), limit);
  }

  async deleteAcl(req: In<typeof PrincipalSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('deleteAcl', '/acls/delete', validate('secrets.deleteAcl', PrincipalSchema, req), true, opts);
  }
}
