/**
 * Unity Catalog API 2.1 (§2.13): catalogs, schemas, tables, volumes (grants: uc-grants.ts; functions: uc-functions.ts; connections: uc-connections.ts). Lists page by `max_results` /
 * `page_token` until no `next_page_token` (an empty page with a token is followed, §1.6 quirk 8).
 * Updates are PATCH with a JSON body (the JS SDK drops PATCH bodies, §1.2).
 */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { byPageToken, type Paginated } from '../paginate.js';
import { listCap, nonEmpty, nonNegativeInt, validate, type In } from '../validate.js';
import type { Empty, OpenEnum } from './types.js';
import { BASE, seg } from './uc-common.js';
import { GrantsService } from './uc-grants.js';
import { MetastoresService } from './uc-metastores.js';
import { ExternalLocationsService, StorageCredentialsService } from './uc-storage.js';
import { ConnectionsService } from './uc-connections.js';
import { FunctionsService } from './uc-functions.js';

const page = { max_results: nonNegativeInt.optional(), page_token: z.string().optional(), limit: listCap.shape.limit };

interface Audit {
  owner?: string;
  comment?: string;
  properties?: Record<string, string>;
  metastore_id?: string;
  created_at?: number;
  created_by?: string;
  updated_at?: number;
  updated_by?: string;
}

export interface CatalogInfo extends Audit {
  name: string;
  full_name?: string;
  catalog_type?: OpenEnum<'MANAGED_CATALOG' | 'DELTASHARING_CATALOG' | 'FOREIGN_CATALOG' | 'SYSTEM_CATALOG'>;
  storage_root?: string;
  isolation_mode?: OpenEnum<'OPEN' | 'ISOLATED'>;
  [field: string]: unknown;
}

export interface SchemaInfo extends Audit {
  name: string;
  catalog_name?: string;
  full_name?: string;
  schema_id?: string;
  storage_root?: string;
  [field: string]: unknown;
}

export interface ColumnInfo {
  name: string;
  type_name?: string;
  type_text?: string;
  type_json?: string;
  position?: number;
  nullable?: boolean;
  comment?: string;
  partition_index?: number;
  type_precision?: number;
  type_scale?: number;
}

export type TableType = OpenEnum<
  'MANAGED' | 'EXTERNAL' | 'VIEW' | 'MATERIALIZED_VIEW' | 'STREAMING_TABLE' | 'FOREIGN' | 'METRIC_VIEW' | 'MANAGED_SHALLOW_CLONE' | 'EXTERNAL_SHALLOW_CLONE'
>;

export interface TableInfo extends Audit {
  name: string;
  catalog_name?: string;
  schema_name?: string;
  full_name?: string;
  table_id?: string;
  table_type?: TableType;
  data_source_format?: string;
  columns?: ColumnInfo[];
  storage_location?: string;
  view_definition?: string;
  deleted_at?: number;
  [field: string]: unknown;
}

// ---- Catalogs ----
const CreateCatalogSchema = z.looseObject({
  name: nonEmpty,
  comment: z.string().optional(),
  properties: z.record(z.string(), z.string()).optional(),
  storage_root: z.string().optional(),
  provider_name: z.string().optional(),
  share_name: z.string().optional(),
  connection_name: z.string().optional(),
  options: z.record(z.string(), z.string()).optional(),
});
export type CreateCatalogRequest = z.infer<typeof CreateCatalogSchema>;
const GetCatalogSchema = z.looseObject({ name: nonEmpty, include_browse: z.boolean().optional() });
const UpdateCatalogSchema = z.looseObject({
  name: nonEmpty,
  new_name: nonEmpty.optional(),
  comment: z.string().optional(),
  owner: z.string().optional(),
  properties: z.record(z.string(), z.string()).optional(),
  isolation_mode: z.string().optional(),
  enable_predictive_optimization: z.string().optional(),
});
export type UpdateCatalogRequest = z.infer<typeof UpdateCatalogSchema>;
const DeleteCatalogSchema = z.looseObject({ name: nonEmpty, force: z.boolean().optional() });
const ListCatalogsSchema = z.looseObject({ ...page, include_browse: z.boolean().optional(), include_unbound: z.boolean().optional() });

export class CatalogsService {
  constructor(private readonly http: HttpClient) {}

  /** Not retried after sending: a repeat answers already-exists. */
  async create(req: CreateCatalogRequest, opts?: CallOptions): Promise<CatalogInfo> {
    const body = validate('catalogs.create', CreateCatalogSchema, req);
    return this.http.request({ operation: 'catalogs.create', method: 'POST', path: `${BASE}/catalogs`, body, idempotent: false, ...opts });
  }

  async get(req: In<typeof GetCatalogSchema>, opts?: CallOptions): Promise<CatalogInfo> {
    const { name, ...query } = validate('catalogs.get', GetCatalogSchema, req);
    return this.http.request({ operation: 'catalogs.get', method: 'GET', path: `${BASE}/catalogs/${seg(name)}`, query, idempotent: true, ...opts });
  }

  async listPage(req: In<typeof ListCatalogsSchema> = {}, opts?: CallOptions): Promise<{ catalogs?: CatalogInfo[]; next_page_token?: string }> {
    const { limit: _l, ...query } = validate('catalogs.list', ListCatalogsSchema, req);
    return this.http.request({ operation: 'catalogs.list', method: 'GET', path: `${BASE}/catalogs`, query, idempotent: true, ...opts });
  }

  list(req: In<typeof ListCatalogsSchema> = {}, opts?: CallOptions): Paginated<CatalogInfo> {
    const { limit, ...q } = validate('catalogs.list', ListCatalogsSchema, req);
    return byPageToken((page) => this.listPage({ ...q, ...page }, opts), (r) => r.catalogs, limit);
  }

  /** Safe to repeat unless it renames (`new_name`), after which the old name is gone. */
  async update(req: UpdateCatalogRequest, opts?: CallOptions): Promise<CatalogInfo> {
    const { name, ...body } = validate('catalogs.update', UpdateCatalogSchema, req);
    return this.http.request({ operation: 'catalogs.update', method: 'PATCH', path: `${BASE}/catalogs/${seg(name)}`, body, idempotent: body.new_name === undefined, ...opts });
  }

  async delete(req: In<typeof DeleteCatalogSchema>, opts?: CallOptions): Promise<Empty> {
    const { name, ...query } = validate('catalogs.delete', DeleteCatalogSchema, req);
    return this.http.request({ operation: 'catalogs.delete', method: 'DELETE', path: `${BASE}/catalogs/${seg(name)}`, query, idempotent: true, ...opts });
  }
}

// ---- Schemas ----
const CreateSchemaSchema = z.looseObject({
  name: nonEmpty,
  catalog_name: nonEmpty,
  comment: z.string().optional(),
  properties: z.record(z.string(), z.string()).optional(),
  storage_root: z.string().optional(),
});
export type CreateSchemaRequest = z.infer<typeof CreateSchemaSchema>;
const FullNameSchema = z.looseObject({ full_name: nonEmpty });
const UpdateSchemaSchema = z.looseObject({
  full_name: nonEmpty,
  new_name: nonEmpty.optional(),
  comment: z.string().optional(),
  owner: z.string().optional(),
  properties: z.record(z.string(), z.string()).optional(),
});
export type UpdateSchemaRequest = z.infer<typeof UpdateSchemaSchema>;
const DeleteSchemaSchema = z.looseObject({ full_name: nonEmpty, force: z.boolean().optional() });
const ListSchemasSchema = z.looseObject({ catalog_name: nonEmpty, ...page, include_browse: z.boolean().optional() });

export class SchemasService {
  constructor(private readonly http: HttpClient) {}

  async create(req: CreateSchemaRequest, opts?: CallOptions): Promise<SchemaInfo> {
    const body = validate('schemas.create', CreateSchemaSchema, req);
    return this.http.request({ operation: 'schemas.create', method: 'POST', path: `${BASE}/schemas`, body, idempotent: false, ...opts });
  }

  /** `full_name` is `catalog.schema`. */
  async get(req: In<typeof FullNameSchema>, opts?: CallOptions): Promise<SchemaInfo> {
    const { full_name } = validate('schemas.get', FullNameSchema, req);
    return this.http.request({ operation: 'schemas.get', method: 'GET', path: `${BASE}/schemas/${seg(full_name)}`, idempotent: true, ...opts });
  }

  async listPage(req: In<typeof ListSchemasSchema>, opts?: CallOptions): Promise<{ schemas?: SchemaInfo[]; next_page_token?: string }> {
    const { limit: _l, ...query } = validate('schemas.list', ListSchemasSchema, req);
    return this.http.request({ operation: 'schemas.list', method: 'GET', path: `${BASE}/schemas`, query, idempotent: true, ...opts });
  }

  list(req: In<typeof ListSchemasSchema>, opts?: CallOptions): Paginated<SchemaInfo> {
    const { limit, ...q } = validate('schemas.list', ListSchemasSchema, req);
    return byPageToken((page) => this.listPage({ ...q, ...page }, opts), (r) => r.schemas, limit);
  }

  async update(req: UpdateSchemaRequest, opts?: CallOptions): Promise<SchemaInfo> {
    const { full_name, ...body } = validate('schemas.update', UpdateSchemaSchema, req);
    return this.http.request({ operation: 'schemas.update', method: 'PATCH', path: `${BASE}/schemas/${seg(full_name)}`, body, idempotent: body.new_name === undefined, ...opts });
  }

  async delete(req: In<typeof DeleteSchemaSchema>, opts?: CallOptions): Promise<Empty> {
    const { full_name, ...query } = validate('schemas.delete', DeleteSchemaSchema, req);
    return this.http.request({ operation: 'schemas.delete', method: 'DELETE', path: `${BASE}/schemas/${seg(full_name)}`, query, idempotent: true, ...opts });
  }
}

// ---- Tables ----
const CreateTableSchema = z.looseObject({
  name: nonEmpty,
  catalog_name: nonEmpty,
  schema_name: nonEmpty,
  table_type: nonEmpty,
  data_source_format: nonEmpty,
  storage_location: z.string({ error: 'must be a string' }),
  columns: z.array(z.looseObject({ name: nonEmpty })).optional(),
  properties: z.record(z.string(), z.string()).optional(),
});
export type CreateTableRequest = z.infer<typeof CreateTableSchema>;
const GetTableSchema = z.looseObject({ full_name: nonEmpty, include_delta_metadata: z.boolean().optional(), include_browse: z.boolean().optional() });
const ListTablesSchema = z.looseObject({
  catalog_name: nonEmpty,
  schema_name: nonEmpty,
  ...page,
  omit_columns: z.boolean().optional(),
  omit_properties: z.boolean().optional(),
  omit_username: z.boolean().optional(),
});
const UpdateTableSchema = z.looseObject({ full_name: nonEmpty, owner: z.string().optional() });
const ListTableSummariesSchema = z.looseObject({
  catalog_name: nonEmpty,
  /** SQL LIKE patterns (`%`, `_`); unset or empty matches every schema / table. */
  schema_name_pattern: z.string().optional(),
  table_name_pattern: z.string().optional(),
  include_manifest_capabilities: z.boolean().optional(),
  ...page,
});

/** One entry of `tables.listSummaries`: a table's name and type, without columns or properties. */
export interface TableSummary {
  full_name?: string;
  table_type?: TableInfo['table_type'];
  [field: string]: unknown;
}

export class TablesService {
  constructor(private readonly http: HttpClient) {}

  async create(req: CreateTableRequest, opts?: CallOptions): Promise<TableInfo> {
    const body = validate('tables.create', CreateTableSchema, req);
    return this.http.request({ operation: 'tables.create', method: 'POST', path: `${BASE}/tables`, body, idempotent: false, ...opts });
  }

  /** `full_name` is `catalog.schema.table`. */
  async get(req: In<typeof GetTableSchema>, opts?: CallOptions): Promise<TableInfo> {
    const { full_name, ...query } = validate('tables.get', GetTableSchema, req);
    return this.http.request({ operation: 'tables.get', method: 'GET', path: `${BASE}/tables/${seg(full_name)}`, query, idempotent: true, ...opts });
  }

  async exists(req: In<typeof FullNameSchema>, opts?: CallOptions): Promise<{ table_exists?: boolean }> {
    const { full_name } = validate('tables.exists', FullNameSchema, req);
    return this.http.request({ operation: 'tables.exists', method: 'GET', path: `${BASE}/tables/${seg(full_name)}/exists`, idempotent: true, ...opts });
  }

  async listPage(
    req: { catalog_name: string; schema_name: string; max_results?: number; page_token?: string; omit_columns?: boolean },
    opts?: CallOptions,
  ): Promise<{ tables?: TableInfo[]; next_page_token?: string }> {
    const { limit: _l, ...query } = validate('tables.list', ListTablesSchema, req);
    return this.http.request({ operation: 'tables.list', method: 'GET', path: `${BASE}/tables`, query, idempotent: true, ...opts });
  }

  list(req: In<typeof ListTablesSchema>, opts?: CallOptions): Paginated<TableInfo> {
    const { limit, ...q } = validate('tables.list', ListTablesSchema, req);
    return byPageToken((page) => this.listPage({ ...q, ...page }, opts), (r) => r.tables, limit);
  }

  /**
   * Names and types of a catalog's tables across its schemas, filtered by LIKE patterns: one call per
   * page where `list` needs one per schema. A page may be empty and still carry a token (followed).
   */
  listSummaries(req: In<typeof ListTableSummariesSchema>, opts?: CallOptions): Paginated<TableSummary> {
    const { limit, ...q } = validate('tables.listSummaries', ListTableSummariesSchema, req);
    return byPageToken(
      (page) => this.http.request<{ tables?: TableSummary[]; next_page_token?: string }>({
        operation: 'tables.listSummaries', method: 'GET', path: `${BASE}/table-summaries`,
        query: { ...q, ...page }, idempotent: true, ...opts,
      }),
      (r) => r.tables,
      limit,
    );
  }

  async update(req: In<typeof UpdateTableSchema>, opts?: CallOptions): Promise<Empty> {
    const { full_name, ...body } = validate('tables.update', UpdateTableSchema, req);
    return this.http.request({ operation: 'tables.update', method: 'PATCH', path: `${BASE}/tables/${seg(full_name)}`, body, idempotent: true, ...opts });
  }

  async delete(req: In<typeof FullNameSchema>, opts?: CallOptions): Promise<Empty> {
    const { full_name } = validate('tables.delete', FullNameSchema, req);
    return this.http.request({ operation: 'tables.delete', method: 'DELETE', path: `${BASE}/tables/${seg(full_name)}`, idempotent: true, ...opts });
  }
}

// ---- Volumes ----
export interface VolumeInfo extends Audit {
  name: string;
  catalog_name?: string;
  schema_name?: string;
  full_name?: string;
  volume_id?: string;
  volume_type?: OpenEnum<'MANAGED' | 'EXTERNAL'>;
  storage_location?: string;
  browse_only?: boolean;
  [field: string]: unknown;
}

const CreateVolumeSchema = z.looseObject({
  catalog_name: nonEmpty,
  schema_name: nonEmpty,
  name: nonEmpty,
  volume_type: z.enum(['MANAGED', 'EXTERNAL'], { error: 'must be MANAGED or EXTERNAL' }),
  storage_location: z.string().optional(),
  comment: z.string().optional(),
});
export type CreateVolumeRequest = z.infer<typeof CreateVolumeSchema>;
const ReadVolumeSchema = z.looseObject({ name: nonEmpty, include_browse: z.boolean().optional() });
const UpdateVolumeSchema = z.looseObject({ name: nonEmpty, new_name: nonEmpty.optional(), comment: z.string().optional(), owner: z.string().optional() });
export type UpdateVolumeRequest = z.infer<typeof UpdateVolumeSchema>;
const ListVolumesSchema = z.looseObject({ catalog_name: nonEmpty, schema_name: nonEmpty, ...page, include_browse: z.boolean().optional() });

/** `name` is the volume's full name, `catalog.schema.volume` (as the SDKs call it). */
export class VolumesService {
  constructor(private readonly http: HttpClient) {}

  /** Not retried after sending: a repeat answers VOLUME_ALREADY_EXISTS. */
  async create(req: CreateVolumeRequest, opts?: CallOptions): Promise<VolumeInfo> {
    const body = validate('volumes.create', CreateVolumeSchema, req);
    return this.http.request({ operation: 'volumes.create', method: 'POST', path: `${BASE}/volumes`, body, idempotent: false, ...opts });
  }

  async read(req: In<typeof ReadVolumeSchema>, opts?: CallOptions): Promise<VolumeInfo> {
    const { name, ...query } = validate('volumes.read', ReadVolumeSchema, req);
    return this.http.request({ operation: 'volumes.read', method: 'GET', path: `${BASE}/volumes/${seg(name)}`, query, idempotent: true, ...opts });
  }

  async listPage(req: In<typeof ListVolumesSchema>, opts?: CallOptions): Promise<{ volumes?: VolumeInfo[]; next_page_token?: string }> {
    const { limit: _l, ...query } = validate('volumes.list', ListVolumesSchema, req);
    return this.http.request({ operation: 'volumes.list', method: 'GET', path: `${BASE}/volumes`, query, idempotent: true, ...opts });
  }

  list(req: In<typeof ListVolumesSchema>, opts?: CallOptions): Paginated<VolumeInfo> {
    const { limit, ...q } = validate('volumes.list', ListVolumesSchema, req);
    return byPageToken((page) => this.listPage({ ...q, ...page }, opts), (r) => r.volumes, limit);
  }

  /** Safe to repeat unless it renames (`new_name`), after which the old name is gone. */
  async update(req: UpdateVolumeRequest, opts?: CallOptions): Promise<VolumeInfo> {
    const { name, ...body } = validate('volumes.update', UpdateVolumeSchema, req);
    return this.http.request({ operation: 'volumes.update', method: 'PATCH', path: `${BASE}/volumes/${seg(name)}`, body, idempotent: body.new_name === undefined, ...opts });
  }

  /** Deletes the volume and every file in it. */
  async delete(req: In<typeof ReadVolumeSchema>, opts?: CallOptions): Promise<Empty> {
    const { name } = validate('volumes.delete', ReadVolumeSchema, req);
    return this.http.request({ operation: 'volumes.delete', method: 'DELETE', path: `${BASE}/volumes/${seg(name)}`, idempotent: true, ...opts });
  }
}

/** The UC services together (also exposed individually on the client). */
export class UnityCatalogService {
  readonly catalogs: CatalogsService;
  readonly schemas: SchemasService;
  readonly tables: TablesService;
  readonly volumes: VolumesService;
  readonly grants: GrantsService;
  readonly metastores: MetastoresService;
  readonly storageCredentials: StorageCredentialsService;
  readonly externalLocations: ExternalLocationsService;
  readonly connections: ConnectionsService;
  readonly functions: FunctionsService;
  constructor(http: HttpClient) {
    this.catalogs = new CatalogsService(http);
    this.schemas = new SchemasService(http);
    this.tables = new TablesService(http);
    this.volumes = new VolumesService(http);
    this.grants = new GrantsService(http);
    this.metastores = new MetastoresService(http);
    this.storageCredentials = new StorageCredentialsService(http);
    this.externalLocations = new ExternalLocationsService(http);
    this.connections = new ConnectionsService(http);
    this.functions = new FunctionsService(http);
  }
}
