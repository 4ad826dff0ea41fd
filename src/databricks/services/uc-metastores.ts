/**
 * The workspace's Unity Catalog metastore (`/api/2.1/unity-catalog/current-metastore-assignment`,
 * `metastore_summary`, `metastores`): which metastore the workspace uses, its default catalog, and
 * its settings. Read-only here: creating and assigning metastores is account-admin work.
 */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { byPageToken, type Paginated } from '../paginate.js';
import { listCap, nonEmpty, nonNegativeInt, validate, type In } from '../validate.js';
import { BASE, seg } from './uc-common.js';

export interface MetastoreAssignment {
  workspace_id: number;
  metastore_id: string;
  default_catalog_name?: string;
}

export interface MetastoreInfo {
  metastore_id?: string;
  name?: string;
  owner?: string;
  cloud?: string;
  region?: string;
  global_metastore_id?: string;
  storage_root?: string;
  privilege_model_version?: string;
  delta_sharing_scope?: string;
  created_at?: number;
  updated_at?: number;
  [field: string]: unknown;
}

const ListMetastoresSchema = z.looseObject({ max_results: nonNegativeInt.optional(), page_token: z.string().optional(), limit: listCap.shape.limit });
const IdSchema = z.looseObject({ id: nonEmpty });

export class MetastoresService {
  constructor(private readonly http: HttpClient) {}

  /** The metastore assigned to this workspace and its default catalog (`w.metastores.current()`). */
  async current(opts?: CallOptions): Promise<MetastoreAssignment> {
    return this.http.request({ operation: 'metastores.current', method: 'GET', path: `${BASE}/current-metastore-assignment`, idempotent: true, ...opts });
  }

  /** The assigned metastore's details (cloud, region, owner, storage root, …). */
  async summary(opts?: CallOptions): Promise<MetastoreInfo> {
    return this.http.request({ operation: 'metastores.summary', method: 'GET', path: `${BASE}/metastore_summary`, idempotent: true, ...opts });
  }

  async get(req: In<typeof IdSchema>, opts?: CallOptions): Promise<MetastoreInfo> {
    const { id } = validate('metastores.get', IdSchema, req);
    return this.http.request({ operation: 'metastores.get', method: 'GET', path: `${BASE}/metastores/${seg(id)}`, idempotent: true, ...opts });
  }

  list(req: In<typeof ListMetastoresSchema> = {}, opts?: CallOptions): Paginated<MetastoreInfo> {
    const { limit, ...q } = validate('metastores.list', ListMetastoresSchema, req);
    return byPageToken(
      (page) => this.http.request<{ metastores?: MetastoreInfo[]; next_page_token?: string }>({
        operation: 'metastores.list', method: 'GET', path: `${BASE}/metastores`,
        query: { ...q, ...page }, idempotent: true, ...opts,
      }),
      (r) => r.metastores,
      limit,
    );
  }
}
