import { badRequest } from '../../http/errors.js';
import { validate } from '../../http/validation.js';
import type { ClusterPoliciesApi } from '../cluster-policies/index.js';
import type { ClustersModel } from './model.js';
import { clusterSpecSchema, type ClusterSpec } from './schemas.js';

/** States in which a cluster counts against a policy's max_clusters_per_user ("active" clusters). */
const INACTIVE = new Set(['TERMINATING', 'TERMINATED', 'ERROR']);

/**
 * clusters/create, edit and update under a `policy_id`: the policy fills its fixed values (and its
 * defaults when `apply_policy_default_values` is true), rejects violations, and caps how many active
 * clusters one user may hold under it. Pure with respect to the model: it returns the spec to
 * store and throws before anything changes. `editing` is the cluster being edited (not counted).
 */
export function enforcePolicy(spec: ClusterSpec, user: string, model: ClustersModel, policies: ClusterPoliciesApi | undefined, editing?: string): ClusterSpec {
  if (!spec.policy_id || !policies) return spec;
  const policyId = spec.policy_id;
  const applied = policies.apply(policyId, spec, { applyDefaults: spec.apply_policy_default_values === true, clusterType: 'all-purpose' });
  // A policy's value must still make a valid spec (e.g. a fixed num_workers of "two").
  const result = validate(clusterSpecSchema, applied);
  const max = policies.find(policyId)?.max_clusters_per_user;
  if (max !== undefined) {
    let active = 0;
    for (const c of model.clusters.values()) {
      // Job clusters do not count: the limit is on the all-purpose clusters a user keeps (the real
      // docs name no job-cluster rule; unverified), and a job's runs never hit it either.
      if (c.cluster_source === 'JOB') continue;
      if (c.cluster_id !== editing && c.creator_user_name === user && c.spec.policy_id === policyId && !INACTIVE.has(c.state)) active++;
    }
    // Error code and wording unverified: the real service documents the limit, not its error.
    if (active >= max) throw badRequest('QUOTA_EXCEEDED', `User ${user} already has ${active} active cluster(s) under policy ${policyId}, the policy's max_clusters_per_user (${max}).`);
  }
  return result;
}
