import { parentSecurables, type Grants, type Securable } from './grants.js';
import type { SecurableKind } from './privileges.js';

/**
 * Who may see a Unity Catalog object, one rule for the REST reads and lists
 * (services/unity-catalog/rest-access.ts) and SQL's SHOW and DESCRIBE (metadata-access.ts), as
 * the SDKs' docstrings state it for gets and lists: a walk from the catalog down, where at each
 * level above the object the caller either owns it (an owner of a catalog or schema reaches
 * everything in it) or needs USE CATALOG / USE SCHEMA there to go on, and then some privilege on the
 * object itself. The emulator's admins see everything.
 */

/** How a reader sees an object: whole, only its metadata (BROWSE on its catalog), or not at all. */
export type Sight = 'full' | 'browse' | undefined;

/** The privilege that lets a caller into a catalog or schema (and past it to what it holds). */
export const USE: Partial<Record<SecurableKind, string>> = { catalog: 'USE_CATALOG', schema: 'USE_SCHEMA' };

/** What a denied read names as missing on the object itself: the privilege the SDK docs say reading it takes. */
const READ: Partial<Record<SecurableKind, string>> = { catalog: 'USE_CATALOG', schema: 'USE_SCHEMA', table: 'SELECT', view: 'SELECT', volume: 'READ_VOLUME', function: 'EXECUTE' };

/** The object's catalog and schema (those it has), then the object. */
export function levelsOf(s: Securable): Securable[] {
  return [...parentSecurables(s), s];
}

/**
 * How `user` sees `s`: whole when it owns it or a level above it (reached with USE), or holds USE
 * on the levels above and some privilege on `s` (granted, through a group or inherited; BROWSE
 * aside); only its metadata when it holds BROWSE on the catalog; otherwise not at all.
 */
export function sightOf(grants: Grants, user: string, s: Securable): Sight {
  if (grants.isAdmin(user)) return 'full';
  for (const level of levelsOf(s)) {
    if (grants.owns(level, user)) return 'full';
    if (level !== s && !grants.hasPrivilege(level, user, USE[level.kind]!)) return browsing(grants, user, s);
  }
  return grants.holdsAny(s, user, ['BROWSE']) ? 'full' : browsing(grants, user, s);
}

/**
 * What stops a caller who cannot see `s` whole: the first level above it without USE, else `s`
 * with the privilege reading it takes.
 */
export function readBlocker(grants: Grants, user: string, s: Securable): { level: Securable; privilege: string } {
  for (const level of levelsOf(s)) {
    if (level !== s && !grants.hasPrivilege(level, user, USE[level.kind]!)) return { level, privilege: USE[level.kind]! };
  }
  return { level: s, privilege: READ[s.kind] ?? 'BROWSE' };
}

function browsing(grants: Grants, user: string, s: Securable): Sight {
  const catalog = s.kind === 'catalog' ? s : parentSecurables(s)[0];
  return catalog && grants.hasPrivilege(catalog, user, 'BROWSE') ? 'browse' : undefined;
}
