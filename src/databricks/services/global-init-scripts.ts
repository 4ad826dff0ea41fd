/**
 * Global Init Scripts API 2.0 (`/api/2.0/global-init-scripts`): shell scripts that run on every node
 * of every cluster in `position` order when `enabled`; workspace admins only. `script` is the
 * Base64-encoded content (at most 64 KB decoded); answers to get carry it, listings do not. The
 * content may hold credentials, so it is scrubbed from any error text this client produces.
 */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { nonEmpty, nonNegativeInt, validate, type In } from '../validate.js';
import type { Empty } from './types.js';

const BASE = '/api/2.0/global-init-scripts';

const fields = {
  name: nonEmpty,
  /** Base64 of the script's bytes. */
  script: nonEmpty,
  /** Runs only when true; false when left out of a create. */
  enabled: z.boolean().optional(),
  /** 0 runs first; a taken position shifts that script and later ones; left out or past the end: last. */
  position: nonNegativeInt.optional(),
};
const CreateSchema = z.looseObject(fields);
export type CreateGlobalInitScriptRequest = z.infer<typeof CreateSchema>;
/** The API spec requires name and script on update too; enabled and position left out keep their values. */
const UpdateSchema = z.looseObject({ script_id: nonEmpty, ...fields });
export type UpdateGlobalInitScriptRequest = z.infer<typeof UpdateSchema>;
const IdSchema = z.looseObject({ script_id: nonEmpty });

export interface GlobalInitScriptDetails {
  script_id: string;
  name?: string;
  position?: number;
  enabled?: boolean;
  created_at?: number;
  created_by?: string;
  updated_at?: number;
  updated_by?: string;
}

export interface GlobalInitScriptWithContent extends GlobalInitScriptDetails {
  /** Base64 of the script's bytes. */
  script?: string;
}

export class GlobalInitScriptsService {
  constructor(private readonly http: HttpClient) {}

  private path(id: string): string {
    return `${BASE}/${encodeURIComponent(id)}`;
  }

  /** Not safe to repeat: every call adds another script (names need not be unique). */
  async create(req: CreateGlobalInitScriptRequest, opts?: CallOptions): Promise<{ script_id: string }> {
    const body = validate('globalInitScripts.create', CreateSchema, req);
    return this.http.request({ operation: 'globalInitScripts.create', method: 'POST', path: BASE, body, idempotent: false, redact: [body.script], ...opts });
  }

  async get(req: In<typeof IdSchema>, opts?: CallOptions): Promise<GlobalInitScriptWithContent> {
    const { script_id } = validate('globalInitScripts.get', IdSchema, req);
    return this.http.request({ operation: 'globalInitScripts.get', method: 'GET', path: this.path(script_id), idempotent: true, ...opts });
  }

  /** Every script in position order, without its content. One call: the API does not page. */
  async list(opts?: CallOptions): Promise<GlobalInitScriptDetails[]> {
    const r = await this.http.request<{ scripts?: GlobalInitScriptDetails[] }>({ operation: 'globalInitScripts.list', method: 'GET', path: BASE, idempotent: true, ...opts });
    return r.scripts ?? [];
  }

  /** Sets the fields given; repeating it gives the same script. */
  async update(req: UpdateGlobalInitScriptRequest, opts?: CallOptions): Promise<Empty> {
    const { script_id, ...body } = validate('globalInitScripts.update', UpdateSchema, req);
    return this.http.request({ operation: 'globalInitScripts.update', method: 'PATCH', path: this.path(script_id), body, idempotent: true, redact: [body.script], ...opts });
  }

  async delete(req: In<typeof IdSchema>, opts?: CallOptions): Promise<Empty> {
    const { script_id } = validate('globalInitScripts.delete', IdSchema, req);
    return this.http.request({ operation: 'globalInitScripts.delete', method: 'DELETE', path: this.path(script_id), idempotent: true, ...opts });
  }
}
