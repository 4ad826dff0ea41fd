import { METASTORE, UcError, type Grants, type Securable } from '../../sql/index.js';
import { doesNotHave, SECURABLE_LABEL } from '../../sql/privileges.js';
import { levelsOf, readBlocker, sightOf, USE, type Sight } from '../../sql/visibility.js';

/**
 * Unity Catalog privileges on the REST routes of catalogs, schemas, tables, volumes and functions,
 * on the grants SQL statements are checked against (Grants: direct, through groups, inherited from
 * the catalog and schema; owners; the emulator's admins pass everything). What each call needs is
 * what the SDKs' docstrings say (Python SDK 0.162.0 `service/catalog.py`), as a walk from the catalog
 * down to the object: at each level above it the caller either owns that level — an owner of a
 * catalog or schema reaches everything in it — or needs USE CATALOG / USE SCHEMA there to go on.
 * Every check runs before anything is written, so a denied request changes nothing.
 */

export type { Sight };

/**
 * 403 in the words real answers use: "User does not have CREATE CATALOG on Metastore 'primary'."
 * (terraform-databricks-examples#121), "… MANAGE and USE CATALOG on Catalog 'x'." (several missing on
 * one object, databricks-uc-quickstart#32).
 */
function denied(s: Pick<Securable, 'kind' | 'fullName'>, privileges: readonly string[]): UcError {
  return new UcError(403, 'PERMISSION_DENIED', doesNotHave(s, privileges));
}

export class RestAccess {
  readonly admin: boolean;

  constructor(
    private readonly grants: Grants,
    readonly user: string,
  ) {
    this.admin = grants.isAdmin(user);
  }

  /** Admins, or CREATE CATALOG on the metastore (granted directly or to a group of the caller). */
  requireCreateCatalog(): void {
    if (this.admin) return;
    if (!this.grants.hasPrivilege(METASTORE, this.user, 'CREATE_CATALOG')) throw denied(METASTORE, ['CREATE_CATALOG']);
  }

  /**
   * Creating in `parent` (a catalog for schemas, a schema for tables, volumes, functions): USE on the
   * parent and each level above it, and `privilege` on the parent, as SQL's CREATE checks them (an
   * owner holds every privilege on what it owns; owning the catalog gives none on its schemas).
   */
  requireCreate(parent: Securable, privilege: string): void {
    this.requirePrivileges(parent, [privilege]);
  }

  /**
   * USE on each level down to `s` (and on `s` when it is a catalog or schema) and every one of
   * `privileges` on `s`, each held as statements need them (Grants.hasPrivilege: the owner of that
   * very object, or granted, through a group or inherited): owning a catalog or schema gives none on
   * what it holds. Only names are read, so a caller who may not pass learns nothing of what exists
   * below. 403 names the first level short of something, with all it misses there.
   */
  requirePrivileges(s: Securable, privileges: readonly string[]): void {
    if (this.admin) return;
    for (const level of levelsOf(s)) {
      const missing = [USE[level.kind], ...(level === s ? privileges : [])].filter((p): p is string => p !== undefined && !this.grants.hasPrivilege(level, this.user, p));
      if (missing.length > 0) throw denied(level, missing);
    }
  }

  /** How the caller sees `s` (the rule SQL's SHOW and DESCRIBE share: sql/visibility.ts). */
  sight(s: Securable): Sight {
    return sightOf(this.grants, this.user, s);
  }

  /**
   * What a list shows, in order, each with its sight (read once, for the filter and the answer):
   * BROWSE-only objects only when the caller asked for them (`include_browse`).
   */
  visible<T>(items: readonly T[], securableOf: (item: T) => Securable, includeBrowse = false): { item: T; sight: Exclude<Sight, undefined> }[] {
    const out: { item: T; sight: Exclude<Sight, undefined> }[] = [];
    for (const item of items) {
      const sight = this.sight(securableOf(item));
      if (sight === 'full' || (sight === 'browse' && includeBrowse)) out.push({ item, sight });
    }
    return out;
  }

  /** A get: the sight, or 403 naming the first level the caller cannot pass. */
  requireRead(s: Securable, includeBrowse = false): Exclude<Sight, undefined> {
    const sight = this.sight(s);
    if (sight === 'full' || (sight === 'browse' && includeBrowse)) return sight;
    const { level, privilege } = readBlocker(this.grants, this.user, s);
    throw denied(level, [privilege]);
  }

  /**
   * A PATCH or DELETE: an owner of the object or of a level above it (with USE on the levels above
   * that), or MANAGE on the object (granted or inherited) with USE on every level down to it, the
   * object included when it is a catalog or schema (a real delete of a catalog answered "does not have
   * MANAGE and USE CATALOG"). A new `owner` only from an owner: MANAGE does not give the object away.
   */
  requireChange(s: Securable, changesOwner = false): void {
    if (this.admin) return;
    for (const level of levelsOf(s)) {
      if (this.grants.owns(level, this.user)) return;
      if (level !== s && !this.grants.hasPrivilege(level, this.user, USE[level.kind]!)) throw denied(level, [USE[level.kind]!]);
    }
    const missing = ['MANAGE', USE[s.kind]].filter((p): p is string => p !== undefined && !this.grants.hasPrivilege(s, this.user, p));
    if (missing.length > 0) throw denied(s, missing);
    // Unverified text.
    if (changesOwner) throw new UcError(403, 'PERMISSION_DENIED', `User is not an owner of ${SECURABLE_LABEL[s.kind]} '${s.fullName}'.`);
  }

  /**
   * Who an answer may record as owner of an object it shows for the first time (one SQL made without
   * metadata): the caller for admins, as before, but never a non-admin, or reading would hand it over.
   */
  firstSight(adminUser: string): string {
    return this.admin ? this.user : adminUser;
  }
}
