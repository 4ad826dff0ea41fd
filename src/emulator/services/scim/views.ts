import type { Directory } from './directory.js';
import { GROUP_SCHEMAS, SERVICE_PRINCIPAL_SCHEMAS, USER_SCHEMAS } from './ids.js';
import type { Identity } from './records.js';

/**
 * Resources as the API returns them. Empty multi-valued attributes are left out (as real answers
 * do for a group without members). `meta.resourceType: "WorkspaceGroup"` marks a workspace-local
 * group (the SDK documents meta as "workspace local versus account"; the value is unverified).
 */
const REF = { user: 'Users', service_principal: 'ServicePrincipals', group: 'Groups' } as const;

export function displayOf(i: Identity): string {
  if (i.kind === 'group') return i.displayName;
  if (i.kind === 'user') return i.record?.displayName ?? localPart(i.userName);
  return i.record?.displayName ?? i.applicationId;
}

function localPart(userName: string): string {
  return userName.split('@')[0] ?? userName;
}

const values = (list: readonly string[]) => list.map((value) => ({ value }));
const nonEmpty = <T>(key: string, list: T[]): Record<string, T[]> => (list.length > 0 ? { [key]: list } : {});

function groupsAttr(dir: Directory, id: string): Record<string, unknown> {
  return nonEmpty(
    'groups',
    dir.directGroupsOf(id).map((g) => ({ display: g.displayName, type: 'direct', value: g.id, $ref: `Groups/${g.id}` })),
  );
}

export function groupView(dir: Directory, g: Extract<Identity, { kind: 'group' }>): Record<string, unknown> {
  const record = dir.groups.get(g.id);
  const members = dir.membersOf(g.id).flatMap((id) => {
    const m = dir.find(id);
    return m ? [{ display: displayOf(m), value: id, $ref: `${REF[m.kind]}/${id}` }] : [];
  });
  return {
    displayName: g.displayName,
    ...nonEmpty('members', members),
    ...groupsAttr(dir, g.id),
    ...nonEmpty('entitlements', values(record?.entitlements ?? [])),
    ...(record?.externalId ? { externalId: record.externalId } : {}),
    id: g.id,
    meta: { resourceType: 'WorkspaceGroup' },
    schemas: GROUP_SCHEMAS,
  };
}

export function userView(dir: Directory, u: Extract<Identity, { kind: 'user' }>): Record<string, unknown> {
  const r = u.record;
  const local = localPart(u.userName);
  return {
    id: u.id,
    userName: u.userName,
    displayName: r?.displayName ?? local,
    active: r?.active ?? true,
    emails: r?.emails ?? [{ type: 'work', value: u.userName, primary: true }],
    name: { givenName: r?.displayName ?? local },
    ...groupsAttr(dir, u.id),
    ...nonEmpty('entitlements', values(r?.entitlements ?? [])),
    ...(r?.externalId ? { externalId: r.externalId } : {}),
    schemas: USER_SCHEMAS,
  };
}

export function servicePrincipalView(dir: Directory, s: Extract<Identity, { kind: 'service_principal' }>): Record<string, unknown> {
  const r = s.record;
  return {
    id: s.id,
    applicationId: s.applicationId,
    displayName: r?.displayName ?? s.applicationId,
    active: r?.active ?? true,
    ...groupsAttr(dir, s.id),
    ...nonEmpty('entitlements', values(r?.entitlements ?? [])),
    ...(r?.externalId ? { externalId: r.externalId } : {}),
    schemas: SERVICE_PRINCIPAL_SCHEMAS,
  };
}

/** `Me`: the caller in the User shape (a service principal's `userName` is its application id). */
export function meView(dir: Directory, id: string, userName: string): Record<string, unknown> {
  const local = localPart(userName);
  return {
    id,
    userName,
    displayName: local,
    active: true,
    emails: [{ type: 'work', value: userName, primary: true }],
    name: { givenName: local },
    groups: dir.directGroupsOf(id).map((g) => ({ display: g.displayName, type: 'direct', value: g.id, $ref: `Groups/${g.id}` })),
    schemas: USER_SCHEMAS,
  };
}
