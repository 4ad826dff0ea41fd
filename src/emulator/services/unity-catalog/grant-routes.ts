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

/**
 * `/unity-catalog/permissions/{securable_type}/{full_name}` (GET, PATCH) and the effective
 * permissions reads. Grants are changed all or nothing, only by someone who may manage the object.
 */
export function grantRoutes(engine: () => Promise<SqlEngine>): RouteDef[] {
  const target = async (req: ApiRequest): Promise<{ grants: Grants; securable: Securable }> => {
    const grants = (await engine()).catalog.grants;
    const securable = await uc(() => grants.resolve(req.params.securable_type!, req.params.full_name!));
    return { grants, securable };
  };
  return [
    route({
      method: 'GET',
      paths: p('/permissions/{securable_type}/{full_name}'),
      input: s.getPermissionsInput,
      handle: async (input, req) => {
        const { grants, securable } = await target(req);
        const { page, next_page_token } = ucPage(grants.assignments(securable, input.principal), pageLength(input.max_results, 'max_results'), input.page_token);
        return { privilege_assignments: page, ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
    // The paged form of the same read (the SDKs' grants.list): page_size instead of max_results, 0 when unset.
    route({
      method: 'GET',
      paths: p('/privilege-assignments/{securable_type}/{full_name}'),
      input: s.listAssignmentsInput,
      handle: async (input, req) => {
        const { grants, securable } = await target(req);
        const { page, next_page_token } = ucPage(grants.assignments(securable, input.principal), pageLength(input.page_size, 'page_size') ?? 0, input.page_token);
        return { privilege_assignments: page, ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
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
    route({
      method: 'GET',
      paths: p('/effective-permissions/{securable_type}/{full_name}'),
      input: s.getPermissionsInput,
      handle: async (input, req) => {
        const { grants, securable } = await target(req);
        const { page, next_page_token } = ucPage(grants.effective(securable, input.principal), pageLength(input.max_results, 'max_results'), input.page_token);
        return { privilege_assignments: page, ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
    route({
      method: 'GET',
      paths: p('/effective-privilege-assignments/{securable_type}/{full_name}'),
      input: s.listAssignmentsInput,
      handle: async (input, req) => {
        const { grants, securable } = await target(req);
        const { page, next_page_token } = ucPage(grants.effective(securable, input.principal), pageLength(input.page_size, 'page_size') ?? 0, input.page_token);
        return { effective_privilege_assignments: page, ...(next_page_token ? { next_page_token } : {}) };
      },
    }),
  ];
}
