import { createHash } from 'node:crypto';
import type { Principal } from '../../auth.js';

/** SCIM resource schemas as real answers carry them. */
export const USER_SCHEMAS = ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:workspace:2.0:User'];
export const GROUP_SCHEMAS = ['urn:ietf:params:scim:schemas:core:2.0:Group'];
export const SERVICE_PRINCIPAL_SCHEMAS = ['urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal'];
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/**
 * Ids are decimal strings like real SCIM ids. Principals configured by token (and the built-in
 * groups) have no stored id, so theirs are stable digests of their name: the same on every start
 * and after a reset, which tests and token management (`created_by_id`) rely on.
 */
export function scimId(name: string): string {
  let id = knownIds.get(name);
  if (id === undefined) {
    // Asked for on most requests (is the caller active, an admin?): a digest each time showed in profiles.
    if (knownIds.size >= MAX_KNOWN_IDS) knownIds.clear();
    id = BigInt(`0x${createHash('sha256').update(name).digest('hex').slice(0, 13)}`).toString();
    knownIds.set(name, id);
  }
  return id;
}

const knownIds = new Map<string, string>();
/** Principal names are few; the bound only keeps a workspace that churns through names from growing the map. */
const MAX_KNOWN_IDS = 10_000;

/** A principal's SCIM id (what `Me` answers); other services report it as a user id (token management's `created_by_id`). */
export function principalId(p: Pick<Principal, 'kind' | 'userName'>): string {
  return scimId(`${p.kind}:${p.userName}`);
}

export const ADMINS_ID = scimId('group:admins');
export const USERS_ID = scimId('group:users');
