/** Token API 2.0 (§2.9). */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { paginate, type Paginated } from '../paginate.js';
import { listCap, nonEmpty, positiveInt, validate, type In } from '../validate.js';
import type { Empty } from './types.js';

const BASE = '/api/2.0/token';

const CreateSchema = z.looseObject({ comment: z.string().optional(), lifetime_seconds: positiveInt.optional() });
export type CreateTokenRequest = z.infer<typeof CreateSchema>;
const RevokeSchema = z.looseObject({ token_id: nonEmpty });

export interface TokenInfo {
  token_id: string;
  creation_time?: number;
  /** -1 when the token never expires. */
  expiry_time?: number;
  comment?: string;
}

export class TokensService {
  constructor(private readonly http: HttpClient) {}

  /** Not safe to repeat: every call mints a token. The response holds the only copy of `token_value`. */
  async create(req: CreateTokenRequest = {}, opts?: CallOptions): Promise<{ token_value: string; token_info?: TokenInfo }> {
    const body = validate('tokens.create', CreateSchema, req);
    return this.http.request({ operation: 'tokens.create', method: 'POST', path: `${BASE}/create`, body, idempotent: false, ...opts });
  }

  async listPage(opts?: CallOptions): Promise<{ token_infos?: TokenInfo[] }> {
    return this.http.request({ operation: 'tokens.list', method: 'GET', path: `${BASE}/list`, idempotent: true, ...opts });
  }

  list(req: In<typeof listCap> = {}, opts?: CallOptions): Paginated<TokenInfo> {
    const { limit } = validate('tokens.list', listCap, req);
    return paginate(async () => ({ items: (await this.listPage(opts)).token_infos ?? [] }), limit);
  }

  async revoke(req: In<typeof RevokeSchema>, opts?: CallOptions): Promise<Empty> {
    const body = validate('tokens.revoke', RevokeSchema, req);
    return this.http.request({ operation: 'tokens.revoke', method: 'POST', path: `${BASE}/delete`, body, idempotent: true, ...opts });
  }
}
