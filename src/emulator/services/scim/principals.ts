import { z } from 'zod';
import { RawReply, route, versions, type ApiRequest, type RouteDef } from '../../http/router.js';
import { bool } from '../../http/validation.js';
import type { ServiceContext } from '../types.js';
import type { Directory } from './directory.js';
import { asScimError, requireAdmin, scimBadRequest, scimConflict, scimNotFound } from './errors.js';
import { USERS_ID } from './ids.js';
import { listQuery, listResponse, project } from './list.js';
import type { Identity } from './records.js';
import { servicePrincipalView, userView } from './views.js';

/**
 * `/Users` and `/ServicePrincipals`: list and get over the configured principals (token holders,
 * OAuth clients) and those created here; create (201) and delete (204) of created ones. A
 * configured principal cannot be deleted (its token would still work). Creating takes the
 * principal straight into `groups[{value}]` when given. PUT/PATCH of users and service principals
 * are not emulated.
 */
const complex = z.object({ value: z.string().min(1, 'must not be empty') });
const common = {
  displayName: z.string().optional(),
  active: bool().optional(),
  externalId: z.string().optional(),
  entitlements: z.array(complex).optional(),
  groups: z.array(complex).optional(),
  schemas: z.array(z.string()).optional(),
};
const userBody = z.object({
  userName: z.string().refine((s) => s.trim() !== '', 'must not be empty'),
  emails: z.array(z.object({ value: z.string().min(1, 'must not be empty'), type: z.string().optional(), primary: bool().optional() })).optional(),
  ...common,
});
const spBody = z.object({ applicationId: z.string().refine((s) => s.trim() !== '', 'must not be empty').optional(), ...common });
const USER_FILTERABLE = new Set(['id', 'username', 'displayname', 'active', 'externalid', 'emails.value']);
const SP_FILTERABLE = new Set(['id', 'applicationid', 'displayname', 'active', 'externalid']);

export function principalRoutes(ctx: ServiceContext, dir: Directory): RouteDef[] {
  const mapError = asScimError;
  /** Checks shared by both creates: entitlements known, groups existing and editable. */
  const checkCommon = (input: { entitlements?: { value: string }[] | undefined; groups?: { value: string }[] | undefined }) => {
    dir.checkEntitlements((input.entitlements ?? []).map((e) => e.value));
    for (const { value } of input.groups ?? []) {
      if (!dir.findGroup(value)) throw scimBadRequest(`Invalid group ${value}: no group has this id.`);
      if (value === USERS_ID) throw scimBadRequest('Every principal is in the users group; it cannot be given in groups.');
    }
  };
  const join = (id: string, groups: { value: string }[] | undefined) => {
    for (const { value } of groups ?? []) dir.setMembers(value, [...dir.membersOf(value).filter((m) => m !== id), id]);
  };
  const values = (list: { value: string }[] | undefined) => [...new Set((list ?? []).map((e) => e.value))];
  const remove = (who: Identity & { configured: boolean }, label: string) => {
    if (who.configured) throw scimBadRequest(`${label} is configured with a token or OAuth client in this emulator and cannot be deleted.`);
    if (who.kind === 'user') dir.users.delete(who.id);
    else if (who.kind === 'service_principal') dir.servicePrincipals.delete(who.id);
    dir.forget(who.id);
    return new RawReply(204, '');
  };
  const getUser = (req: ApiRequest) => {
    const u = dir.allUsers().find((x) => x.id === req.params.id);
    if (!u) throw scimNotFound('User not found.');
    return u;
  };
  const getSp = (req: ApiRequest) => {
    const s = dir.allServicePrincipals().find((x) => x.id === req.params.id);
    if (!s) throw scimNotFound('Service principal not found.');
    return s;
  };
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
        const wanted = input.userName.toLowerCase();
        if (dir.allUsers().some((u) => u.userName.toLowerCase() === wanted)) throw scimConflict(`User with username ${input.userName} already exists.`);
        checkCommon(input);
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
        join(id, input.groups);
        dir.changed();
        return new RawReply(201, JSON.stringify(userView(dir, getUser({ ...req, params: { id } }))));
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
        if (dir.allServicePrincipals().some((s) => s.applicationId === applicationId)) throw scimConflict(`Service principal with application id ${applicationId} already exists.`);
        checkCommon(input);
        const id = String(ctx.ids.numeric(15));
        dir.servicePrincipals.set(id, {
          id,
          applicationId,
          ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
          active: input.active ?? true,
          ...(input.externalId ? { externalId: input.externalId } : {}),
          entitlements: values(input.entitlements),
        });
        join(id, input.groups);
        dir.changed();
        return new RawReply(201, JSON.stringify(servicePrincipalView(dir, getSp({ ...req, params: { id } }))));
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
  ];
}
