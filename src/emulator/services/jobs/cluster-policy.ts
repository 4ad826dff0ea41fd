import type { ClusterPoliciesApi } from '../cluster-policies/index.js';
import { parseDefinition } from '../cluster-policies/definition.js';
import { ApiError } from '../../http/errors.js';

/**
 * Job clusters under a cluster policy. A `new_cluster` (in `job_clusters[]`, in a task or a
 * for_each_task's nested task, or at the top level of the 2.0 single-task form) that names a `policy_id` is checked against the policy with
 * the virtual `cluster_type` = `job` when a job is saved (create/reset/update) or a run is submitted,
 * and the policy's values are written into the spec again when a run launches the cluster.
 *
 * What public reports show of the real service: jobs/create refuses a job cluster its policy
 * forbids (terraform-provider-databricks#458 "Cluster Policy Validation Error when creating new
 * job"), while a *malformed* definition passes jobs/create and fails only once a run launches the
 * cluster (databricks/cli#6492, `Requests for the policy … cannot be satisfied due to the malformed
 * policy definition`). The wording of a job's violation is assumed to be the Clusters API's
 * `Validation failed for …` (unverified: no public report quotes a jobs API answer), so the message
 * does not say which of a job's clusters failed.
 */

/** The `new_cluster` objects a job settings body (or runs/submit body) carries. */
export function newClustersOf(settings: Record<string, unknown>): Record<string, unknown>[] {
  return locatedNewClusters(settings).map((c) => c.spec);
}

/**
 * Each `new_cluster` with where it sits, in the form policy compliance keys violations and changes
 * by: `job_clusters[<job_cluster_key>].new_cluster` (the Jobs API reference's example), and by
 * analogy `tasks[<task_key>].new_cluster` and `tasks[<task_key>].for_each_task.task.new_cluster` (unverified).
 */
export function locatedNewClusters(settings: Record<string, unknown>): { at: string; spec: Record<string, unknown> }[] {
  const out: { at: string; spec: Record<string, unknown> }[] = [];
  const add = (at: string, v: unknown) => {
    if (isObject(v)) out.push({ at, spec: v });
  };
  add('new_cluster', settings.new_cluster);
  for (const c of arrayOf(settings.job_clusters)) add(`job_clusters[${String(c.job_cluster_key)}].new_cluster`, c.new_cluster);
  for (const t of arrayOf(settings.tasks)) {
    add(`tasks[${String(t.task_key)}].new_cluster`, t.new_cluster);
    // A for_each_task's nested task is a task of its own: each iteration runs on its compute.
    if (isObject(t.for_each_task) && isObject(t.for_each_task.task)) add(`tasks[${String(t.task_key)}].for_each_task.task.new_cluster`, t.for_each_task.task.new_cluster);
  }
  return out;
}

/** The policy ids those clusters name (what a non-admin needs CAN_USE on); jobs/reset and update carry them in `new_settings`. */
export function jobPolicyIds(body: Record<string, unknown>): string[] {
  const settings = isObject(body.new_settings) ? body.new_settings : body;
  const ids = newClustersOf(settings).map((c) => c.policy_id);
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''))];
}

/**
 * The save-time check: an unknown policy is the Clusters API's 404, a violation its 400, before
 * anything is stored. A malformed definition is let through (see above): the run fails instead.
 */
export function checkJobClusters(settings: Record<string, unknown>, policies: ClusterPoliciesApi | undefined): void {
  if (!policies) return;
  for (const spec of newClustersOf(settings)) {
    const id = spec.policy_id;
    if (typeof id !== 'string' || id === '') continue;
    const policy = policies.find(id);
    if (policy && !parseDefinition(policy.definition)) continue;
    policies.apply(id, spec, options(spec));
  }
}

/**
 * The spec a run launches: the policy's fixed values (and defaults when asked) filled in. When the
 * policy no longer admits the spec (deleted, edited, malformed) the launch fails with that error's
 * message, which the run reports as an invalid cluster request.
 */
export function launchSpec(spec: Record<string, unknown>, policies: ClusterPoliciesApi | undefined): { spec: Record<string, unknown> } | { error: string } {
  const id = spec.policy_id;
  if (!policies || typeof id !== 'string' || id === '') return { spec };
  try {
    return { spec: policies.apply(id, spec, options(spec)) };
  } catch (err) {
    if (err instanceof ApiError) return { error: err.message };
    throw err;
  }
}

const options = (spec: Record<string, unknown>) => ({ applyDefaults: spec.apply_policy_default_values === true, clusterType: 'job' as const });

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function arrayOf(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}
