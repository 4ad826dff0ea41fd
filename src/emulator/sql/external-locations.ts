import type { GrantDirectory } from './grants.js';
import type { MetadataStore } from './metadata.js';
import { isMetastoreLevelKey, MetastoreObjects } from './metastore-objects.js';
import type { StorageCredentials } from './storage-credentials.js';
import { cloudPath, isWithin, overlaps } from './storage-urls.js';
import { UcError } from './uc-error.js';

/**
 * Unity Catalog external locations (`/unity-catalog/external-locations`): a cloud URL plus the
 * storage credential that reaches it. The credential is kept by id, so renaming it keeps the link;
 * a credential deleted with force leaves its locations without one (DROP CREDENTIAL docs).
 */
export interface LocationFields {
  url?: string | undefined;
  credential_name?: string | undefined;
  comment?: string | undefined;
  read_only?: boolean | undefined;
  fallback?: boolean | undefined;
}

export class ExternalLocations extends MetastoreObjects {
  constructor(
    meta: MetadataStore,
    directory: GrantDirectory,
    now: () => number,
    metastoreId: string,
    private readonly credentials: StorageCredentials,
  ) {
    super(meta, 'external_location', directory, now, metastoreId);
  }

  /**
   * Needs CREATE_EXTERNAL_LOCATION on the metastore and on the credential (SDK docs and the CREATE
   * EXTERNAL LOCATION docs). The name is checked before the URL's overlap, so a retried create meets
   * its own first attempt as "already exists".
   */
  create(name: string, user: string, input: LocationFields & { url: string; credential_name: string }): string {
    this.requirePrivilege(user, 'CREATE_EXTERNAL_LOCATION');
    const path = this.path(input.url);
    const credentialId = this.credentialFor(input.credential_name, user);
    const n = this.newName(name);
    this.requireNoOverlap(path, n);
    this.insert(n, user, input.comment, { url: input.url, credential_id: credentialId, read_only: input.read_only ?? false, fallback: input.fallback ?? false });
    return n;
  }

  /** PATCH. A new URL must not overlap others, and (without `force`) must still hold what the old one held. */
  update(name: string, user: string, input: LocationFields & { new_name?: string | undefined; owner?: string | undefined; force?: boolean | undefined }): string {
    const m = this.requireManage(name, user);
    const spec: Record<string, unknown> = {};
    if (input.url !== undefined) {
      const path = this.path(input.url);
      this.requireNoOverlap(path, name.toLowerCase());
      const old = cloudPath(String(m.spec?.url)) ?? '';
      const stranded = this.dependents(old).filter((d) => !isWithin(d.path, path));
      // "Force update even if changing url invalidates dependent external tables" (SDK docs); the text is unverified.
      if (stranded.length > 0 && !input.force) throw this.inUse(name, stranded.map((d) => d.what), 'changed');
      spec.url = input.url;
    }
    if (input.credential_name !== undefined) spec.credential_id = this.credentialFor(input.credential_name, user);
    if (input.read_only !== undefined) spec.read_only = input.read_only;
    if (input.fallback !== undefined) spec.fallback = input.fallback;
    return this.patch(name, user, { new_name: input.new_name, owner: input.owner, comment: input.comment, spec });
  }

  /** Refused without `force` while catalogs, schemas, tables or volumes keep data under the URL (SDK docs: "dependent external tables or mounts"). */
  delete(name: string, user: string, force: boolean): void {
    const m = this.requireManage(name, user);
    const users = this.dependents(cloudPath(String(m.spec?.url)) ?? '');
    if (users.length > 0 && !force) throw this.inUse(name, users.map((d) => d.what), 'deleted');
    this.remove(name);
  }

  /** The answer for one object; with `user`, only if that user may see it (a GET), without it for the one who just wrote it. */
  info(name: string, user?: string): Record<string, unknown> {
    const n = name.toLowerCase();
    const m = user === undefined ? this.find(n) : this.findFor(n, user);
    const spec = m.spec ?? {};
    const credentialId = String(spec.credential_id);
    const credentialName = this.credentials.nameOf(credentialId);
    return {
      ...this.common(n, m),
      url: spec.url,
      credential_id: credentialId,
      ...(credentialName !== undefined ? { credential_name: credentialName } : {}),
      read_only: spec.read_only ?? false,
      fallback: spec.fallback ?? false,
      browse_only: false,
      // As a real create answered them (databrickslabs/ucx#2270).
      securable_type: 'EXTERNAL_LOCATION',
      securable_kind: 'EXTERNAL_LOCATION_STANDARD',
    };
  }

  visibleNames(user: string): string[] {
    return this.names().filter((n) => this.visibleTo(n, user));
  }

  /** Names of the locations that use a credential (its delete checks them). */
  usingCredential(credentialId: string): string[] {
    return this.names().filter((n) => this.get(n)?.spec?.credential_id === credentialId);
  }

  /**
   * A catalog's or schema's storage_root must lie under an external location on which the user may
   * create managed storage (CREATE_MANAGED_STORAGE). Unverified texts; that managed storage needs an
   * external location is the documented model.
   */
  requireManagedStorage(storageRoot: string, user: string): void {
    const path = cloudPath(storageRoot);
    const holder = path === undefined ? undefined : this.names().find((n) => isWithin(path, cloudPath(String(this.get(n)?.spec?.url)) ?? ''));
    if (holder === undefined) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Input path url '${storageRoot}' is not covered by any external location.`);
    this.requirePrivilege(user, 'CREATE_MANAGED_STORAGE', { key: this.key(holder), name: holder, label: this.label });
  }

  private path(url: string): string {
    const path = cloudPath(url);
    if (path === undefined) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Invalid url '${url}': an external location's url must be an s3://, abfss://, gs:// or r2:// URL.`);
    return path;
  }

  private credentialFor(credentialName: string, user: string): string {
    const c = this.credentials.findFor(credentialName, user);
    this.requirePrivilege(user, 'CREATE_EXTERNAL_LOCATION', { key: this.credentials.key(credentialName.toLowerCase()), name: credentialName.toLowerCase(), label: 'Storage Credential' });
    return c.id;
  }

  /** Two locations may not share a path or nest (ucx#4379 met it as a 400); the text is unverified. */
  private requireNoOverlap(path: string, self: string): void {
    for (const other of this.names()) {
      if (other === self) continue;
      const url = String(this.get(other)?.spec?.url);
      if (overlaps(path, cloudPath(url) ?? '')) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Input path url '${path}' overlaps with an existing external location '${other}' (${url}).`);
    }
  }

  /** Catalogs and schemas whose storage_root, and tables and volumes whose storage_location, lie under `root`. */
  private dependents(root: string): { what: string; path: string }[] {
    if (root === '') return [];
    const out: { what: string; path: string }[] = [];
    for (const key of this.meta.keys()) {
      if (isMetastoreLevelKey(key)) continue;
      const m = this.meta.get(key);
      for (const url of [m?.storageRoot, m?.storageLocation]) {
        const path = url === undefined ? undefined : cloudPath(url);
        if (path !== undefined && isWithin(path, root)) out.push({ what: key.replace(/#volume$/, ''), path });
      }
    }
    return out;
  }

  private inUse(name: string, users: string[], what: 'changed' | 'deleted'): UcError {
    // Unverified code and text.
    return new UcError(400, 'INVALID_STATE', `External Location '${name.toLowerCase()}' cannot be ${what} because ${users.length} object(s) keep data under it: ${users.join(', ')}. Use force to ${what === 'deleted' ? 'delete' : 'change'} it anyway.`);
  }
}
