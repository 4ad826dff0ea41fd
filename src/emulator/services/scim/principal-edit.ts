import { RawReply, route, versions, type RouteDef } from '../../http/router.js';
import type { Principal } from '../../auth.js';
import type { Directory } from './directory.js';
import { asScimError, requireAdmin, scimBadRequest } from './errors.js';
import { principalId } from './ids.js';
import { applyPatch, patchBody, type Draft, type Email, type PatchBody } from './patch.js';
import { checkGrants, setDirectGroups, spBody, spOr404, uniqueApplicationId, uniqueUserName, userBody, userOr404, values, type SpIdentity, type UserIdentity } from './principal-common.js';
import { servicePrincipalView, userView } from './views.js';

/**
 * Replace (PUT, 200 with the resource) and PATCH (204, as groups) of users and service principals.
 * Both build a draft of the whole resource and hand it to one commit, which runs every check
 * before writing anything. `groups` is the principal's direct memberships: a PUT without it
 * leaves every group (terraform's user update copies the current `groups` into its PUT for that
 * reason), edits reach the groups' member lists (`admins` included: that changes whether a token
 * acts as an admin). A configured principal (token holder, OAuth client) keeps its name: its token
 * is issued to that name, so a rename would leave a token that silently acts as someone else.
 * Deactivating (`active: false`) makes every token of the principal fail authentication until it is
 * reactivated (auth.ts); no one may deactivate themselves, which would lock the caller out (that
 * refusal and its text are unverified).
 */
const USER_ATTRS = { userName: 'required', displayName: 'string', active: 'boolean', emails: 'emails', externalId: 'string', entitlements: 'values', groups: 'values' } as const;
const SP_ATTRS = { applicationId: 'required', displayName: 'string', active: 'boolean', externalId: 'string', entitlements: 'values', groups: 'values' } as const;
type UserDraft = Draft<typeof USER_ATTRS>;
type SpDraft = Draft<typeof SP_ATTRS>;

const primaryEmail = (userName: string): Email[] => [{ type: 'work', value: userName, primary: true }];
const optional = <K extends string>(key: K, v: string | undefined) => (v ? { [key]: v } : {}) as Partial<Record<K, string>>;

function userDraft(dir: Directory, u: UserIdentity): UserDraft {
  const r = u.record;
  return {
    userName: u.userName,
    displayName: r?.displayName,
    active: r?.active ?? true,
    emails: r?.emails ?? primaryEmail(u.userName),
    externalId: r?.externalId,
    entitlements: r?.entitlements ?? [],
    groups: dir.directGroupsOf(u.id).map((g) => g.id),
  };
}

function spDraft(dir: Directory, s: SpIdentity): SpDraft {
  const r = s.record;
  return { applicationId: s.applicationId, displayName: r?.displayName, active: r?.active ?? true, externalId: r?.externalId, entitlements: r?.entitlements ?? [], groups: dir.directGroupsOf(s.id).map((g) => g.id) };
}

/** The rules for a configured principal (see above); `name` is its userName / applicationId. */
function keepConfigured(who: UserIdentity | SpIdentity, name: string): void {
  if (!who.configured) return;
  const [label, field, current] = who.kind === 'user' ? [`User ${who.userName}`, 'userName', who.userName] : [`Service principal ${who.applicationId}`, 'applicationId', who.applicationId];
  if (name !== current) throw scimBadRequest(`${label} is configured with a token or OAuth client in this emulator: its ${field} cannot change (the token is issued to that name).`);
}

/** Every check, then the write (`store` the record, then the memberships): a rejected edit changes nothing. */
function commit(dir: Directory, caller: Principal, who: UserIdentity | SpIdentity, name: string, d: { active: boolean; entitlements: string[]; groups: string[] }, store: (entitlements: string[]) => void): void {
  keepConfigured(who, name);
  if (!d.active && principalId(caller) === who.id) throw scimBadRequest('You cannot deactivate yourself.');
  if (who.kind === 'user') uniqueUserName(dir, name, who.id);
  else uniqueApplicationId(dir, name, who.id);
  const groups = [...new Set(d.groups)];
  checkGrants(dir, d.entitlements, groups);
  store([...new Set(d.entitlements)]);
  setDirectGroups(dir, who.id, groups);
  dir.changed();
}

function commitUser(dir: Directory, caller: Principal, u: UserIdentity, d: UserDraft): void {
  commit(dir, caller, u, d.userName, d, (entitlements) =>
    dir.users.set(u.id, { id: u.id, userName: d.userName, ...optional('displayName', d.displayName), emails: d.emails, active: d.active, ...optional('externalId', d.externalId), entitlements }),
  );
}

function commitSp(dir: Directory, caller: Principal, s: SpIdentity, d: SpDraft): void {
  commit(dir, caller, s, d.applicationId, d, (entitlements) =>
    dir.servicePrincipals.set(s.id, { id: s.id, applicationId: d.applicationId, ...optional('displayName', d.displayName), active: d.active, ...optional('externalId', d.externalId), entitlements }),
  );
}

export function principalEditRoutes(dir: Directory): RouteDef[] {
  const mapError = asScimError;
  const user = versions(['2.0'], '/preview/scim/v2/Users/{id}');
  const sp = versions(['2.0'], '/preview/scim/v2/ServicePrincipals/{id}');
  const patchRoute = (paths: string[], edit: (id: string | undefined, body: PatchBody, caller: Principal) => void) =>
    route({
      method: 'PATCH',
      paths,
      input: patchBody,
      mapError,
      handle(input, req) {
        requireAdmin(req);
        edit(req.params.id, input, req.principal);
        return new RawReply(204, '');
      },
    });
  return [
    route({
      method: 'PUT',
      paths: user,
      input: userBody,
      mapError,
      handle(input, req) {
        requireAdmin(req);
        const u = userOr404(dir, req.params.id);
        const emails = input.emails?.map((e) => ({ value: e.value, ...(e.type ? { type: e.type } : {}), ...(e.primary !== undefined ? { primary: e.primary } : {}) }));
        commitUser(dir, req.principal, u, {
          userName: input.userName,
          displayName: input.displayName,
          active: input.active ?? true,
          emails: emails ?? primaryEmail(input.userName),
          externalId: input.externalId,
          entitlements: values(input.entitlements),
          groups: values(input.groups),
        });
        return userView(dir, userOr404(dir, u.id));
      },
    }),
    patchRoute(user, (id, body, caller) => {
      const u = userOr404(dir, id);
      commitUser(dir, caller, u, applyPatch(userDraft(dir, u), body, USER_ATTRS));
    }),
    route({
      method: 'PUT',
      paths: sp,
      input: spBody,
      mapError,
      handle(input, req) {
        requireAdmin(req);
        const s = spOr404(dir, req.params.id);
        // The application id is the principal's key (the OAuth client id): a PUT without one keeps it.
        const d = { applicationId: input.applicationId ?? s.applicationId, displayName: input.displayName, active: input.active ?? true, externalId: input.externalId };
        commitSp(dir, req.principal, s, { ...d, entitlements: values(input.entitlements), groups: values(input.groups) });
        return servicePrincipalView(dir, spOr404(dir, s.id));
      },
    }),
    patchRoute(sp, (id, body, caller) => {
      const s = spOr404(dir, id);
      commitSp(dir, caller, s, applyPatch(spDraft(dir, s), body, SP_ATTRS));
    }),
  ];
}
