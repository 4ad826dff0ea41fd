/**
 * Unity Catalog grants (`/api/2.1/unity-catalog/permissions|privilege-assignments|effective-permissions`): privileges of
 * users, service principals and groups on catalogs, schemas, tables, volumes, … Privileges are
 * inherited downward (catalog → schema → table), which only the effective reads show.
 */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { byPageToken, type Paginated } from '../paginate.js';
import { listCap, nonEmpty, nonNegativeInt, validate, type In } from '../validate.js';
import type { OpenEnum } from './types.js';
import { BASE, seg } from './uc-common.js';

export type SecurableType = OpenEnum<'catalog' | 'schema' | 'table' | 'volume' | 'function' | 'metastore' | 'external_location' | 'storage_credential' | 'connection' | 'share'>;

export type Privilege = OpenEnum<
  | 'ALL_PRIVILEGES'
  | 'APPLY_TAG'
  | 'BROWSE'
  | 'CREATE_FUNCTION'
  | 'CREATE_MATERIALIZED_VIEW'
  | 'CREATE_MODEL'
  | 'CREATE_SCHEMA'
  | 'CREATE_TABLE'
  | 'CREATE_VOLUME'
  | 'EXECUTE'
  | 'MANAGE'
  | 'MODIFY'
  | 'READ_VOLUME'
  | 'REFRESH'
  | 'SELECT'
  | 'USE_CATALOG'
  | 'USE_SCHEMA'
  | 'WRITE_VOLUME'
>;

export interface PrivilegeAssignment {
  principal?: string;
  privileges?: Privilege[];
}

export interface EffectivePrivilege {
  privilege?: Privilege;
  /** Set when the privilege comes from a parent (e.g. `CATALOG`), with the parent's full name. */
  inherited_from_type?: string;
  inherited_from_name?: string;
}

export interface EffectivePrivilegeAssignment {
  principal?: string;
  privileges?: EffectivePrivilege[];
}

const Securable = { securable_type: nonEmpty, full_name: nonEmpty };
/** 0 = the server's page length; 1–149 are refused by the server (a page holds whole assignments). */
const pageLength = nonNegativeInt.refine((n) => n === 0 || n >= 150, { error: 'must be 0 or at least 150' });
const GetSchema = z.looseObject({ ...Securable, principal: nonEmpty.optional(), max_results: pageLength.optional(), page_token: z.string().optional() });
const ListSchema = z.looseObject({ ...Securable, principal: nonEmpty.optional(), page_size: pageLength.optional(), limit: listCap.shape.limit });
const ChangeSchema = z.looseObject({ principal: nonEmpty, add: z.array(nonEmpty).optional(), remove: z.array(nonEmpty).optional() });
const UpdateSchema = z.looseObject({ ...Securable, changes: z.array(ChangeSchema), omit_permissions_in_response: z.boolean().optional() });
export type PermissionsChange = z.infer<typeof ChangeSchema>;
export type UpdateGrantsRequest = z.infer<typeof UpdateSchema>;

const path = (kind: 'permissions' | 'privilege-assignments' | 'effective-permissions', r: { securable_type: string; full_name: string }) => `${BASE}/${kind}/${seg(r.securable_type.toLowerCase())}/${seg(r.full_name)}`;

export class GrantsService {
  constructor(private readonly http: HttpClient) {}

  /** Direct grants on the securable (no inherited ones); one page unless `max_results` asks for pages. */
  async get(req: In<typeof GetSchema>, opts?: CallOptions): Promise<{ privilege_assignments?: PrivilegeAssignment[]; next_page_token?: string }> {
    const { securable_type, full_name, ...query } = validate('grants.get', GetSchema, req);
    return this.http.request({ operation: 'grants.get', method: 'GET', path: path('permissions', { securable_type, full_name }), query, idempotent: true, ...opts });
  }

  /** Every direct assignment, page by page (`privilege-assignments`, the paged form of `get`). */
  list(req: In<typeof ListSchema>, opts?: CallOptions): Paginated<PrivilegeAssignment> {
    const { limit, securable_type, full_name, ...query } = validate('grants.list', ListSchema, req);
    return byPageToken(
      (page) => this.http.request<{ privilege_assignments?: PrivilegeAssignment[]; next_page_token?: string }>({
        operation: 'grants.list', method: 'GET', path: path('privilege-assignments', { securable_type, full_name }),
        query: { ...query, ...page }, idempotent: true, ...opts,
      }),
      (r) => r.privilege_assignments,
      limit,
    );
  }

  /**
   * Adds and removes privileges, all changes or none. Safe to repeat: adding a held privilege or
   * removing an absent one changes nothing.
   */
  async update(req: UpdateGrantsRequest, opts?: CallOptions): Promise<{ privilege_assignments?: PrivilegeAssignment[] }> {
    const { securable_type, full_name, ...body } = validate('grants.update', UpdateSchema, req);
    return this.http.request({ operation: 'grants.update', method: 'PATCH', path: path('permissions', { securable_type, full_name }), body, idempotent: true, ...opts });
  }

  /** Direct and inherited grants, each inherited one with the parent it comes from. */
  async getEffective(req: In<typeof GetSchema>, opts?: CallOptions): Promise<{ privilege_assignments?: EffectivePrivilegeAssignment[]; next_page_token?: string }> {
    const { securable_type, full_name, ...query } = validate('grants.getEffective', GetSchema, req);
    return this.http.request({ operation: 'grants.getEffective', method: 'GET', path: path('effective-permissions', { securable_type, full_name }), query, idempotent: true, ...opts });
  }
}
