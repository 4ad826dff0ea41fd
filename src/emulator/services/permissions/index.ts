import { z } from 'zod';
import type { Principal } from '../../auth.js';
import { invalidParameter, notFound, permissionDenied } from '../../http/errors.js';
import { route, versions, type ApiRequest } from '../../http/router.js';
import type { ClusterPoliciesApi } from '../cluster-policies/index.js';
import type { ClustersApi } from '../clusters/index.js';
import type { JobsApi } from '../jobs/index.js';
import { scimOf, type ScimApi } from '../scim/index.js';
import type { ServiceContext, ServiceModule } from '../types.js';
import type { WarehousesApi } from '../warehouses/index.js';
import type { PermissionsApi } from './api.js';
import { aclGuard } from './guard.js';
import { LEVELS, OBJECT_NAMES, ownerLevel, rank } from './levels.js';

/**
 * Permissions (`/api/2.0/permissions/{object_type}/{object_id}`): get, set (replace direct
 * grants), update (merge), permissionLevels. Workspace admins hold CAN_MANAGE everywhere (shown
 * as inherited from the admins group). Objects without any ACL are open (see ./api.ts).
 */
type Acl = Map<string, string>; // principal key (user:/group:/sp:) → level

const aclItem = z
  .object({
    user_name: z.string().min(1).optional(),
    group_name: z.string().min(1).optional(),
    service_principal_name: z.string().min(1).optional(),
    permission_level: z.string().min(1),
  })
  .refine((i) => [i.user_name, i.group_name, i.service_principal_name].filter(Boolean).length === 1, 'exactly one of user_name, group_name, service_principal_name is required');
const aclInput = z.object({ access_control_list: z.array(aclItem).optional() });

const key = (i: { user_name?: string | undefined; group_name?: string | undefined; service_principal_name?: string | undefined }) =>
  i.user_name ? `user:${i.user_name}` : i.group_name ? `group:${i.group_name}` : `sp:${i.service_principal_name}`;

/** The ACL key of the principal itself. */
function ownKey(p: Principal): string {
  return p.kind === 'service_principal' ? `sp:${p.userName}` : `user:${p.userName}`;
}

/** The ACL keys that grant to `p`: itself, `users`, and every group it is in (through SCIM, nested too). */
function principalKeys(p: Principal, scim: ScimApi): string[] {
  const own = ownKey(p);
  const groups = scim.groupNamesOf(p);
  return [own, ...groups.map((g) => `group:${g}`), ...(groups.includes('users') ? [] : ['group:users'])];
}

/**
 * An ACL may only name principals the workspace has. Real answer, seen in public logs:
 * 404 RESOURCE_DOES_NOT_EXIST "Principal: GroupName(account users) does not exist" (also
 * UserName(…), ServicePrincipalName(…)); older reports show 400 BAD_REQUEST with the same text.
 */
function checkPrincipals(scim: ScimApi, items: readonly { user_name?: string | undefined; group_name?: string | undefined; service_principal_name?: string | undefined }[]): void {
  for (const i of items) {
    if (i.user_name !== undefined && !scim.userExists(i.user_name)) throw notFound(`Principal: UserName(${i.user_name}) does not exist`);
    if (i.group_name !== undefined && !scim.groupExists(i.group_name)) throw notFound(`Principal: GroupName(${i.group_name}) does not exist`);
    if (i.service_principal_name !== undefined && !scim.servicePrincipalExists(i.service_principal_name)) throw notFound(`Principal: ServicePrincipalName(${i.service_principal_name}) does not exist`);
  }
}

export const permissionsService: ServiceModule = {
  name: 'permissions',
  create(ctx) {
    const acls = new Map<string, Acl>();
    const scim = () => scimOf(ctx);
    const id = (type: string, objectId: string) => `${type}/${objectId}`;

    const levelOf = (type: string, objectId: string, p: Principal): number => {
      const acl = acls.get(id(type, objectId));
      if (!acl) return Infinity;
      return Math.max(-1, ...principalKeys(p, scim()).map((k) => rank(type, acl.get(k) ?? '')));
    };
    const api: PermissionsApi = {
      has: (type, objectId, p, level) => p.isAdmin || levelOf(type, objectId, p) >= rank(type, level),
      require(type, objectId, p, level, action) {
        if (!api.has(type, objectId, p, level)) throw permissionDenied(`${p.userName} does not have ${level} permissions on ${OBJECT_NAMES[type]?.prefix ?? `/${type}/`}${objectId} (needed to ${action}).`);
      },
      setOwner(type, objectId, userName) {
        acls.set(id(type, objectId), new Map([[`user:${userName}`, ownerLevel(type)]]));
      },
      forget: (type, objectId) => void acls.delete(id(type, objectId)),
    };

    const checkObject = (req: ApiRequest): { type: string; objectId: string } => {
      const type = req.params.object_type!;
      const objectId = req.params.object_id!;
      if (!LEVELS[type]) throw invalidParameter(`Unsupported object type ${type}.`);
      if (!exists(ctx, type, objectId)) throw notFound(`${OBJECT_NAMES[type]?.type ?? type} ${objectId} does not exist.`);
      return { type, objectId };
    };
    const view = (type: string, objectId: string) => {
      const names = OBJECT_NAMES[type]!;
      const list: Record<string, unknown>[] = [];
      for (const [k, level] of acls.get(id(type, objectId)) ?? []) {
        const [kind, name] = [k.slice(0, k.indexOf(':')), k.slice(k.indexOf(':') + 1)];
        const field = kind === 'user' ? 'user_name' : kind === 'group' ? 'group_name' : 'service_principal_name';
        list.push({ [field]: name, ...(kind === 'user' ? { display_name: name } : {}), all_permissions: [{ permission_level: level, inherited: false }] });
      }
      list.push({ group_name: 'admins', all_permissions: [{ permission_level: LEVELS[type]!.includes('CAN_MANAGE') ? 'CAN_MANAGE' : LEVELS[type]!.at(-1), inherited: true, inherited_from_object: [`${names.prefix.replace(/\/$/, '')}/`] }] });
      return { object_id: `${names.prefix}${objectId}`, object_type: names.type, access_control_list: list };
    };
    const validateLevels = (type: string, items: z.output<typeof aclItem>[]) => {
      items.forEach((i, n) => {
        if (rank(type, i.permission_level) < 0) {
          throw invalidParameter(`access_control_list[${n}].permission_level: ${i.permission_level} is not a valid permission level for ${type}; expected one of ${LEVELS[type]!.join(', ')}.`);
        }
      });
      if (items.filter((i) => i.permission_level === 'IS_OWNER').length > 1) throw invalidParameter('An object can have only one owner (IS_OWNER).');
    };
    const write = (replace: boolean) => (input: z.output<typeof aclInput>, req: ApiRequest) => {
      const { type, objectId } = checkObject(req);
      api.require(type, objectId, req.principal, LEVELS[type]!.includes('CAN_MANAGE') ? 'CAN_MANAGE' : LEVELS[type]!.at(-1)!, 'change permissions');
      const items = input.access_control_list ?? [];
      validateLevels(type, items);
      checkPrincipals(scim(), items);
      const current = acls.get(id(type, objectId)) ?? initialAcl(type, objectId, req.principal);
      // Setting replaces direct grants but keeps the owner, as the real API does.
      const next: Acl = replace ? new Map([...current].filter(([, l]) => l === 'IS_OWNER')) : new Map(current);
      for (const i of items) {
        if (i.permission_level === 'IS_OWNER') for (const [k, l] of next) if (l === 'IS_OWNER') next.delete(k);
        next.set(key(i), i.permission_level);
      }
      acls.set(id(type, objectId), next);
      return view(type, objectId);
    };
    /**
     * The first ACL of an object keeps its creator in charge, as on the real service: a job's
     * creator is its owner; for a cluster (whose creator only part 1 knows) a non-admin writer keeps CAN_MANAGE.
     */
    const initialAcl = (type: string, objectId: string, p: Principal): Acl => {
      const acl: Acl = new Map();
      if (type === 'jobs') {
        const creator = ctx.service<JobsApi>('jobs')?.job(Number(objectId))?.creator_user_name;
        if (creator) acl.set(`user:${creator}`, 'IS_OWNER');
      } else if (!p.isAdmin) acl.set(ownKey(p), ownerLevel(type));
      return acl;
    };
    const paths = (suffix = '') => versions(['2.0'], `/permissions/{object_type}/{object_id}${suffix}`);
    return {
      api,
      guard: aclGuard(ctx, api),
      routes: [
        route({
          method: 'GET',
          paths: paths(),
          input: z.object({}),
          handle(_i, req) {
            const { type, objectId } = checkObject(req);
            if (!api.has(type, objectId, req.principal, LEVELS[type]![0]!)) throw permissionDenied(`${req.principal.userName} has no permissions on ${OBJECT_NAMES[type]!.prefix}${objectId}.`);
            return view(type, objectId);
          },
        }),
        route({ method: 'PUT', paths: paths(), input: aclInput, handle: write(true) }),
        route({ method: 'PATCH', paths: paths(), input: aclInput, handle: write(false) }),
        route({
          method: 'GET',
          paths: paths('/permissionLevels'),
          input: z.object({}),
          handle(_i, req) {
            const { type } = checkObject(req);
            return { permission_levels: LEVELS[type]!.map((l) => ({ permission_level: l, description: `${l.replaceAll('_', ' ').toLowerCase()} permission` })) };
          },
        }),
      ],
      snapshot: () => ({ acls: [...acls].map(([k, v]) => [k, [...v]]) }),
      restore(state) {
        const list = (state as { acls?: unknown }).acls;
        if (!Array.isArray(list)) return;
        for (const e of list) if (Array.isArray(e) && typeof e[0] === 'string' && Array.isArray(e[1])) acls.set(e[0], new Map(e[1].filter((x: unknown) => Array.isArray(x) && x.length === 2) as [string, string][]));
      },
    };
  },
};

/** Whether the object exists, for the types whose services the emulator has; others are accepted. */
function exists(ctx: ServiceContext, type: string, objectId: string): boolean {
  switch (type) {
    case 'clusters':
      return ctx.service<ClustersApi>('clusters')?.state(objectId) !== undefined;
    case 'jobs':
      return /^\d+$/.test(objectId) && ctx.service<JobsApi>('jobs')?.job(Number(objectId)) !== undefined;
    case 'cluster-policies':
      return ctx.service<ClusterPoliciesApi>('cluster-policies')?.find(objectId) !== undefined;
    case 'warehouses': {
      const w = ctx.service<WarehousesApi>('warehouses')?.find(objectId);
      return w !== undefined && w.state !== 'DELETED';
    }
    default:
      return true;
  }
}
