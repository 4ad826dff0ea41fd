/** Instance Pools API 2.0 (§2.2). */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { paginate, type Paginated } from '../paginate.js';
import { listCap, nonEmpty, nonNegativeInt, validate, type In } from '../validate.js';
import type { Empty, OpenEnum } from './types.js';

const BASE = '/api/2.0/instance-pools';

const PoolFields = {
  instance_pool_name: z.string().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
  node_type_id: nonEmpty,
  min_idle_instances: nonNegativeInt.optional(),
  max_capacity: nonNegativeInt.optional(),
  idle_instance_autotermination_minutes: z.number().int().min(0).max(10000, { error: 'must be at most 10000' }).optional(),
  custom_tags: z.record(z.string(), z.string()).optional(),
  enable_elastic_disk: z.boolean().optional(),
  disk_spec: z.record(z.string(), z.unknown()).optional(),
  preloaded_spark_versions: z.array(z.string()).optional(),
  preloaded_docker_images: z.array(z.record(z.string(), z.unknown())).optional(),
};
const CreateSchema = z.looseObject(PoolFields);
export type CreateInstancePoolRequest = z.infer<typeof CreateSchema>;
const EditSchema = z.looseObject({ ...PoolFields, instance_pool_id: nonEmpty });
export type EditInstancePoolRequest = z.infer<typeof EditSchema>;
const IdSchema = z.looseObject({ instance_pool_id: nonEmpty });

export interface InstancePool {
  instance_pool_id: string;
  instance_pool_name?: string;
  node_type_id?: string;
  min_idle_instances?: number;
  max_capacity?: number;
  idle_instance_autotermination_minutes?: number;
  custom_tags?: Record<string, string>;
  default_tags?: Record<string, string>;
  state?: OpenEnum<'ACTIVE' | 'STOPPED' | 'DELETED'>;
  stats?: { used_count?: number; idle_count?: number; pending_used_count?: number; pending_idle_count?: number };
  status?: { pending_instance_errors?: { instance_id?: string; message?: string }[] };
  preloaded_spark_versions?: string[];
  [field: string]: unknown;
}

export class InstancePoolsService {
  constructor(private readonly http: HttpClient) {}

  private async post<T>(op: string, path: string, body: unknown, idempotent: boolean, opts?: CallOptions): Promise<T> {
    return this.http.request<T>({ operation: `instancePools.${op}`, method: 'POST', path: `${BASE}${path}`, body, idempotent, ...opts });
  }

  /** Not safe to repeat: creates a pool each time. */
  async create(req: CreateInstancePoolRequest, opts?: CallOptions): Promise<{ instance_pool_id: string }> {
    return this.post('create', '/create', validate('instancePools.create', CreateSchema, req), false, opts);
  }

  /** Full replace of the editable fields: repeating it gives the same pool. */
  async edit(req: EditInstancePoolRequest, opts?: CallOptions): Promise<Empty> {
    return this.post('edit', '/edit', validate('instancePools.edit', EditSchema, req), true, opts);
  }

  async delete(req: In<typeof IdSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('delete', '/delete', validate('instancePools.delete', IdSchema, req), true, opts);
  }

  async get(req: In<typeof IdSchema>, opts?: CallOptions): Promise<InstancePool> {
    const q = validate('instancePools.get', IdSchema, req);
    return this.http.request({ operation: 'instancePools.get', method: 'GET', path: `${BASE}/get`, query: q, idempotent: true, ...opts });
  }

  async listPage(opts?: CallOptions): Promise<{ instance_pools?: InstancePool[] }> {
    return this.http.request({ operation: 'instancePools.list', method: 'GET', path: `${BASE}/list`, idempotent: true, ...opts });
  }

  /** Unpaged in the API; an iterator for uniformity. */
  list(req: In<typeof listCap> = {}, opts?: CallOptions): Paginated<InstancePool> {
    const { limit } = validate('instancePools.list', listCap, req);
    return paginate(async () => ({ items: (await this.listPage(opts)).instance_pools ?? [] }), limit);
  }
}
