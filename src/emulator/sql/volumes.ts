import { countUnder, namesInSchema, type MetadataStore, type ObjectMeta } from './metadata.js';
import { UC_NAME_RE as NAME_RE } from './names.js';
import { UcError } from './uc-error.js';

/**
 * Unity Catalog volumes. DuckDB has no such object, so a volume is only its metadata entry, keyed
 * `catalog.schema.volume#volume`: the suffix keeps it apart from a table of the same name, and the
 * `catalog.schema.` prefix makes it go with its schema or catalog (MetadataStore.delete is by prefix).
 * The files in a volume belong to the Files API service, which stores them by volume_id;
 * `onDropped` tells it which ids went away.
 */
const SUFFIX = '#volume';

export type VolumeType = 'MANAGED' | 'EXTERNAL';

export interface VolumeRef {
  catalog: string;
  schema: string;
  name: string;
}

export class Volumes {
  /** Called with the volume_ids of volumes that were deleted (one by one or with their schema/catalog). */
  onDropped: ((volumeIds: string[]) => void) | undefined;

  constructor(
    private readonly meta: MetadataStore,
    private readonly metastoreId: string,
    private readonly now: () => number,
    private readonly requireSchema: (catalog: string, schema: string) => Promise<void>,
  ) {}

  /** Its metadata key (grants.ts keeps a volume's grants there). */
  key(v: VolumeRef): string {
    return `${v.catalog}.${v.schema}.${v.name}${SUFFIX}`;
  }

  /** Volume names of one schema, sorted. */
  names(catalog: string, schema: string): string[] {
    return namesInSchema(this.meta, catalog, schema, SUFFIX);
  }

  /** How many volumes live under `catalog` or `catalog.schema` (a non-forced delete refuses when > 0). */
  countUnder(prefix: string): number {
    return countUnder(this.meta, prefix, SUFFIX);
  }

  /** The schema (`catalog.schema`) each volume lives in, for pruning after SQL DROPs. */
  schemaKeys(): Map<string, string> {
    const out = new Map<string, string>();
    for (const k of this.meta.keys()) if (k.endsWith(SUFFIX)) out.set(k, k.split('.').slice(0, 2).join('.'));
    return out;
  }

  /** Forgets the volumes under `prefix` (a catalog or schema being deleted) and reports their ids. */
  dropUnder(prefix: string): void {
    this.drop(this.meta.keys().filter((k) => k.endsWith(SUFFIX) && (k.startsWith(`${prefix}.`) || k === prefix)));
  }

  private drop(keys: string[]): void {
    const ids = keys.map((k) => this.meta.get(k)?.id).filter((id): id is string => id !== undefined);
    for (const k of keys) this.meta.delete(k);
    if (ids.length > 0) this.onDropped?.(ids);
  }

  /** Ids of every volume: anything else the Files API holds is left over and may go. */
  liveIds(): Set<string> {
    return new Set(this.meta.keys().filter((k) => k.endsWith(SUFFIX)).map((k) => this.meta.get(k)?.id as string));
  }

  /** The volume's metadata; a missing parent answers as the parent's own error, as the API does for tables. */
  async find(v: VolumeRef): Promise<ObjectMeta> {
    const m = this.meta.get(this.key(v));
    if (m) return m;
    await this.requireSchema(v.catalog, v.schema);
    throw new UcError(404, 'VOLUME_DOES_NOT_EXIST', `Volume '${v.catalog}.${v.schema}.${v.name}' does not exist.`);
  }

  async create(v: VolumeRef, user: string, opts: { volumeType: VolumeType; storageLocation?: string | undefined; comment?: string | undefined }): Promise<ObjectMeta> {
    if (!NAME_RE.test(v.name)) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Invalid volume name '${v.name}'.`);
    if (opts.volumeType === 'MANAGED' && opts.storageLocation) throw new UcError(400, 'INVALID_PARAMETER_VALUE', 'CreateVolume storage_location can not be provided.');
    if (opts.volumeType === 'EXTERNAL' && !opts.storageLocation) throw new UcError(400, 'INVALID_PARAMETER_VALUE', 'CreateVolume Missing required field: storage_location');
    await this.requireSchema(v.catalog, v.schema);
    if (this.meta.get(this.key(v))) throw new UcError(409, 'VOLUME_ALREADY_EXISTS', `Volume '${v.catalog}.${v.schema}.${v.name}' already exists`);
    const m = this.meta.ensure(this.key(v), user, { volumeType: opts.volumeType, ...(opts.comment !== undefined ? { comment: opts.comment } : {}) });
    // Managed volumes live under the metastore's root, named by id (as real storage locations are).
    const location = opts.storageLocation?.replace(/\/+$/, '') ?? `emulator://metastore/${this.metastoreId}/volumes/${m.id}`;
    this.meta.update(this.key(v), { storageLocation: location });
    return m;
  }

  /** PATCH: comment/owner in place; `new_name` moves the entry (same id, so the files follow). */
  async update(v: VolumeRef, user: string, patch: { new_name?: string | undefined; comment?: string | undefined; owner?: string | undefined }): Promise<VolumeRef> {
    const m = await this.find(v);
    let target = v;
    if (patch.new_name !== undefined && patch.new_name.toLowerCase() !== v.name) {
      target = { ...v, name: patch.new_name.toLowerCase() };
      if (!NAME_RE.test(target.name)) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Invalid volume name '${patch.new_name}'.`);
      if (this.meta.get(this.key(target))) throw new UcError(409, 'VOLUME_ALREADY_EXISTS', `Volume '${v.catalog}.${v.schema}.${target.name}' already exists`);
      this.meta.delete(this.key(v));
      this.meta.ensure(this.key(target), user, { ...m });
    }
    this.meta.update(this.key(target), {
      ...(patch.comment !== undefined ? { comment: patch.comment } : {}),
      ...(patch.owner !== undefined ? { owner: patch.owner } : {}),
      updatedAt: this.now(),
      updatedBy: user,
    });
    return target;
  }

  async delete(v: VolumeRef): Promise<void> {
    await this.find(v);
    this.drop([this.key(v)]);
  }

  async info(v: VolumeRef): Promise<Record<string, unknown>> {
    const m = await this.find(v);
    return {
      catalog_name: v.catalog,
      schema_name: v.schema,
      name: v.name,
      full_name: `${v.catalog}.${v.schema}.${v.name}`,
      volume_type: m.volumeType ?? 'MANAGED',
      volume_id: m.id,
      storage_location: m.storageLocation,
      ...(m.comment !== undefined ? { comment: m.comment } : {}),
      owner: m.owner,
      metastore_id: this.metastoreId,
      browse_only: false,
      created_at: m.createdAt,
      created_by: m.createdBy,
      updated_at: m.updatedAt,
      updated_by: m.updatedBy,
    };
  }
}
