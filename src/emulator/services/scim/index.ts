import { z } from 'zod';
import type { Principal } from '../../auth.js';
import { route, versions } from '../../http/router.js';
import { clientPrincipal, oauthClients } from '../oauth/clients.js';
import type { ServiceContext, ServiceModule } from '../types.js';
import { Directory } from './directory.js';
import { principalId } from './ids.js';
import type { GroupRecord, ServicePrincipalRecord, UserRecord } from './records.js';
import { groupRoutes } from './groups.js';
import { principalRoutes } from './principals.js';
import { meView } from './views.js';

export { principalId } from './ids.js';

/**
 * Workspace-level SCIM (`/api/2.0/preview/scim/v2/…`): `Me`, `Groups`, `Users`, `ServicePrincipals`.
 * The directory (./directory.ts) is who exists and who belongs where; routes live in ./groups.ts,
 * ./principals.ts and ./principal-edit.ts (PUT/PATCH of users and service principals); errors take the SCIM shape (./errors.ts). Other services ask through `ScimApi`:
 * permissions checks that an ACL's principal exists and grants through group membership.
 */
export interface ScimApi {
  userExists(userName: string): boolean;
  groupExists(displayName: string): boolean;
  servicePrincipalExists(applicationId: string): boolean;
  /** The service principal with this SCIM id; `userName` is whom its tokens act as. */
  servicePrincipalById(id: string): { applicationId: string; userName: string } | undefined;
  /** Display names of every group the principal belongs to, directly or through nested groups (`users` included). */
  groupNamesOf(p: Pick<Principal, 'kind' | 'userName'>): string[];
}

/**
 * This workspace's SCIM directory, for services that ask at request time (every emulator loads the
 * scim service; it may be created after the asking service, so they must not ask at create time).
 */
export function scimOf(ctx: ServiceContext): ScimApi {
  const scim = ctx.service<ScimApi>('scim');
  if (!scim) throw new Error('the emulator was built without its scim service');
  return scim;
}

export const scimService: ServiceModule = {
  name: 'scim',
  create(ctx) {
    const dir = new Directory(
      () => ctx.principals.principals(),
      () => oauthClients(ctx.dataDir).map((c) => ({ applicationId: c.clientId, principal: clientPrincipal(c) })),
    );
    // Adding someone to (or removing them from) `admins` changes what their token may do.
    ctx.principals.setAdminOverride((p) => dir.adminOverride(p));
    ctx.principals.setActiveCheck((p) => dir.isActive(p));
    const api: ScimApi = {
      userExists: (userName) => dir.allUsers().some((u) => u.userName === userName),
      groupExists: (displayName) => dir.groupByName(displayName) !== undefined,
      servicePrincipalExists: (applicationId) => dir.allServicePrincipals().some((s) => s.applicationId === applicationId),
      servicePrincipalById: (id) => {
        const sp = dir.allServicePrincipals().find((s) => s.id === id);
        return sp && { applicationId: sp.applicationId, userName: sp.userName };
      },
      groupNamesOf: (p) => dir.transitiveGroupIds(principalId(p)).map((id) => dir.findGroup(id)?.displayName ?? id),
    };
    return {
      api,
      routes: [
        route({ method: 'GET', paths: versions(['2.0'], '/preview/scim/v2/Me'), input: z.object({}), handle: (_i, req) => meView(dir, principalId(req.principal), req.principal.userName) }),
        ...groupRoutes(ctx, dir),
        ...principalRoutes(ctx, dir),
      ],
      snapshot: () => ({
        groups: [...dir.groups.values()],
        users: [...dir.users.values()],
        service_principals: [...dir.servicePrincipals.values()],
        admins_added: [...dir.adminsAdded],
        admins_removed: [...dir.adminsRemoved],
      }),
      restore(state) {
        const s = (state ?? {}) as Record<string, unknown>;
        const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : []);
        const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
        for (const g of list(s.groups)) if (typeof g.id === 'string' && typeof g.displayName === 'string') dir.groups.set(g.id, { ...(g as unknown as GroupRecord), members: strings(g.members), entitlements: strings(g.entitlements) });
        for (const u of list(s.users)) if (typeof u.id === 'string' && typeof u.userName === 'string') dir.users.set(u.id, { ...(u as unknown as UserRecord), active: u.active !== false, entitlements: strings(u.entitlements) });
        for (const p of list(s.service_principals)) {
          if (typeof p.id === 'string' && typeof p.applicationId === 'string') dir.servicePrincipals.set(p.id, { ...(p as unknown as ServicePrincipalRecord), active: p.active !== false, entitlements: strings(p.entitlements) });
        }
        for (const id of strings(s.admins_added)) dir.adminsAdded.add(id);
        for (const id of strings(s.admins_removed)) dir.adminsRemoved.add(id);
        dir.changed();
      },
    };
  },
};
