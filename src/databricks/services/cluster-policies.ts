/** Cluster Policies API 2.0 (`/api/2.0/policies/clusters`) and policy families (`/api/2.0/policy-families`). */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { byPageToken, paginate, type Paginated } from '../paginate.js';
import { listCap, nonEmpty, positiveInt, validate, type In } from '../validate.js';
import type { Empty, OpenEnum } from './types.js';

const BASE = '/api/2.0/policies/clusters';

/** A definition is a JSON document sent as a string; the client checks it parses so a typo fails before any request. */
const jsonText = z.string({ error: 'must be a string' }).refine(
  (s) => {
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be a JSON document (passed as a string)' },
);

const PolicyFields = {
  name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
  definition: jsonText.optional(),
  description: z.string().optional(),
  max_clusters_per_user: positiveInt.optional(),
  policy_family_id: z.string().optional(),
  policy_family_definition_overrides: jsonText.optional(),
  libraries: z.array(z.record(z.string(), z.unknown())).max(500, { error: 'at most 500 libraries' }).optional(),
};
const CreateSchema = z.looseObject(PolicyFields);
export type CreatePolicyRequest = z.infer<typeof CreateSchema>;
const EditSchema = z.looseObject({ ...PolicyFields, policy_id: nonEmpty });
export type EditPolicyRequest = z.infer<typeof EditSchema>;
const IdSchema = z.looseObject({ policy_id: nonEmpty });
const ListSchema = listCap.extend({ sort_column: z.enum(['POLICY_CREATION_TIME', 'POLICY_NAME']).optional(), sort_order: z.enum(['ASC', 'DESC']).optional() });
export type ListPoliciesRequest = z.infer<typeof ListSchema>;
const FamilyListSchema = listCap.extend({ max_results: positiveInt.optional(), page_token: z.string().optional() });
const FamilyIdSchema = z.looseObject({ policy_family_id: nonEmpty, version: positiveInt.optional() });
const ComplianceSchema = z.looseObject({ cluster_id: nonEmpty });
const ListComplianceSchema = listCap.extend({ policy_id: nonEmpty, page_size: positiveInt.optional() });
const EnforceComplianceSchema = z.looseObject({
  cluster_id: nonEmpty,
  validate_only: z.boolean({ error: 'must be a boolean' }).optional(),
  enforce_mode: z.enum(['ENFORCE_IMMEDIATELY', 'WAIT_FOR_TERMINATION'], { error: 'must be ENFORCE_IMMEDIATELY or WAIT_FOR_TERMINATION' }).optional(),
});
export type EnforceClusterComplianceRequest = z.infer<typeof EnforceComplianceSchema>;

/** One change enforcing compliance made (or, with validate_only, would make); values are strings for people to read. */
export interface PolicySettingsChange {
  field?: string;
  previous_value?: string;
  new_value?: string;
}

export interface EnforceClusterComplianceResponse {
  has_changes?: boolean;
  changes?: PolicySettingsChange[];
  enforce_result?: OpenEnum<'APPLIED' | 'DEFERRED' | 'NO_CHANGES'>;
}

/** Whether a cluster's spec still satisfies its policy; `violations` maps a policy path to what is wrong. */
export interface ClusterCompliance {
  cluster_id?: string;
  is_compliant?: boolean;
  violations?: Record<string, string>;
}

export interface ClusterPolicy {
  policy_id: string;
  name?: string;
  /** The effective definition (a JSON string); for a family-based policy, the family's merged with the overrides. */
  definition?: string;
  description?: string;
  max_clusters_per_user?: number;
  policy_family_id?: string;
  policy_family_definition_overrides?: string;
  libraries?: Record<string, unknown>[];
  creator_user_name?: string;
  created_at_timestamp?: number;
  is_default?: boolean;
  [field: string]: unknown;
}

export interface PolicyFamily {
  policy_family_id: string;
  name?: string;
  description?: string;
  definition?: string;
  [field: string]: unknown;
}

export type PolicySortColumn = OpenEnum<'POLICY_CREATION_TIME' | 'POLICY_NAME'>;

export class ClusterPoliciesService {
  constructor(private readonly http: HttpClient) {}

  private async post<T>(op: string, body: unknown, idempotent: boolean, opts?: CallOptions): Promise<T> {
    return this.http.request<T>({ operation: `clusterPolicies.${op}`, method: 'POST', path: `${BASE}/${op}`, body, idempotent, ...opts });
  }

  /** Not safe to repeat blindly: a second call fails on the (unique) name; the create activity adopts on retry. */
  async create(req: CreatePolicyRequest, opts?: CallOptions): Promise<{ policy_id: string }> {
    return this.post('create', validate('clusterPolicies.create', CreateSchema, req), false, opts);
  }

  /** Full replace of the writable fields: repeating it gives the same policy. */
  async edit(req: EditPolicyRequest, opts?: CallOptions): Promise<Empty> {
    return this.post('edit', validate('clusterPolicies.edit', EditSchema, req), true, opts);
  }

  async delete(req: In<typeof IdSchema>, opts?: CallOptions): Promise<Empty> {
    return this.post('delete', validate('clusterPolicies.delete', IdSchema, req), true, opts);
  }

  async get(req: In<typeof IdSchema>, opts?: CallOptions): Promise<ClusterPolicy> {
    const q = validate('clusterPolicies.get', IdSchema, req);
    return this.http.request({ operation: 'clusterPolicies.get', method: 'GET', path: `${BASE}/get`, query: q, idempotent: true, ...opts });
  }

  async listPage(req: Omit<ListPoliciesRequest, 'limit'> = {}, opts?: CallOptions): Promise<{ policies?: ClusterPolicy[] }> {
    const q = validate('clusterPolicies.list', ListSchema, req);
    return this.http.request({ operation: 'clusterPolicies.list', method: 'GET', path: `${BASE}/list`, query: q, idempotent: true, ...opts });
  }

  /** Unpaged in the API; an iterator for uniformity (`limit` caps it). */
  list(req: In<typeof ListSchema> = {}, opts?: CallOptions): Paginated<ClusterPolicy> {
    const { limit, ...query } = validate('clusterPolicies.list', ListSchema, req);
    return paginate(async () => ({ items: (await this.listPage(query, opts)).policies ?? [] }), limit);
  }

  async getFamily(req: In<typeof FamilyIdSchema>, opts?: CallOptions): Promise<PolicyFamily> {
    const { policy_family_id, ...q } = validate('clusterPolicies.getFamily', FamilyIdSchema, req);
    return this.http.request({ operation: 'clusterPolicies.getFamily', method: 'GET', path: `/api/2.0/policy-families/${encodeURIComponent(policy_family_id)}`, query: q, idempotent: true, ...opts });
  }

  async listFamiliesPage(req: { max_results?: number; page_token?: string } = {}, opts?: CallOptions): Promise<{ policy_families?: PolicyFamily[]; next_page_token?: string }> {
    const q = validate('clusterPolicies.listFamilies', FamilyListSchema, req);
    return this.http.request({ operation: 'clusterPolicies.listFamilies', method: 'GET', path: '/api/2.0/policy-families', query: q, idempotent: true, ...opts });
  }

  /** A cluster's policy compliance (a cluster may fall out of it when its policy is edited). */
  async getCompliance(req: In<typeof ComplianceSchema>, opts?: CallOptions): Promise<ClusterCompliance> {
    const query = validate('clusterPolicies.getCompliance', ComplianceSchema, req);
    return this.http.request({ operation: 'clusterPolicies.getCompliance', method: 'GET', path: `${BASE}/get-compliance`, query, idempotent: true, ...opts });
  }

  /**
   * Brings a cluster back within its current policy: a TERMINATED cluster is edited, a RUNNING one
   * edited and restarted (`validate_only` previews). Safe to repeat: once compliant, a second call
   * has no changes and restarts nothing.
   */
  async enforceCompliance(req: EnforceClusterComplianceRequest, opts?: CallOptions): Promise<EnforceClusterComplianceResponse> {
    const body = validate('clusterPolicies.enforceCompliance', EnforceComplianceSchema, req);
    return this.http.request({ operation: 'clusterPolicies.enforceCompliance', method: 'POST', path: `${BASE}/enforce-compliance`, body, idempotent: true, ...opts });
  }

  /** The compliance of every cluster under a policy, across pages. */
  listCompliance(req: In<typeof ListComplianceSchema>, opts?: CallOptions): Paginated<ClusterCompliance> {
    const { limit, ...query } = validate('clusterPolicies.listCompliance', ListComplianceSchema, req);
    return byPageToken(
      (page) => this.http.request<{ clusters?: ClusterCompliance[]; next_page_token?: string }>({
        operation: 'clusterPolicies.listCompliance', method: 'GET', path: `${BASE}/list-compliance`,
        query: { ...query, ...page }, idempotent: true, ...opts,
      }),
      (r) => r.clusters,
      limit,
    );
  }

  /** Follows `next_page_token` across pages. */
  listFamilies(req: In<typeof FamilyListSchema> = {}, opts?: CallOptions): Paginated<PolicyFamily> {
    const { limit, ...query } = validate('clusterPolicies.listFamilies', FamilyListSchema, req);
    return byPageToken((page) => this.listFamiliesPage({ ...query, ...page }, opts), (r) => r.policy_families, limit);
  }
}
