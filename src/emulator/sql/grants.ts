import type { MetadataStore } from './metadata.js';
import { METASTORE_KEY, METASTORE_NAME, type MetastoreObjectKind } from './metastore-objects.js';
import { doesNotHave, isApplicable, normalizePrivilege, requireApplicable, SECURABLE_TYPE_NAME, type SecurableKind } from './privileges.js';
import { UcError } from './uc-error.js';
import type { VolumeRef, Volumes } from './volumes.js';

/**
 * Unity Catalog grants: privileges of principals on catalogs, schemas, tables (and views), volumes
 * and functions. They live in each object's metadata entry, so they go when the object goes (a REST
 * delete, a SQL DROP, a cascade) and a re-created object starts with none. Privileges are
 * inherited downward: catalog → schema → table/volume/function.
 */

/** The object a grant names, with its parents (outermost first) for inheritance and ownership. */
export interface Securable {
  kind: SecurableKind;
  fullName: string;
  /** Its metadata key. */
  key: string;
  parents: { kind: 'catalog' | 'schema'; fullName: string; key: string }[];
}

export interface PrivilegeAssignment {
  principal: string;
  privileges: string[];
}

export interface EffectivePrivilege {
  privilege: string;
  inherited_from_type?: string;
  inherited_from_name?: string;
}

export interface PermissionsChange {
  principal: string;
  add?: string[] | undefined;
  remove?: string[] | undefined;
}

/**
 * The securable for names already known to exist (a list's items), without the existence checks of
 * Grants.resolve: `key` is the metadata key where it differs from the full name (volumes, functions).
 */
export function securableFor(kind: 'catalog' | 'schema' | 'table' | 'view' | 'volume' | 'function', names: readonly string[], key?: string): Securable {
  const [c, s] = names as [string, string];
  const parents: Securable['parents'] = [];
  if (names.length > 1) parents.push({ kind: 'catalog', fullName: c, key: c });
  if (names.length > 2) parents.push({ kind: 'schema', fullName: `${c}.${s}`, key: `${c}.${s}` });
  const fullName = names.join('.');
  return { kind, fullName, key: key ?? fullName, parents };
}

/** A volume as a securable: its grants live under its own metadata key (volumes.ts), not under its name. */
export function volumeSecurable(volumes: Pick<Volumes, 'key'>, r: VolumeRef): Securable {
  return securableFor('volume', [r.catalog, r.schema, r.name], volumes.key(r));
}

/** The metastore as the securable of its privileges (CREATE CATALOG, …), named as permission errors name it. */
export const METASTORE: Securable = { kind: 'metastore', fullName: METASTORE_NAME, key: METASTORE_KEY, parents: [] };

/** The parents of a schema, table, volume or function as securables of their own (outermost first). */
export function parentSecurables(s: Securable): Securable[] {
  return s.parents.map((p, i) => ({ kind: p.kind, fullName: p.fullName, key: p.key, parents: s.parents.slice(0, i) }));
}

/** What resolving a securable needs from the catalog: existence checks that throw the API's 404s. */
export interface SecurableLookup {
  requireCatalog(catalog: string): Promise<void>;
  requireSchema(catalog: string, schema: string): Promise<void>;
  /** [schema, name, isView, sql] of an existing table or view. */
  findTable(catalog: string, schema: string, name: string): Promise<[string, string, boolean, string | null]>;
  findVolume(v: VolumeRef): Promise<unknown>;
  volumeKey(v: VolumeRef): string;
  /** The metadata key of an existing function (its 404 otherwise). */
  functionKey(catalog: string, schema: string, name: string): Promise<string>;
  metastoreId: string;
  /** The metadata key of an existing storage credential, external location or connection (its 404 otherwise). */
  metastoreObjectKey(kind: MetastoreObjectKind, name: string): string;
}

/**
 * Who exists and who may do what: the workspace's principals (the emulator's tokens and SCIM
 * directory). A standalone engine (no emulator around it) knows only its default user, as admin.
 */
export interface GrantDirectory {
  /** A user, service principal (application id) or group a grant may name. */
  exists(name: string): boolean;
  /** The names a user acts as: itself and the groups it belongs to. */
  actsAs(user: string): string[];
  isAdmin(user: string): boolean;
}

export function standaloneDirectory(adminUser: string): GrantDirectory {
  return { exists: () => true, actsAs: (user) => [user], isAdmin: (user) => user === adminUser };
}

/** Securable types real workspaces have that the emulator does not (their grants answer 501). */
const NOT_EMULATED = new Set(['credential', 'share', 'recipient', 'provider', 'clean_room', 'model', 'pipeline', 'staging_table', 'external_metadata']);

export class Grants {
  constructor(
    private readonly meta: MetadataStore,
    private readonly lookup: SecurableLookup,
    private readonly directory: GrantDirectory,
  ) {}

  /** The object behind `{securable_type}/{full_name}`; 404 (the object's own error) when it does not exist. */
  async resolve(securableType: string, fullName: string): Promise<Securable> {
    const type = securableType.toLowerCase();
    const parts = fullName.toLowerCase().split('.');
    const expect = (n: number, shape: string) => {
      if (parts.length !== n || parts.some((p) => p === '')) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Invalid ${type} name '${fullName}': expected ${shape}.`);
    };
    switch (type) {
      case 'catalog': {
        expect(1, 'catalog');
        await this.lookup.requireCatalog(parts[0]!);
        return securableFor('catalog', parts);
      }
      case 'schema': {
        expect(2, 'catalog.schema');
        const [c, s] = parts as [string, string];
        await this.lookup.requireSchema(c, s);
        return securableFor('schema', parts);
      }
      case 'table': {
        expect(3, 'catalog.schema.table');
        const [c, s, t] = parts as [string, string, string];
        await this.lookup.requireSchema(c, s);
        const [, , isView] = await this.lookup.findTable(c, s, t);
        return securableFor(isView ? 'view' : 'table', parts);
      }
      case 'volume': {
        expect(3, 'catalog.schema.volume');
        const [c, s, v] = parts as [string, string, string];
        const ref = { catalog: c, schema: s, name: v };
        await this.lookup.findVolume(ref);
        return securableFor('volume', parts, this.lookup.volumeKey(ref));
      }
      case 'function': {
        expect(3, 'catalog.schema.function');
        const [c, s, f] = parts as [string, string, string];
        return securableFor('function', parts, await this.lookup.functionKey(c, s, f));
      }
      case 'metastore':
        if (fullName.toLowerCase() !== this.lookup.metastoreId) throw new UcError(404, 'METASTORE_DOES_NOT_EXIST', `Metastore '${fullName}' does not exist.`);
        return { kind: 'metastore', fullName: this.lookup.metastoreId, key: METASTORE_KEY, parents: [] };
      case 'storage_credential':
      case 'external_location':
      case 'connection': {
        // Metastore-level: no parents, and metastore grants are not inherited by them.
        const key = this.lookup.metastoreObjectKey(type, fullName);
        return { kind: type, fullName: fullName.toLowerCase(), key, parents: [] };
      }
      default:
        if (NOT_EMULATED.has(type)) throw new UcError(501, 'NOT_IMPLEMENTED', `not supported by the emulator: grants on ${type.toUpperCase()} securables`);
        throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Invalid securable type '${securableType}'.`);
    }
  }

  /** Direct grants on the object (no inherited ones), by principal. */
  assignments(s: Securable, principal?: string): PrivilegeAssignment[] {
    const grants = this.meta.get(s.key)?.grants ?? {};
    return Object.keys(grants)
      .filter((p) => principal === undefined || p === principal)
      .sort()
      .map((p) => ({ principal: p, privileges: [...(grants[p] ?? [])] }));
  }

  /**
   * Direct grants plus those inherited from the parents, limited to privileges that apply to the
   * object (USE_CATALOG on a catalog is not a privilege of its tables).
   */
  effective(s: Securable, principal?: string): { principal: string; privileges: EffectivePrivilege[] }[] {
    const byPrincipal = new Map<string, EffectivePrivilege[]>();
    const add = (key: string, from?: { type: string; name: string }) => {
      for (const [p, privileges] of Object.entries(this.meta.get(key)?.grants ?? {})) {
        if (principal !== undefined && p !== principal) continue;
        const list = byPrincipal.get(p) ?? [];
        for (const privilege of privileges) {
          if (from && !isApplicable(s.kind, privilege)) continue;
          list.push({ privilege, ...(from ? { inherited_from_type: from.type, inherited_from_name: from.name } : {}) });
        }
        if (list.length > 0) byPrincipal.set(p, list);
      }
    };
    add(s.key);
    for (const parent of s.parents) add(parent.key, { type: SECURABLE_TYPE_NAME[parent.kind], name: parent.fullName });
    return [...byPrincipal.keys()].sort().map((p) => ({ principal: p, privileges: byPrincipal.get(p)! }));
  }

  /**
   * Whether `user` (as itself or through a group) may change grants on the object: a metastore
   * admin, the owner of the object or of a parent, or a holder of MANAGE (or ALL_PRIVILEGES, which
   * includes it) on the object or a parent.
   */
  mayManage(s: Securable, user: string): boolean {
    if (this.directory.isAdmin(user)) return true;
    const principals = this.directory.actsAs(user);
    const keys = [...s.parents.map((p) => p.key), s.key];
    for (const key of keys) {
      const m = this.meta.get(key);
      if (!m) continue;
      if (principals.includes(m.owner)) return true;
      for (const p of principals) if ((m.grants?.[p] ?? []).some((g) => g === 'MANAGE' || g === 'ALL_PRIVILEGES')) return true;
    }
    return false;
  }

  /** Whether `user` (as itself or through a group) owns the object. */
  owns(s: Pick<Securable, 'key'>, user: string): boolean {
    const m = this.meta.get(s.key);
    return m !== undefined && this.directory.actsAs(user).includes(m.owner);
  }

  /**
   * Whether `user` (as itself or through a group) holds any privilege on the object, granted on it or
   * inherited from a parent (only those that apply to it, as effective() reports them), other than
   * `except` (BROWSE: it shows an object's metadata, not the object).
   */
  holdsAny(s: Securable, user: string, except: readonly string[] = []): boolean {
    const principals = new Set(this.directory.actsAs(user));
    return this.effective(s).some((a) => principals.has(a.principal) && a.privileges.some((p) => !except.includes(p.privilege)));
  }

  /** Whether the user is a metastore admin here (members of `admins` in the emulator's workspace). */
  isAdmin(user: string): boolean {
    return this.directory.isAdmin(user);
  }

  /**
   * Whether `user` (as itself or through a group) holds `privilege` on the object: an admin (the
   * emulator lets its admins do everything, as requireManage does; real metastore admins can grant
   * themselves data access but do not have it by default), the object's owner, or the privilege
   * (or ALL_PRIVILEGES) granted on the object or inherited from a parent. Owning a parent does not
   * count: UC docs say a schema's owner does not automatically have privileges on its tables.
   */
  hasPrivilege(s: Securable, user: string, privilege: string): boolean {
    if (this.directory.isAdmin(user)) return true;
    const principals = this.directory.actsAs(user);
    const own = this.meta.get(s.key);
    if (own && principals.includes(own.owner)) return true;
    for (const key of [s.key, ...s.parents.map((p) => p.key)]) {
      const grants = this.meta.get(key)?.grants ?? {};
      for (const p of principals) if ((grants[p] ?? []).some((g) => g === privilege || g === 'ALL_PRIVILEGES')) return true;
    }
    return false;
  }

  /** Refuses (403) a user who may not change grants on the object; the message names what is missing. */
  requireManage(s: Securable, user: string): void {
    if (this.mayManage(s, user)) return;
    throw new UcError(403, 'PERMISSION_DENIED', doesNotHave(s, ['MANAGE']));
  }

  /**
   * Applies the changes in order (removes, then adds, per change), all or nothing: every privilege is
   * checked against the object, and every principal that gets one must exist, before anything is written.
   */
  update(s: Securable, changes: readonly PermissionsChange[], user: string): void {
    const normalized = changes.map((c) => ({ principal: c.principal, add: (c.add ?? []).map(normalizePrivilege), remove: (c.remove ?? []).map(normalizePrivilege) }));
    for (const c of normalized) {
      if (!c.principal.trim()) throw new UcError(400, 'INVALID_PARAMETER_VALUE', 'Principal name must not be empty.');
      requireApplicable(s.kind, s.fullName, [...c.add, ...c.remove]);
      if (c.add.length > 0 && !this.directory.exists(c.principal)) throw new UcError(404, 'PRINCIPAL_DOES_NOT_EXIST', `Could not find principal with name ${c.principal}`);
    }
    const m = this.meta.ensure(s.key, user);
    const grants: Record<string, string[]> = Object.fromEntries(Object.entries(m.grants ?? {}).map(([p, g]) => [p, [...g]]));
    for (const c of normalized) {
      const set = new Set(grants[c.principal] ?? []);
      for (const p of c.remove) set.delete(p);
      for (const p of c.add) set.add(p);
      if (set.size > 0) grants[c.principal] = [...set].sort();
      else delete grants[c.principal];
    }
    this.meta.update(s.key, { grants });
  }
}
