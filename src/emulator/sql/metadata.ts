import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Unity Catalog attributes DuckDB does not keep (comments, properties, owners, timestamps, ids),
 * keyed by full name. Objects created through SQL get an entry the first time they are seen.
 * With a data dir the store is a small JSON file next to the catalog databases.
 */
export interface ObjectMeta {
  id: string;
  comment?: string;
  properties?: Record<string, string>;
  owner: string;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  updatedBy: string;
  storageRoot?: string;
  tableType?: string;
  dataSourceFormat?: string;
  storageLocation?: string;
  volumeType?: string;
  /** The API fields of an object that is only metadata (storage credentials, external locations: metastore-objects.ts). */
  spec?: Record<string, unknown>;
  /** Unity Catalog grants on the object: principal → privileges (grants.ts). */
  grants?: Record<string, string[]>;
  /** Files COPY INTO loaded into a table (`<volume_id>/<path in volume>`), skipped when it runs again. */
  loadedFiles?: string[];
}

export class MetadataStore {
  private entries = new Map<string, ObjectMeta>();
  private counter = 0;

  constructor(
    private readonly file: string | undefined,
    private readonly seed: string,
    private readonly now: () => number,
  ) {
    if (file && existsSync(file)) {
      const data = JSON.parse(readFileSync(file, 'utf8')) as { counter: number; entries: [string, ObjectMeta][] };
      this.entries = new Map(data.entries);
      this.counter = data.counter;
    }
  }

  /** Returns the entry for `key`, creating a default one (first sight of a SQL-created object). */
  ensure(key: string, user: string, init: Partial<ObjectMeta> = {}): ObjectMeta {
    const existing = this.entries.get(key);
    if (existing) return existing;
    const t = this.now();
    const meta: ObjectMeta = { id: this.newId(key), owner: user, createdAt: t, createdBy: user, updatedAt: t, updatedBy: user, ...init };
    this.entries.set(key, meta);
    this.save();
    return meta;
  }

  get(key: string): ObjectMeta | undefined {
    return this.entries.get(key);
  }

  update(key: string, patch: Partial<ObjectMeta>): void {
    const e = this.entries.get(key);
    if (!e) return;
    Object.assign(e, patch);
    this.save();
  }

  /** Forgets `key` and everything below it (`key.` prefix). */
  delete(key: string): void {
    for (const k of [...this.entries.keys()]) if (k === key || k.startsWith(`${key}.`)) this.entries.delete(k);
    this.save();
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  clear(): void {
    this.entries.clear();
    this.counter = 0;
    this.save();
  }

  /** Deterministic UUID-shaped id: same seed and creation order → same ids. */
  private newId(key: string): string {
    const h = createHash('sha256').update(`${this.seed}:${key}:${this.counter++}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ counter: this.counter, entries: [...this.entries] }));
    renameSync(tmp, this.file);
  }
}

/**
 * Objects that are only entries keyed `catalog.schema.name<suffix>` (volumes, functions): the names
 * of one schema's, sorted, and how many live under a catalog or schema.
 */
export function namesInSchema(meta: MetadataStore, catalog: string, schema: string, suffix: string): string[] {
  const prefix = `${catalog}.${schema}.`;
  return meta
    .keys()
    .filter((k) => k.startsWith(prefix) && k.endsWith(suffix) && !k.slice(prefix.length).includes('.'))
    .map((k) => k.slice(prefix.length, -suffix.length))
    .sort();
}

export function countUnder(meta: MetadataStore, prefix: string, suffix: string): number {
  return meta.keys().filter((k) => k.startsWith(`${prefix}.`) && k.endsWith(suffix)).length;
}
