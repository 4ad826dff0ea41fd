/** Policy compliance for jobs (`/api/2.0/policies/jobs`): whether a job's clusters still satisfy their policies, and bringing them back. */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { byPageToken, type Paginated } from '../paginate.js';
import { int64Id, listCap, nonEmpty, positiveInt, validate, type In } from '../validate.js';
import type { PolicySettingsChange } from './cluster-policies.js';
import type { JobSettings } from './jobs.js';

const BASE = '/api/2.0/policies/jobs';

const JobIdSchema = z.looseObject({ job_id: int64Id });
const ListSchema = listCap.extend({ policy_id: nonEmpty, page_size: positiveInt.max(100, { error: 'must be at most 100' }).optional() });
const EnforceSchema = z.looseObject({ job_id: int64Id, validate_only: z.boolean({ error: 'must be a boolean' }).optional() });

/** Violations are keyed by where the cluster sits, e.g. `job_clusters[main].new_cluster.num_workers`. */
export interface JobCompliance {
  job_id?: number;
  is_compliant?: boolean;
  violations?: Record<string, string>;
}

export interface EnforceJobComplianceResponse {
  has_changes?: boolean;
  /** `field` is prefixed with the cluster's place in the job, as violations are. */
  job_cluster_changes?: PolicySettingsChange[];
  /** The job's settings after enforcement (or as they would be, with validate_only). */
  settings?: JobSettings & Record<string, unknown>;
}

export class JobPolicyComplianceService {
  constructor(private readonly http: HttpClient) {}

  async getCompliance(req: In<typeof JobIdSchema>, opts?: CallOptions): Promise<JobCompliance> {
    const query = validate('jobPolicyCompliance.getCompliance', JobIdSchema, req);
    return this.http.request({ operation: 'jobPolicyCompliance.getCompliance', method: 'GET', path: `${BASE}/get-compliance`, query, idempotent: true, ...opts });
  }

  /** The compliance of every job whose clusters use a policy, across pages. */
  listCompliance(req: In<typeof ListSchema>, opts?: CallOptions): Paginated<JobCompliance> {
    const { limit, ...query } = validate('jobPolicyCompliance.listCompliance', ListSchema, req);
    return byPageToken(
      (page) => this.http.request<{ jobs?: JobCompliance[]; next_page_token?: string }>({
        operation: 'jobPolicyCompliance.listCompliance', method: 'GET', path: `${BASE}/list-compliance`,
        query: { ...query, ...page }, idempotent: true, ...opts,
      }),
      (r) => r.jobs,
      limit,
    );
  }

  /**
   * Rewrites the job's `new_cluster` specs to comply with their policies (runs already started are
   * untouched; `validate_only` previews). Safe to repeat: once compliant, a second call has no changes.
   */
  async enforceCompliance(req: In<typeof EnforceSchema>, opts?: CallOptions): Promise<EnforceJobComplianceResponse> {
    const body = validate('jobPolicyCompliance.enforceCompliance', EnforceSchema, req);
    return this.http.request({ operation: 'jobPolicyCompliance.enforceCompliance', method: 'POST', path: `${BASE}/enforce-compliance`, body, idempotent: true, ...opts });
  }
}
