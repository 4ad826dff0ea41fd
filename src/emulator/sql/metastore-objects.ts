import type { GrantDirectory } from './grants.js';
import type { MetadataStore, ObjectMeta } from './metadata.js';
import { UC_NAME_RE } from './names.js';
import { SECURABLE_LABEL } from './privileges.js';
import { UcError } from './uc-error.js';

/**
 * Objects that belong to the metastore rather than to a catalog: storage credentials, external
 * locations and connections. Like volumes they are only metadata entries, kept in the same store (so they persist
 * with the data dir and go on reset), under keys that start with `@`: no catalog name can (names.ts),
 * so catalog deletes and prune() never touch them. Their API fields live in the entry's `spec`.
 */
export type MetastoreObjectKind = 'storage_credential' | 'external_location' | 'connection';

/** Where metastore-level grants (CREATE_STORAGE_CREDENTIAL, …) are kept. */
export const METASTORE_KEY = '@metastore';

/** The name of the workspace's one metastore (real permission errors name a metastore by its name). */
export const METASTORE_NAME = 'emulator-metastore';

export function isMetastoreLevelKey(key: string): boolean {
  return key.startsWith('@');
}

/** `CREATE_EXTERNAL_LOCATION` → `CREATE EXTERNAL LOCATION`, as messages spell privileges. */
const spoken = (privilege: string): string => privilege.replace(/_/g, ' ');

export class MetastoreObjects {
  constructor(
    protected readonly meta: MetadataStore,
    readonly kind: MetastoreObjectKind,
    protected readonly directory: GrantDirectory,
    protected readonly now: () => number,
    readonly metastoreId: string,
  ) {}

  protected get label(): string {
    return SECURABLE_LABEL[this.kind];
  }

  key(name: string): string {
    return `@${this.kind}/${name}`;
  }

  /** Every name of this kind, sorted. */
  names(): string[] {
    const prefix = this.key('');
    return this.meta
      .keys()
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length))
      .sort();
  }

  get(name: string): ObjectMeta | undefined {
    return this.meta.get(this.key(name.toLowerCase()));
  }

  /** The entry; 404 `<KIND>_DOES_NOT_EXIST` ("Storage Credential 'x' does not exist.") when there is none. */
  find(name: string): ObjectMeta {
    const m = this.get(name);
    if (!m) throw new UcError(404, `${this.kind.toUpperCase()}_DOES_NOT_EXIST`, `${this.label} '${name.toLowerCase()}' does not exist.`);
    return m;
  }

  /** The name of the entry with this id (external locations point at credentials by id, so renames follow). */
  nameOf(id: string): string | undefined {
    return this.names().find((n) => this.get(n)?.id === id);
  }

  /** Metastore admins, owners (directly or through a group), and holders of `privilege` or ALL_PRIVILEGES on `key`. */
  holds(key: string, user: string, privilege: string): boolean {
    if (this.directory.isAdmin(user)) return true;
    const principals = this.directory.actsAs(user);
    const m = this.meta.get(key);
    if (!m) return false;
    if (key !== METASTORE_KEY && principals.includes(m.owner)) return true;
    return principals.some((p) => (m.grants?.[p] ?? []).some((g) => g === privilege || g === 'ALL_PRIVILEGES'));
  }

  /**
   * 403 unless the user holds `privilege` on the object or (`key` undefined) on the metastore. Real
   * answers name a metastore by its name ("User does not have CREATE CATALOG on Metastore 'primary'.",
   * terraform-databricks-examples#121); the texts for these privileges are unverified.
   */
  requirePrivilege(user: string, privilege: string, target?: { key: string; name: string; label: string }): void {
    const key = target?.key ?? METASTORE_KEY;
    if (this.holds(key, user, privilege)) return;
    const what = target ? `${target.label} '${target.name}'` : `Metastore '${METASTORE_NAME}'`;
    throw new UcError(403, 'PERMISSION_DENIED', `User does not have ${spoken(privilege)} on ${what}.`);
  }

  /** Who may see an object (get, list): admins, owners, and anyone with some privilege on it (SDK docs). */
  visibleTo(name: string, user: string): boolean {
    if (this.directory.isAdmin(user)) return true;
    const m = this.get(name);
    if (!m) return false;
    const principals = this.directory.actsAs(user);
    return principals.includes(m.owner) || principals.some((p) => (m.grants?.[p] ?? []).length > 0);
  }

  /** find() for a reader: an object the user may not see answers 403 (unverified text), not its contents. */
  findFor(name: string, user: string): ObjectMeta {
    const m = this.find(name);
    if (!this.visibleTo(name, user)) throw new UcError(403, 'PERMISSION_DENIED', `User does not have any privilege on ${this.label} '${name.toLowerCase()}'.`);
    return m;
  }

  /** Changing or deleting needs ownership or MANAGE (DROP CREDENTIAL docs: "MANAGE privilege … or be its owner"). */
  requireManage(name: string, user: string): ObjectMeta {
    const m = this.findFor(name, user);
    this.requirePrivilege(user, 'MANAGE', { key: this.key(name.toLowerCase()), name: name.toLowerCase(), label: this.label });
    return m;
  }

  /** A valid, unused name (lower-cased, as the real API answers `UCX_location_1` as `ucx_location_1`: databrickslabs/ucx#2270). */
  protected newName(name: string): string {
    const n = name.toLowerCase();
    if (!UC_NAME_RE.test(n)) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Invalid ${this.label.toLowerCase()} name '${name}'.`);
    if (this.get(n)) throw new UcError(409, `${this.kind.toUpperCase()}_ALREADY_EXISTS`, `${this.label} '${n}' already exists`);
    return n;
  }

  protected insert(name: string, user: string, comment: string | undefined, spec: Record<string, unknown>): ObjectMeta {
    return this.meta.ensure(this.key(name), user, { spec, ...(comment !== undefined ? { comment } : {}) });
  }

  /** PATCH: a rename moves the entry (same id, grants and owner), then the fields change in place. */
  protected patch(name: string, user: string, change: { new_name?: string | undefined; owner?: string | undefined; comment?: string | undefined; spec?: Record<string, unknown> }): string {
    const m = this.find(name);
    let target = name.toLowerCase();
    if (change.new_name !== undefined && change.new_name.toLowerCase() !== target) {
      target = this.newName(change.new_name);
      this.meta.delete(this.key(name.toLowerCase()));
      this.meta.ensure(this.key(target), user, { ...m });
    }
    this.meta.update(this.key(target), {
      ...(change.owner !== undefined ? { owner: change.owner } : {}),
      ...(change.comment !== undefined ? { comment: change.comment } : {}),
      ...(change.spec ? { spec: { ...m.spec, ...change.spec } } : {}),
      updatedAt: this.now(),
      updatedBy: user,
    });
    return target;
  }

  protected remove(name: string): void {
    this.meta.delete(this.key(name.toLowerCase()));
  }

  /** The fields every answer has: name, id, owner, audit, metastore and isolation mode. */
  protected common(name: string, m: ObjectMeta): Record<string, unknown> {
    return {
      name,
      full_name: name,
      id: m.id,
      ...(m.comment !== undefined ? { comment: m.comment } : {}),
      owner: m.owner,
      metastore_id: this.metastoreId,
      // What a real create answered (databrickslabs/ucx#2270).
      isolation_mode: 'ISOLATION_MODE_OPEN',
      created_at: m.createdAt,
      created_by: m.createdBy,
      updated_at: m.updatedAt,
      updated_by: m.updatedBy,
    };
  }
}
