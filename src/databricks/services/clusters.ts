/** Clusters API 2.1 (§2.1). */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { byPageToken, paginate, type Paginated } from '../paginate.js';
import { nonEmpty, nonNegativeInt, validate, type In } from '../validate.js';
import type { Empty, OpenEnum } from './types.js';

const BASE = '/api/2.1/clusters';

export type ClusterState = OpenEnum<'PENDING' | 'RUNNING' | 'RESTARTING' | 'RESIZING' | 'TERMINATING' | 'TERMINATED' | 'ERROR' | 'UNKNOWN'>;

const autoscale = z.looseObject({ min_workers: nonNegativeInt, max_workers: nonNegativeInt });

export const ClusterSpecSchema = z.looseObject({
  spark_version: nonEmpty,
  cluster_name: z.string().optional(),
  num_workers: nonNegativeInt.optional(),
  autoscale: autoscale.optional(),
  node_type_id: z.string().optional(),
  driver_node_type_id: z.string().optional(),
  instance_pool_id: z.string().optional(),
  driver_instance_pool_id: z.string().optional(),
  autotermination_minutes: nonNegativeInt
    .refine((m) => m === 0 || (m >= 10 && m <= 10000), { error: 'must be 0 (never) or 10-10000' })
    .optional(),
  custom_tags: z
    .record(z.string(), z.string())
    .refine((t) => Object.keys(t).length <= 45, { error: 'at most 45 tags' })
    .optional(),
  spark_conf: z.record(z.string(), z.string()).optional(),
  spark_env_vars: z.record(z.string(), z.string()).optional(),
  data_security_mode: z.string().optional(),
  single_user_name: z.string().optional(),
  runtime_engine: z.string().optional(),
  policy_id: z.string().optional(),
  apply_policy_default_values: z.boolean().optional(),
  init_scripts: z.array(z.record(z.string(), z.unknown())).optional(),
  ssh_public_keys: z.array(z.string()).max(10, { error: 'at most 10 keys' }).optional(),
  enable_elastic_disk: z.boolean().optional(),
  enable_local_disk_encryption: z.boolean().optional(),
  kind: z.string().optional(),
  is_single_node: z.boolean().optional(),
  use_ml_runtime: z.boolean().optional(),
});
export type ClusterSpec = z.infer<typeof ClusterSpecSchema>;
export type CreateClusterRequest = ClusterSpec;

const ClusterIdSchema = z.looseObject({ cluster_id: nonEmpty });
export type ClusterIdRequest = z.infer<typeof ClusterIdSchema>;
const EditSchema = ClusterSpecSchema.extend({ cluster_id: nonEmpty });
export type EditClusterRequest = z.infer<typeof EditSchema>;
const UpdateSchema = z.looseObject({ cluster_id: nonEmpty, update_mask: nonEmpty, cluster: z.record(z.string(), z.unknown()).optional() });
export type UpdateClusterRequest = z.infer<typeof UpdateSchema>;
const ResizeSchema = z.looseObject({ cluster_id: nonEmpty, num_workers: nonNegativeInt.optional(), autoscale: autoscale.optional() });
export type ResizeClusterRequest = z.infer<typeof ResizeSchema>;
const RestartSchema = z.looseObject({ cluster_id: nonEmpty, restart_user: z.string().optional() });
const ChangeOwnerSchema = z.looseObject({ cluster_id: nonEmpty, owner_username: nonEmpty });
const ListSchema = z.looseObject({
  page_size: nonNegativeInt.optional(),
  page_token: z.string().optional(),
  filter_by: z
    .looseObject({
      cluster_states: z.array(z.string()).optional(),
      cluster_sources: z.array(z.string()).optional(),
      is_pinned: z.boolean().optional(),
      policy_id: z.string().optional(),
    })
    .optional(),
  sort_by: z.looseObject({ field: z.string().optional(), direction: z.string().optional() }).optional(),
  limit: nonNegativeInt.optional(),
});
export type ListClustersRequest = z.infer<typeof ListSchema>;
const EventsSchema = z.looseObject({
  cluster_id: nonEmpty,
  start_time: z.number().optional(),
  end_time: z.number().optional(),
  order: z.enum(['ASC', 'DESC']).optional(),
  event_types: z.array(z.string()).optional(),
  page_size: z.number().int().min(0).max(500, { error: 'must be at most 500' }).optional(),
  page_token: z.string().optional(),
  offset: nonNegativeInt.optional(),
  limit: nonNegativeInt.optional(),
});
export type ClusterEventsRequest = z.infer<typeof EventsSchema>;

export interface TerminationReason {
  code?: string;
  type?: OpenEnum<'SUCCESS' | 'CLIENT_ERROR' | 'SERVICE_FAULT' | 'CLOUD_FAILURE'>;
  parameters?: Record<string, string>;
}

export interface SparkNode {
  node_id?: string;
  instance_id?: string;
  private_ip?: string;
  public_dns?: string;
  start_timestamp?: number;
}

export interface ClusterDetails {
  cluster_id: string;
  cluster_name?: string;
  spark_version?: string;
  state?: ClusterState;
  state_message?: string;
  num_workers?: number;
  autoscale?: { min_workers?: number; max_workers?: number };
  node_type_id?: string;
  driver_node_type_id?: string;
  instance_pool_id?: string;
  autotermination_minutes?: number;
  custom_tags?: Record<string, string>;
  default_tags?: Record<string, string>;
  spark_conf?: Record<string, string>;
  data_security_mode?: string;
  runtime_engine?: string;
  start_time?: number;
  terminated_time?: number;
  last_restarted_time?: number;
  last_state_loss_time?: number;
  termination_reason?: TerminationReason;
  creator_user_name?: string;
  cluster_source?: OpenEnum<'API' | 'UI' | 'JOB' | 'MODELS' | 'PIPELINE' | 'PIPELINE_MAINTENANCE' | 'SQL'>;
  driver?: SparkNode;
  executors?: SparkNode[];
  spark_context_id?: number;
  jdbc_port?: number;
  cluster_cores?: number;
  cluster_memory_mb?: number;
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface ListClustersResponse {
  clusters?: ClusterDetails[];
  next_page_token?: string;
  prev_page_token?: string;
}

export interface ClusterEvent {
  cluster_id: string;
  timestamp?: number;
  type?: string;
  details?: { current_num_workers?: number; target_num_workers?: number; reason?: TerminationReason; user?: string; cause?: string; [k: string]: unknown };
}

export interface ClusterEventsResponse {
  events?: ClusterEvent[];
  next_page_token?: string;
  prev_page_token?: string;
  /** Deprecated cursor: the request to send for the next page. */
  next_page?: Record<string, unknown>;
  total_count?: number;
}

export interface NodeType {
  node_type_id: string;
  memory_mb?: number;
  num_cores?: number;
  num_gpus?: number;
  category?: string;
  description?: string;
  is_deprecated?: boolean;
  [field: string]: unknown;
}

export class ClustersService {
  constructor(private readonly http: HttpClient) {}

  private async post<T>(op: string, path: string, body: unknown, idempotent: boolean, opts?: CallOptions): Promise<T> {
    return this.http.request<T>({ operation: `clusters.${op}`, method: 'POST', path: `${BASE}${path}`, body, idempotent, ...opts });
  }

  /** Not safe to repeat: every call creates a cluster (tag it to find it again). */
  async create(req: CreateClusterRequest, opts?: CallOptions): Promise<{ cluster_id: string }> {
    return this.post('create', '/create', validate('clusters.create', ClusterSpecSchema, req), false, opts);
  }

  /** Not retried after sending: on a RUNNING cluster it restarts, and a repeat would hit INVALID_STATE. */
  async edit(req: EditClusterRequest, opts?: CallOptions): Promise<Empty> {
    return this.post('edit', '/edit', validate('clusters.edit', EditSchema, req), false, opts);
  }

  async update(req: UpdateClusterRequest, opts?: CallOptions): Promise<Empty> {
    return this.post('update', '/update', validate('clusters.update', UpdateSchema, req), false, opts);
  }

  /** Not retried after sending: a repeat on a now-PENDING cluster answers INVALID_STATE (§1.6 quirk 3). */
  async start(req: ClusterIdRequest, opts?: CallOptions): Promise<Empty> {
    return this.post('start', '/start', validate('clusters.start', ClusterIdSchema, req), false, opts);
  }

  async restart(req: ClusterIdRequest & { restart_user?: string }, opts?: CallOptions): Promise<Empty> {
    return this.post('restart', '/restart', validate('clusters.restart', RestartSchema, req), false, opts);
  }

  /** Terminates (keeps the config). Safe to repeat: a no-op once terminating/terminated. */
  async delete(req: ClusterIdRequest, opts?: CallOptions): Promise<Empty> {
    return this.post('delete', '/delete', validate('clusters.delete', ClusterIdSchema, req), true, opts);
  }

  async permanentDelete(req: ClusterIdRequest, opts?: CallOptions): Promise<Empty> {
    return this.post('permanentDelete', '/permanent-delete', validate('clusters.permanentDelete', ClusterIdSchema, req), true, opts);
  }

  async resize(req: ResizeClusterRequest, opts?: CallOptions): Promise<Empty> {
    return this.post('resize', '/resize', validate('clusters.resize', ResizeSchema, req), false, opts);
  }

  async pin(req: ClusterIdRequest, opts?: CallOptions): Promise<Empty> {
    return this.post('pin', '/pin', validate('clusters.pin', ClusterIdSchema, req), true, opts);
  }

  async unpin(req: ClusterIdRequest, opts?: CallOptions): Promise<Empty> {
    return this.post('unpin', '/unpin', validate('clusters.unpin', ClusterIdSchema, req), true, opts);
  }

  async changeOwner(req: In<typeof ChangeOwnerSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('changeOwner', '/change-owner', validate('clusters.changeOwner', ChangeOwnerSchema, req), true, opts);
  }

  async get(req: ClusterIdRequest, opts?: CallOptions): Promise<ClusterDetails> {
    const q = validate('clusters.get', ClusterIdSchema, req);
    return this.http.request({ operation: 'clusters.get', method: 'GET', path: `${BASE}/get`, query: q, idempotent: true, ...opts });
  }

  async listPage(req: ListClustersRequest = {}, opts?: CallOptions): Promise<ListClustersResponse> {
    const { limit: _limit, ...q } = validate('clusters.list', ListSchema, req);
    return this.http.request({ operation: 'clusters.list', method: 'GET', path: `${BASE}/list`, query: q, idempotent: true, ...opts });
  }

  /** Every cluster, following `next_page_token`; `limit` caps the total. */
  list(req: ListClustersRequest = {}, opts?: CallOptions): Paginated<ClusterDetails> {
    const { limit, ...q } = validate('clusters.list', ListSchema, req);
    return byPageToken((page) => this.listPage({ ...q, ...page }, opts), (r) => r.clusters, limit);
  }

  /** One page of events (a read, sent as POST). */
  async eventsPage(req: ClusterEventsRequest, opts?: CallOptions): Promise<ClusterEventsResponse> {
    const { limit, ...body } = validate('clusters.events', EventsSchema, req);
    // `limit` here is the legacy page size of the API; the iterator's total cap is handled in `events`.
    return this.post('events', '/events', limit === undefined ? body : { ...body, limit }, true, opts);
  }

  /**
   * Every event, following `next_page_token`, or the legacy `next_page` request object when a
   * server only sends that (§1.6 quirk 9). `limit` caps the total number of events.
   */
  events(req: Omit<ClusterEventsRequest, 'limit' | 'offset'> & { limit?: number }, opts?: CallOptions): Paginated<ClusterEvent> {
    const { limit, ...first } = validate('clusters.events', EventsSchema, req);
    type Cursor = { token: string } | { legacy: Record<string, unknown> };
    return paginate<ClusterEvent, Cursor>(async (cursor) => {
      const body =
        cursor === undefined ? first : 'token' in cursor ? { ...first, page_token: cursor.token } : { ...cursor.legacy, cluster_id: first.cluster_id };
      const r = await this.post<ClusterEventsResponse>('events', '/events', body, true, opts);
      const next: Cursor | undefined = r.next_page_token
        ? { token: r.next_page_token }
        : r.next_page && Object.keys(r.next_page).length > 0
          ? { legacy: r.next_page }
          : undefined;
      return { items: r.events ?? [], next };
    }, limit);
  }

  async listNodeTypes(opts?: CallOptions): Promise<{ node_types?: NodeType[] }> {
    return this.http.request({ operation: 'clusters.listNodeTypes', method: 'GET', path: `${BASE}/list-node-types`, idempotent: true, ...opts });
  }

  async sparkVersions(opts?: CallOptions): Promise<{ versions?: { key: string; name?: string }[] }> {
    return this.http.request({ operation: 'clusters.sparkVersions', method: 'GET', path: `${BASE}/spark-versions`, idempotent: true, ...opts });
  }

  async listZones(opts?: CallOptions): Promise<{ zones?: string[]; default_zone?: string }> {
    return this.http.request({ operation: 'clusters.listZones', method: 'GET', path: `${BASE}/list-zones`, idempotent: true, ...opts });
  }
}
