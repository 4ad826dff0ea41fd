/** SQL Warehouses API 2.0 (§2.11). */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { byPageToken, type Paginated } from '../paginate.js';
import { listCap, nonEmpty, nonNegativeInt, validate, type In } from '../validate.js';
import type { Empty, OpenEnum } from './types.js';

const BASE = '/api/2.0/sql/warehouses';
const CONFIG = '/api/2.0/sql/config/warehouses';

export type WarehouseState = OpenEnum<'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'DELETING' | 'DELETED'>;

const WarehouseFields = {
  name: z.string().max(99, { error: 'must be shorter than 100 characters' }).optional(),
  cluster_size: z.string().optional(),
  min_num_clusters: z.number().int().min(1, { error: 'must be at least 1' }).max(30, { error: 'must be at most 30' }).optional(),
  max_num_clusters: z.number().int().min(1, { error: 'must be at least 1' }).max(40, { error: 'must be at most 40' }).optional(),
  auto_stop_mins: nonNegativeInt.refine((m) => m === 0 || m >= 10, { error: 'must be 0 or at least 10' }).optional(),
  enable_photon: z.boolean().optional(),
  enable_serverless_compute: z.boolean().optional(),
  warehouse_type: z.string().optional(),
  spot_instance_policy: z.string().optional(),
  channel: z.looseObject({ name: z.string().optional(), dbsql_version: z.string().optional() }).optional(),
  tags: z.looseObject({ custom_tags: z.array(z.looseObject({ key: z.string(), value: z.string() })).max(44, { error: 'at most 44 tags' }).optional() }).optional(),
  creator_name: z.string().optional(),
};
const CreateSchema = z.looseObject(WarehouseFields);
export type CreateWarehouseRequest = z.infer<typeof CreateSchema>;
const EditSchema = z.looseObject({ ...WarehouseFields, id: nonEmpty });
export type EditWarehouseRequest = z.infer<typeof EditSchema>;
const IdSchema = z.looseObject({ id: nonEmpty });
const ListSchema = z.looseObject({ page_size: nonNegativeInt.optional(), page_token: z.string().optional(), run_as_user_id: z.number().int().optional(), limit: listCap.shape.limit });

export interface Warehouse {
  id: string;
  name?: string;
  cluster_size?: string;
  min_num_clusters?: number;
  max_num_clusters?: number;
  auto_stop_mins?: number;
  enable_photon?: boolean;
  enable_serverless_compute?: boolean;
  warehouse_type?: OpenEnum<'PRO' | 'CLASSIC' | 'TYPE_UNSPECIFIED'>;
  state?: WarehouseState;
  num_clusters?: number;
  num_active_sessions?: number;
  jdbc_url?: string;
  odbc_params?: { hostname?: string; path?: string; port?: number; protocol?: string };
  health?: {
    status?: OpenEnum<'HEALTHY' | 'DEGRADED' | 'FAILED'>;
    summary?: string;
    details?: string;
    failure_reason?: { code?: string; type?: string; parameters?: Record<string, string> };
  };
  creator_name?: string;
  [field: string]: unknown;
}

export interface ConfPair {
  key?: string;
  value?: string;
}

export interface RepeatedConfPairs {
  configuration_pairs?: ConfPair[];
  /** Deprecated: use `configuration_pairs`. */
  config_pair?: ConfPair[];
}

/** The workspace-level settings every SQL warehouse shares (`/api/2.0/sql/config/warehouses`). */
export interface WorkspaceWarehouseConfig {
  security_policy?: OpenEnum<'NONE' | 'DATA_ACCESS_CONTROL' | 'PASSTHROUGH'>;
  /** Spark confs for an external Hive metastore; at most 512K as JSON. */
  data_access_config?: ConfPair[];
  /** AWS only; must be a registered instance profile. */
  instance_profile_arn?: string;
  channel?: { name?: string; dbsql_version?: string };
  /** Deprecated: only true is allowed. */
  enable_serverless_compute?: boolean;
  sql_configuration_parameters?: RepeatedConfPairs;
  /** A type paired with `enabled: false` may not be used by warehouse create or edit. */
  enabled_warehouse_types?: { warehouse_type?: OpenEnum<'TYPE_UNSPECIFIED' | 'CLASSIC' | 'PRO' | 'REALTIME'>; enabled?: boolean }[];
  /** GCP only. */
  google_service_account?: string;
  /** Deprecated: use `sql_configuration_parameters`. */
  global_param?: RepeatedConfPairs;
  /** Deprecated: use `sql_configuration_parameters`. */
  config_param?: RepeatedConfPairs;
  [field: string]: unknown;
}

const confPairs = z.array(z.looseObject({ key: z.string().optional(), value: z.string().optional() }));
const repeatedPairs = z.looseObject({ configuration_pairs: confPairs.optional(), config_pair: confPairs.optional() });
// The server requires both (it answers 400 INVALID_PARAMETER_VALUE without them), so the client refuses before sending.
const SetConfigSchema = z.looseObject({
  security_policy: z.string({ error: 'is required' }),
  enable_serverless_compute: z.literal(true, { error: 'is required and may only be true' }),
  data_access_config: confPairs.optional(),
  instance_profile_arn: z.string().optional(),
  channel: z.looseObject({ name: z.string().optional(), dbsql_version: z.string().optional() }).optional(),
  sql_configuration_parameters: repeatedPairs.optional(),
  enabled_warehouse_types: z.array(z.looseObject({ warehouse_type: z.string(), enabled: z.boolean().optional() })).optional(),
  google_service_account: z.string().optional(),
  global_param: repeatedPairs.optional(),
  config_param: repeatedPairs.optional(),
});
export type SetWorkspaceWarehouseConfigRequest = z.input<typeof SetConfigSchema>;

export class WarehousesService {
  constructor(private readonly http: HttpClient) {}

  /** Not safe to repeat: creates a warehouse each time. */
  async create(req: CreateWarehouseRequest = {}, opts?: CallOptions): Promise<{ id: string }> {
    const body = validate('warehouses.create', CreateSchema, req);
    return this.http.request({ operation: 'warehouses.create', method: 'POST', path: BASE, body, idempotent: false, ...opts });
  }

  async edit(req: EditWarehouseRequest, opts?: CallOptions): Promise<Empty> {
    const { id, ...body } = validate('warehouses.edit', EditSchema, req);
    return this.http.request({ operation: 'warehouses.edit', method: 'POST', path: `${BASE}/${encodeURIComponent(id)}/edit`, body, idempotent: true, ...opts });
  }

  async get(req: In<typeof IdSchema>, opts?: CallOptions): Promise<Warehouse> {
    const { id } = validate('warehouses.get', IdSchema, req);
    return this.http.request({ operation: 'warehouses.get', method: 'GET', path: `${BASE}/${encodeURIComponent(id)}`, idempotent: true, ...opts });
  }

  async listPage(req: In<typeof ListSchema> = {}, opts?: CallOptions): Promise<{ warehouses?: Warehouse[]; next_page_token?: string }> {
    const { limit: _l, ...query } = validate('warehouses.list', ListSchema, req);
    return this.http.request({ operation: 'warehouses.list', method: 'GET', path: BASE, query, idempotent: true, ...opts });
  }

  list(req: In<typeof ListSchema> = {}, opts?: CallOptions): Paginated<Warehouse> {
    const { limit, ...q } = validate('warehouses.list', ListSchema, req);
    return byPageToken((page) => this.listPage({ ...q, ...page }, opts), (r) => r.warehouses, limit);
  }

  /** No body (§1.2). Safe to repeat. */
  async start(req: In<typeof IdSchema>, opts?: CallOptions): Promise<Empty> {
    const { id } = validate('warehouses.start', IdSchema, req);
    return this.http.request({ operation: 'warehouses.start', method: 'POST', path: `${BASE}/${encodeURIComponent(id)}/start`, idempotent: true, ...opts });
  }

  async stop(req: In<typeof IdSchema>, opts?: CallOptions): Promise<Empty> {
    const { id } = validate('warehouses.stop', IdSchema, req);
    return this.http.request({ operation: 'warehouses.stop', method: 'POST', path: `${BASE}/${encodeURIComponent(id)}/stop`, idempotent: true, ...opts });
  }

  async delete(req: In<typeof IdSchema>, opts?: CallOptions): Promise<Empty> {
    const { id } = validate('warehouses.delete', IdSchema, req);
    return this.http.request({ operation: 'warehouses.delete', method: 'DELETE', path: `${BASE}/${encodeURIComponent(id)}`, idempotent: true, ...opts });
  }

  async getWorkspaceWarehouseConfig(opts?: CallOptions): Promise<WorkspaceWarehouseConfig> {
    return this.http.request({ operation: 'warehouses.getWorkspaceWarehouseConfig', method: 'GET', path: CONFIG, idempotent: true, ...opts });
  }

  /**
   * Replaces the whole config (admins only): fields left out are cleared, so read it first and send
   * back what should stay. Safe to repeat.
   */
  async setWorkspaceWarehouseConfig(req: SetWorkspaceWarehouseConfigRequest, opts?: CallOptions): Promise<Empty> {
    const body = validate('warehouses.setWorkspaceWarehouseConfig', SetConfigSchema, req);
    return this.http.request({ operation: 'warehouses.setWorkspaceWarehouseConfig', method: 'PUT', path: CONFIG, body, idempotent: true, ...opts });
  }
}
