import type { Principal } from '../../auth.js';
import { scimBadRequest } from './errors.js';
import { ADMINS_ID, principalId, USERS_ID } from './ids.js';
import { ENTITLEMENTS, type GroupRecord, type Identity, type ServicePrincipalRecord, type UserRecord } from './records.js';

/** A service principal the workspace has without SCIM: an OAuth M2M client (named by its application id). */
export interface ConfiguredServicePrincipal {
  applicationId: string;
  /** The principal its tokens act as (for its id: the same one `Me` answers). */
  principal: Pick<Principal, 'kind' | 'userName'>;
}

/**
 * Who exists in the workspace and who belongs to which group. Users and service principals are
 * the configured ones (token holders, OAuth clients — read live, since tests add them at run time)
 * plus those created through SCIM. Groups are the two built-ins plus created ones:
 * - `admins`: the configured admins, adjusted by SCIM adds/removes (which change who is an admin,
 *   see `adminOverride`);
 * - `users`: every user and service principal; its membership cannot be edited.
 * Membership answers are cached until the next change, because the permissions guard asks on hot
 * paths (runs/get of a job with an ACL).
 */
export class Directory {
  readonly groups = new Map<string, GroupRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly servicePrincipals = new Map<string, ServicePrincipalRecord>();
  /** Admins-group edits relative to the configured admins (principal/group ids). */
  readonly adminsAdded = new Set<string>();
  readonly adminsRemoved = new Set<string>();
  private memo = new Map<string, string[]>();

  constructor(
    private readonly configured: () => Principal[],
    private readonly configuredSps: () => ConfiguredServicePrincipal[],
  ) {}

  /** Call after every change. */
  changed(): void {
    this.memo = new Map();
  }

  // ---- identities ----

  /**
   * A configured principal edited through SCIM (PUT/PATCH) keeps its edits as a record under its
   * own id in `users` / `servicePrincipals`; it stays configured (its name is the token's).
   */
  allUsers(): Extract<Identity, { kind: 'user' }>[] {
    const out: Extract<Identity, { kind: 'user' }>[] = [];
    const configuredIds = new Set<string>();
    for (const p of this.configured()) {
      if (p.kind !== 'user') continue;
      const id = principalId(p);
      const record = this.users.get(id);
      configuredIds.add(id);
      out.push({ kind: 'user', id, userName: p.userName, configured: true, ...(record ? { record } : {}) });
    }
    for (const u of this.users.values()) if (!configuredIds.has(u.id)) out.push({ kind: 'user', id: u.id, userName: u.userName, configured: false, record: u });
    return out;
  }

  allServicePrincipals(): Extract<Identity, { kind: 'service_principal' }>[] {
    const out = new Map<string, Extract<Identity, { kind: 'service_principal' }>>();
    const configured = (id: string, applicationId: string, userName: string) => {
      const record = this.servicePrincipals.get(id);
      out.set(applicationId, { kind: 'service_principal', id, applicationId, userName, configured: true, ...(record ? { record } : {}) });
    };
    for (const p of this.configured()) if (p.kind === 'service_principal') configured(principalId(p), p.userName, p.userName);
    for (const c of this.configuredSps()) if (!out.has(c.applicationId)) configured(principalId(c.principal), c.applicationId, c.principal.userName);
    const configuredIds = new Set([...out.values()].map((s) => s.id));
    for (const s of this.servicePrincipals.values()) {
      if (!configuredIds.has(s.id)) out.set(`created:${s.id}`, { kind: 'service_principal', id: s.id, applicationId: s.applicationId, userName: s.applicationId, configured: false, record: s });
    }
    return [...out.values()];
  }

  allGroups(): Extract<Identity, { kind: 'group' }>[] {
    return [
      { kind: 'group', id: ADMINS_ID, displayName: 'admins', system: 'admins' },
      { kind: 'group', id: USERS_ID, displayName: 'users', system: 'users' },
      ...[...this.groups.values()].map((g) => ({ kind: 'group' as const, id: g.id, displayName: g.displayName })),
    ];
  }

  find(id: string): Identity | undefined {
    return this.allGroups().find((g) => g.id === id) ?? this.allUsers().find((u) => u.id === id) ?? this.allServicePrincipals().find((s) => s.id === id);
  }

  findGroup(id: string): Extract<Identity, { kind: 'group' }> | undefined {
    return this.allGroups().find((g) => g.id === id);
  }

  groupByName(displayName: string): Extract<Identity, { kind: 'group' }> | undefined {
    return this.allGroups().find((g) => g.displayName === displayName);
  }

  // ---- membership ----

  private configuredAdminIds(): string[] {
    return this.configured()
      .filter((p) => p.isAdmin)
      .map(principalId);
  }

  /** Member ids of a group, computed for the built-ins. */
  membersOf(groupId: string): string[] {
    if (groupId === USERS_ID) return [...this.allUsers(), ...this.allServicePrincipals()].map((i) => i.id);
    if (groupId === ADMINS_ID) {
      const ids = this.configuredAdminIds().filter((id) => !this.adminsRemoved.has(id));
      for (const id of this.adminsAdded) if (!ids.includes(id)) ids.push(id);
      return ids;
    }
    return this.groups.get(groupId)?.members ?? [];
  }

  /** Stores a new member list; for `admins` as the difference from the configured admins. */
  setMembers(groupId: string, ids: string[]): void {
    if (groupId === USERS_ID) throw scimBadRequest('The members of the users group are every user and service principal of the workspace; they cannot be changed.');
    if (groupId === ADMINS_ID) {
      const configured = new Set(this.configuredAdminIds());
      this.adminsAdded.clear();
      this.adminsRemoved.clear();
      for (const id of ids) if (!configured.has(id)) this.adminsAdded.add(id);
      for (const id of configured) if (!ids.includes(id)) this.adminsRemoved.add(id);
    } else {
      const g = this.groups.get(groupId);
      if (g) g.members = ids;
    }
    this.changed();
  }

  /** Groups that list `id` as a direct member; `users` only when asked (real `groups` attributes leave it out). */
  directGroupsOf(id: string, withUsers = false): Extract<Identity, { kind: 'group' }>[] {
    return this.allGroups().filter((g) => (withUsers || g.system !== 'users') && this.membersOf(g.id).includes(id));
  }

  /** Ids of every group `id` belongs to, directly or through nested groups (`users` included for principals). */
  transitiveGroupIds(id: string): string[] {
    const cached = this.memo.get(id);
    if (cached) return cached;
    const seen = new Set<string>();
    const queue = [id];
    while (queue.length > 0) {
      const cur = queue.shift()!;
      for (const g of this.directGroupsOf(cur, true)) {
        if (!seen.has(g.id)) {
          seen.add(g.id);
          queue.push(g.id);
        }
      }
    }
    const out = [...seen];
    this.memo.set(id, out);
    return out;
  }

  /** Whether a principal is an admin now, when SCIM edits of `admins` changed that (undefined = as configured). */
  /** False once SCIM set the principal's `active` to false (its tokens then authenticate no one). */
  isActive(p: Principal): boolean {
    const id = principalId(p);
    return (p.kind === 'user' ? this.users.get(id) : this.servicePrincipals.get(id))?.active !== false;
  }

  adminOverride(p: Principal): boolean | undefined {
    if (this.adminsAdded.size === 0 && this.adminsRemoved.size === 0) return undefined;
    return this.transitiveGroupIds(principalId(p)).includes(ADMINS_ID);
  }

  /** Drops a deleted identity from every group it was in. */
  forget(id: string): void {
    for (const g of this.groups.values()) g.members = g.members.filter((m) => m !== id);
    this.adminsAdded.delete(id);
    this.adminsRemoved.delete(id);
    this.changed();
  }

  // ---- checks shared by create, replace and patch ----

  /** Member references must name existing identities, not the group itself nor one that contains it. */
  checkMembers(groupId: string | undefined, ids: readonly string[]): void {
    for (const id of ids) {
      const who = this.find(id);
      if (!who) throw scimBadRequest(`Invalid member ${id}: no user, service principal or group has this id.`);
      if (groupId !== undefined && who.kind === 'group' && (id === groupId || this.transitiveGroupIds(groupId).includes(id))) {
        throw scimBadRequest(`Group ${who.displayName} cannot be a member of itself or of a group it contains.`);
      }
      if (who.kind === 'group' && who.system === 'users') throw scimBadRequest('The users group cannot be a member of another group.');
    }
  }

  checkEntitlements(values: readonly string[]): void {
    for (const v of values) if (!ENTITLEMENTS.has(v)) throw scimBadRequest(`Invalid entitlement ${JSON.stringify(v)}: expected one of ${[...ENTITLEMENTS].join(', ')}.`);
  }
}
