import { invalidParameter } from '../../http/errors.js';
import { route, type ApiRequest, type RouteDef } from '../../http/router.js';
import type { Grants, Securable, SqlEngine } from '../../sql/index.js';
import { p, uc } from './helpers.js';
import { ucPage } from './paginate.js';
import * as s from './schemas.js';

/** The SDKs document page lengths 1–149 as an invalid parameter: a page must hold whole assignments. */
function pageLength(value: number | undefined, field: string): number | undefined {
  if (value !== undefined && value > 0 && value < 150) throw invalidParameter(`${field} must be 0 or at least 150, got ${value}.`);
  return value;
}

type Read = (grants: Grants, securable: Securable, principal: string | undefined) => unknown[];
const direct: Read = (grants, securable, principal) => grants.assignments(securable, principal);
const effective: Read = (grants, securable, principal) => grants.effective(securable, principal);

/**
 * `/unity-catalog/permissions/{securable_type}/{full_name}` (GET, PATCH) and the reads beside it:
 * the paged `privilege-assignments` and the effective (inherited too) forms. Grants are changed all
 * or nothing, only by someone who may manage the object.
 */
export function grantRoutes(engine: () => Promise<SqlEngine>): RouteDef[] {
  const target = async (req: ApiRequest): Promise<{ grants: Grants; securable: Securable }> => {
    const grants = (await engine()).catalog.grants;
    const securable = await uc(() => grants.resolve(req.params.securable_type!, req.params.full_name!));
    return { grants, securable };
  };
  /** `max_results` reads answer everything unless asked for pages; `page_size` reads always page. */
  const read = (suffix: string, items: Read, field: 'privilege_assignments' | 'effective_privilege_assignments', paging: 'max_results' | 'page_size'): RouteDef =>
    route({
      method: 'GET',
      paths: p(`/${suffix}/{securable_type}/{full_name}`),
      input: paging === 'max_results' ? s.getPermissionsInput : s.listAssignmentsInput,
      handle: async (input: { principal?: string | undefined; max_results?: number | undefined; page_size?: number | undefined; page_token?: string | undefined }, req) => {
        const { grants, securable } = await target(req);
        const length = pageLength(input[paging], paging);
        const { page, next_page_token } = ucPage(items(grants, securable, input.principal), paging === 'page_size' ? (length ?? 0) : length, input.page_token);
        return { [field]: page, ...(next_page_token ? { next_page_token } : {}) };
      },
    });
  return [
    read('permissions', direct, 'privilege_assignments', 'max_results'),
    read('privilege-assignments', direct, 'privilege_assignments', 'page_size'),
    read('effective-permissions', effective, 'privilege_assignments', 'max_results'),
    read('effective-privilege-assignments', effective, 'effective_privilege_assignments', 'page_size'),
    route({
      method: 'PATCH',
      paths: p('/permissions/{securable_type}/{full_name}'),
      input: s.updatePermissionsInput,
      handle: async (input, req) => {
        const { grants, securable } = await target(req);
        await uc(async () => {
          grants.requireManage(securable, req.principal.userName);
          grants.update(securable, input.changes ?? [], req.principal.userName);
        });
        return input.omit_permissions_in_response ? {} : { privilege_assignments: grants.assignments(securable) };
      },
    }),
  ];
}
