import { z } from 'zod';
import { RawReply, route, versions, type ApiRequest, type RouteDef } from '../../http/router.js';
import type { ServiceContext } from '../types.js';
import type { Directory } from './directory.js';
import { asScimError, requireAdmin, scimBadRequest } from './errors.js';
import { listQuery, listResponse, project } from './list.js';
import { principalEditRoutes } from './principal-edit.js';
import { checkGrants, setDirectGroups, spBody, spOr404, uniqueApplicationId, uniqueUserName, userBody, userOr404, values } from './principal-common.js';
import type { Identity } from './records.js';
import { servicePrincipalView, userView } from './views.js';

/**
 * `/Users` and `/ServicePrincipals`: list and get over the configured principals (token holders,
 * OAuth clients) and those created here; create (201) and delete (204) of created ones. A
 * configured principal cannot be deleted (its token would still work). Creating takes the
 * principal straight into `groups[{value}]` when given. Replace (PUT) and PATCH: ./principal-edit.ts.
 */
const USER_FILTERABLE = new Set(['id', 'username', 'displayname', 'active', 'externalid', 'emails.value']);
const SP_FILTERABLE = new Set(['id', 'applicationid', 'displayname', 'active', 'externalid']);

export function principalRoutes(ctx: ServiceContext, dir: Directory): RouteDef[] {
  const mapError = asScimError;
  const remove = (who: Identity & { configured: boolean }, label: string) => {
    if (who.configured) throw scimBadRequest(`${label} is configured with a token or OAuth client in this emulator and cannot be deleted.`);
    if (who.kind === 'user') dir.users.delete(who.id);
    else if (who.kind === 'service_principal') dir.servicePrincipals.delete(who.id);
    dir.forget(who.id);
    return new RawReply(204, '');
  };
  const getUser = (req: ApiRequest) => userOr404(dir, req.params.id);
  const getSp = (req: ApiRequest) => spOr404(dir, req.params.id);
  const users = versions(['2.0'], '/preview/scim/v2/Users');
  const user = versions(['2.0'], '/preview/scim/v2/Users/{id}');
  const sps = versions(['2.0'], '/preview/scim/v2/ServicePrincipals');
  const sp = versions(['2.0'], '/preview/scim/v2/ServicePrincipals/{id}');
  const projection = listQuery.pick({ attributes: true, excludedAttributes: true });

  return [
    route({ method: 'GET', paths: users, input: listQuery, mapError, handle: (q) => listResponse(dir.allUsers().map((u) => userView(dir, u)), q, USER_FILTERABLE) }),
    route({ method: 'GET', paths: user, input: projection, mapError, handle: (q, req) => project(userView(dir, getUser(req)), q) }),
    route({
      method: 'POST',
      paths: users,
      input: userBody,
      mapError,
      handle(input, req) {
        requireAdmin(req);
        uniqueUserName(dir, input.userName);
        checkGrants(dir, values(input.entitlements), values(input.groups));
        const id = String(ctx.ids.numeric(15));
        dir.users.set(id, {
          id,
          userName: input.userName,
          ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
          ...(input.emails ? { emails: input.emails.map((e) => ({ value: e.value, ...(e.type ? { type: e.type } : {}), ...(e.primary !== undefined ? { primary: e.primary } : {}) })) } : {}),
          active: input.active ?? true,
          ...(input.externalId ? { externalId: input.externalId } : {}),
          entitlements: values(input.entitlements),
        });
        setDirectGroups(dir, id, values(input.groups));
        dir.changed();
        return new RawReply(201, JSON.stringify(userView(dir, userOr404(dir, id))));
      },
    }),
    route({
      method: 'DELETE',
      paths: user,
      input: z.object({}),
      mapError,
      handle(_i, req) {
        requireAdmin(req);
        const u = getUser(req);
        return remove(u, `User ${u.userName}`);
      },
    }),
    route({ method: 'GET', paths: sps, input: listQuery, mapError, handle: (q) => listResponse(dir.allServicePrincipals().map((s) => servicePrincipalView(dir, s)), q, SP_FILTERABLE) }),
    route({ method: 'GET', paths: sp, input: projection, mapError, handle: (q, req) => project(servicePrincipalView(dir, getSp(req)), q) }),
    route({
      method: 'POST',
      paths: sps,
      input: spBody,
      mapError,
      handle(input, req) {
        requireAdmin(req);
        // AWS/GCP workspaces mint the application id; Azure callers pass their Entra one.
        const applicationId = input.applicationId ?? ctx.ids.uuid();
        uniqueApplicationId(dir, applicationId);
        checkGrants(dir, values(input.entitlements), values(input.groups));
        const id = String(ctx.ids.numeric(15));
        dir.servicePrincipals.set(id, {
          id,
          applicationId,
          ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
          active: input.active ?? true,
          ...(input.externalId ? { externalId: input.externalId } : {}),
          entitlements: values(input.entitlements),
        });
        setDirectGroups(dir, id, values(input.groups));
        dir.changed();
        return new RawReply(201, JSON.stringify(servicePrincipalView(dir, spOr404(dir, id))));
      },
    }),
    route({
      method: 'DELETE',
      paths: sp,
      input: z.object({}),
      mapError,
      handle(_i, req) {
        requireAdmin(req);
        const s = getSp(req);
        return remove(s, `Service principal ${s.applicationId}`);
      },
    }),
    ...principalEditRoutes(dir),
  ];
}
