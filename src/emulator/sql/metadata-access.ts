import { insufficientPrivileges } from './errors.js';
import type { Grants, Securable } from './grants.js';
import { doesNotHave } from './privileges.js';
import { levelsOf, readBlocker, sightOf, USE } from './visibility.js';

/**
 * Unity Catalog privileges on the statements that read metadata: SHOW CATALOGS|SCHEMAS|TABLES list
 * only what the caller may see, DESCRIBE and SHOW COLUMNS need sight of the table, and SHOW GRANTS
 * who may see grants — the rules the REST reads use (visibility.ts). The emulator's admins pass.
 * USE CATALOG / USE SCHEMA are not checked here: the USE statement's docs name no privilege.
 */
export class MetadataAccess {
  constructor(
    private readonly grants: Grants,
    private readonly user: string,
  ) {}

  /**
   * What a SHOW lists: the objects the caller sees whole, as the REST lists without `include_browse`
   * (the docs: to view objects with SQL, at least SELECT on the object and USE on its parents).
   */
  visible<T>(items: readonly T[], securableOf: (item: T) => Securable): T[] {
    if (this.grants.isAdmin(this.user)) return [...items];
    return items.filter((item) => sightOf(this.grants, this.user, securableOf(item)) === 'full');
  }

  /** DESCRIBE / SHOW COLUMNS: sight of the table, or the first level the caller cannot pass. */
  requireRead(s: Securable): void {
    if (sightOf(this.grants, this.user, s) === 'full') return;
    const { level, privilege } = readBlocker(this.grants, this.user, s);
    throw insufficientPrivileges([doesNotHave(level, [privilege])]);
  }

  /**
   * SHOW GRANTS, per its docs: a workspace admin, the owner of the object, a holder of MANAGE on it
   * with USE CATALOG / USE SCHEMA on its parents, or the user named as principal (its own grants). An
   * owner of the object's catalog or schema counts as an owner, as it may GRANT there.
   */
  requireShowGrants(s: Securable, principal: string | undefined): void {
    if (this.grants.isAdmin(this.user) || principal === this.user) return;
    const missing: string[] = [];
    for (const level of levelsOf(s)) {
      if (this.grants.owns(level, this.user)) return;
      if (level !== s && !this.grants.hasPrivilege(level, this.user, USE[level.kind]!)) missing.push(doesNotHave(level, [USE[level.kind]!]));
    }
    if (!this.grants.hasPrivilege(s, this.user, 'MANAGE')) missing.push(doesNotHave(s, ['MANAGE']));
    if (missing.length > 0) throw insufficientPrivileges(missing);
  }
}
