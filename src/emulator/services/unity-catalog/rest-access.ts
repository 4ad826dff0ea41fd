import { METASTORE_KEY, METASTORE_NAME, parentSecurables, UcError, type Grants, type Securable } from '../../sql/index.js';
import { SECURABLE_LABEL, type SecurableKind } from '../../sql/privileges.js';

/**
 * Unity Catalog privileges on the REST routes of catalogs, schemas, tables, volumes and functions,
 * on the grants SQL statements are checked against (Grants: direct, through groups, inherited from
 * the catalog and schema; owners; the emulator's admins pass everything). What each call needs is
 * what the SDKs' docstrings say (Python SDK 0.162.0 `service/catalog.py`), as a walk from the catalog
 * down to the object: at each level above it the caller either owns that level — an owner of a
 * catalog or schema reaches everything in it — or needs USE CATALOG / USE SCHEMA there to go on.
 * Every check runs before anything is written, so a denied request changes nothing.
 */

/** How a reader sees an object: whole, only its metadata (BROWSE on its catalog), or not at all. */
export type Sight = 'full' | 'browse' | undefined;

/** The privilege that lets a caller into a catalog or schema (and past it to what it holds). */
const USE: Partial<Record<SecurableKind, string>> = { catalog: 'USE_CATALOG', schema: 'USE_SCHEMA' };

/** What a denied read names as missing on the object itself: the privilege the SDK docs say reading it takes. */
const READ: Partial<Record<SecurableKind, string>> = { catalog: 'USE_CATALOG', schema: 'USE_SCHEMA', table: 'SELECT', view: 'SELECT', volume: 'READ_VOLUME', function: 'EXECUTE' };

/**
 * 403 in the words real answers use: "User does not have CREATE CATALOG on Metastore 'primary'."
 * (terraform-databricks-examples#121), "… MANAGE and USE CATALOG on Catalog 'x'." (several missing on
 * one object, databricks-uc-quickstart#32).
 */
function denied(s: Pick<Securable, 'kind' | 'fullName'>, privileges: readonly string[]): UcError {
  return new UcError(403, 'PERMISSION_DENIED', `User does not have ${privileges.map((p) => p.replace(/_/g, ' ')).join(' and ')} on ${SECURABLE_LABEL[s.kind]} '${s.fullName}'.`);
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
    const metastore: Securable = { kind: 'metastore', fullName: METASTORE_NAME, key: METASTORE_KEY, parents: [] };
    if (!this.grants.hasPrivilege(metastore, this.user, 'CREATE_CATALOG')) throw denied(metastore, ['CREATE_CATALOG']);
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
    for (const level of this.levels(s)) {
      const missing = [USE[level.kind], ...(level === s ? privileges : [])].filter((p): p is string => p !== undefined && !this.grants.hasPrivilege(level, this.user, p));
      if (missing.length > 0) throw denied(level, missing);
    }
  }

  /**
   * How the caller sees `s`: whole when it owns it or a level above it (reached with USE), or holds
   * USE on the levels above and some privilege on `s` (granted, through a group or inherited; BROWSE
   * aside); only its metadata when it holds BROWSE on the catalog; otherwise not at all.
   */
  sight(s: Securable): Sight {
    if (this.admin) return 'full';
    for (const level of this.levels(s)) {
      if (this.grants.owns(level, this.user)) return 'full';
      if (level !== s && !this.grants.hasPrivilege(level, this.user, USE[level.kind]!)) return this.browsing(s);
    }
    return this.grants.holdsAny(s, this.user, ['BROWSE']) ? 'full' : this.browsing(s);
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
    for (const level of this.levels(s)) {
      if (level !== s && !this.grants.hasPrivilege(level, this.user, USE[level.kind]!)) throw denied(level, [USE[level.kind]!]);
    }
    throw denied(s, [READ[s.kind] ?? 'BROWSE']);
  }

  /**
   * A PATCH or DELETE: an owner of the object or of a level above it (with USE on the levels above
   * that), or MANAGE on the object (granted or inherited) with USE on every level down to it, the
   * object included when it is a catalog or schema (a real delete of a catalog answered "does not have
   * MANAGE and USE CATALOG"). A new `owner` only from an owner: MANAGE does not give the object away.
   */
  requireChange(s: Securable, changesOwner = false): void {
    if (this.admin) return;
    for (const level of this.levels(s)) {
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

  private levels(s: Securable): Securable[] {
    return [...parentSecurables(s), s];
  }

  private browsing(s: Securable): Sight {
    const catalog = s.kind === 'catalog' ? s : parentSecurables(s)[0];
    return catalog && this.grants.hasPrivilege(catalog, this.user, 'BROWSE') ? 'browse' : undefined;
  }
}
