import { z } from 'zod';
import { bool } from '../../http/validation.js';
import type { Directory } from './directory.js';
import { scimBadRequest, scimConflict, scimNotFound } from './errors.js';
import { USERS_ID } from './ids.js';
import type { Identity } from './records.js';

/** What create, replace and patch of users and service principals share: bodies, lookups, rules. */
export type UserIdentity = Extract<Identity, { kind: 'user' }>;
export type SpIdentity = Extract<Identity, { kind: 'service_principal' }>;

const complex = z.object({ value: z.string().min(1, 'must not be empty') });
const common = {
  displayName: z.string().optional(),
  active: bool().optional(),
  externalId: z.string().optional(),
  entitlements: z.array(complex).optional(),
  groups: z.array(complex).optional(),
  schemas: z.array(z.string()).optional(),
};
/** `roles` (AWS instance profiles) is not modelled: left out of the schema, so it is dropped. */
export const userBody = z.object({
  userName: z.string().refine((s) => s.trim() !== '', 'must not be empty'),
  emails: z.array(z.object({ value: z.string().min(1, 'must not be empty'), type: z.string().optional(), primary: bool().optional() })).optional(),
  ...common,
});
export const spBody = z.object({ applicationId: z.string().refine((s) => s.trim() !== '', 'must not be empty').optional(), ...common });

export const values = (list: { value: string }[] | undefined): string[] => [...new Set((list ?? []).map((e) => e.value))];

export function userOr404(dir: Directory, id: string | undefined): UserIdentity {
  const u = dir.allUsers().find((x) => x.id === id);
  if (!u) throw scimNotFound('User not found.');
  return u;
}

export function spOr404(dir: Directory, id: string | undefined): SpIdentity {
  const s = dir.allServicePrincipals().find((x) => x.id === id);
  if (!s) throw scimNotFound('Service principal not found.');
  return s;
}

/** userName is unique case-insensitively (`self`: the user being edited, who may keep theirs). */
export function uniqueUserName(dir: Directory, userName: string, self?: string): void {
  const wanted = userName.toLowerCase();
  if (dir.allUsers().some((u) => u.id !== self && u.userName.toLowerCase() === wanted)) throw scimConflict(`User with username ${userName} already exists.`);
}

export function uniqueApplicationId(dir: Directory, applicationId: string, self?: string): void {
  if (dir.allServicePrincipals().some((s) => s.id !== self && s.applicationId === applicationId)) throw scimConflict(`Service principal with application id ${applicationId} already exists.`);
}

/** Entitlements known; groups existing and not `users` (every principal is in it implicitly). */
export function checkGrants(dir: Directory, entitlements: readonly string[], groups: readonly string[]): void {
  dir.checkEntitlements(entitlements);
  for (const id of groups) {
    if (!dir.findGroup(id)) throw scimBadRequest(`Invalid group ${id}: no group has this id.`);
    if (id === USERS_ID) throw scimBadRequest('Every principal is in the users group; it cannot be given in groups.');
  }
}

/** Makes `groups` the principal's direct memberships: joins the new ones, leaves the others. */
export function setDirectGroups(dir: Directory, id: string, groups: readonly string[]): void {
  const now = dir.directGroupsOf(id).map((g) => g.id);
  for (const g of groups) if (!now.includes(g)) dir.setMembers(g, [...dir.membersOf(g), id]);
  for (const g of now) if (!groups.includes(g)) dir.setMembers(g, dir.membersOf(g).filter((m) => m !== id));
}
