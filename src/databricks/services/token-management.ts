/** Token Management API 2.0 (§2.9, workspace admins only): every user's tokens, and tokens on behalf of service principals. */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { paginate, type Paginated } from '../paginate.js';
import { int64Id, listCap, nonEmpty, positiveInt, validate, type In } from '../validate.js';
import type { TokenInfo } from './tokens.js';
import type { Empty } from './types.js';

const BASE = '/api/2.0/token-management';

const ListSchema = z.looseObject({ created_by_id: int64Id.optional(), created_by_username: nonEmpty.optional(), limit: listCap.shape.limit });
export type ListAllTokensRequest = In<typeof ListSchema>;
const IdSchema = z.looseObject({ token_id: nonEmpty });
const CreateOboSchema = z.looseObject({ application_id: nonEmpty, lifetime_seconds: positiveInt.optional(), comment: z.string().optional() });
export type CreateOboTokenRequest = z.infer<typeof CreateOboSchema>;

/** A token as an admin sees it: who created it, who it acts as, and where. */
export interface AdminTokenInfo extends TokenInfo {
  created_by_id?: number;
  created_by_username?: string;
  owner_id?: number;
  workspace_id?: number;
  /** Approximate day (epoch ms) the token was last used. */
  last_used_day?: number;
}

export class TokenManagementService {
  constructor(private readonly http: HttpClient) {}

  async listPage(req: ListAllTokensRequest = {}, opts?: CallOptions): Promise<{ token_infos?: AdminTokenInfo[] }> {
    const { limit: _l, ...query } = validate('tokenManagement.list', ListSchema, req);
    return this.http.request({ operation: 'tokenManagement.list', method: 'GET', path: `${BASE}/tokens`, query, idempotent: true, ...opts });
  }

  /** Every user's tokens (one page: the API does not paginate), optionally only those one user created. */
  list(req: ListAllTokensRequest = {}, opts?: CallOptions): Paginated<AdminTokenInfo> {
    const { limit, ...q } = validate('tokenManagement.list', ListSchema, req);
    return paginate(async () => ({ items: (await this.listPage(q, opts)).token_infos ?? [] }), limit);
  }

  async get(req: In<typeof IdSchema>, opts?: CallOptions): Promise<{ token_info?: AdminTokenInfo }> {
    const { token_id } = validate('tokenManagement.get', IdSchema, req);
    return this.http.request({ operation: 'tokenManagement.get', method: 'GET', path: `${BASE}/tokens/${encodeURIComponent(token_id)}`, idempotent: true, ...opts });
  }

  /** Revokes any user's token. Safe to repeat (a repeat answers RESOURCE_DOES_NOT_EXIST). */
  async delete(req: In<typeof IdSchema>, opts?: CallOptions): Promise<Empty> {
    const { token_id } = validate('tokenManagement.delete', IdSchema, req);
    return this.http.request({ operation: 'tokenManagement.delete', method: 'DELETE', path: `${BASE}/tokens/${encodeURIComponent(token_id)}`, idempotent: true, ...opts });
  }

  /**
   * A token that authenticates as the service principal `application_id`. Not safe to repeat: every
   * call mints a token. The response holds the only copy of `token_value` (as with tokens.create).
   */
  async createOboToken(req: CreateOboTokenRequest, opts?: CallOptions): Promise<{ token_value: string; token_info?: AdminTokenInfo }> {
    const body = validate('tokenManagement.createOboToken', CreateOboSchema, req);
    return this.http.request({ operation: 'tokenManagement.createOboToken', method: 'POST', path: `${BASE}/on-behalf-of/tokens`, body, idempotent: false, ...opts });
  }
}
