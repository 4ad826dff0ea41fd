import type { ApiRequest } from '../../http/router.js';
import { jobPolicyIds } from '../jobs/cluster-policy.js';
import type { JobsApi } from '../jobs/index.js';
import type { ServiceContext } from '../types.js';
import type { PermissionsApi } from './api.js';

/**
 * ACL enforcement on other services' routes (clusters, jobs, libraries), through the engine's
 * guard hook: the level each operation needs, per Databricks' cluster and job ACL docs.
 */
const CLUSTER_RULES: Record<string, string> = {
  '/clusters/get': 'CAN_ATTACH_TO',
  '/clusters/events': 'CAN_ATTACH_TO',
  '/libraries/cluster-status': 'CAN_ATTACH_TO',
  '/clusters/start': 'CAN_RESTART',
  '/clusters/restart': 'CAN_RESTART',
  '/clusters/delete': 'CAN_RESTART',
  '/clusters/edit': 'CAN_MANAGE',
  '/clusters/update': 'CAN_MANAGE',
  '/clusters/resize': 'CAN_MANAGE',
  '/clusters/permanent-delete': 'CAN_MANAGE',
  '/libraries/install': 'CAN_MANAGE',
  '/libraries/uninstall': 'CAN_MANAGE',
  // Policy compliance reads like clusters/get and enforces like clusters/edit (levels unverified).
  '/policies/clusters/get-compliance': 'CAN_ATTACH_TO',
  '/policies/clusters/enforce-compliance': 'CAN_MANAGE',
};
const JOB_RULES: Record<string, string> = {
  '/jobs/get': 'CAN_VIEW',
  '/jobs/runs/list': 'CAN_VIEW',
  '/jobs/run-now': 'CAN_MANAGE_RUN',
  '/jobs/update': 'CAN_MANAGE',
  '/jobs/reset': 'CAN_MANAGE',
  '/jobs/delete': 'CAN_MANAGE',
  // Policy compliance reads like jobs/get and enforces like jobs/update (levels unverified).
  '/policies/jobs/get-compliance': 'CAN_VIEW',
  '/policies/jobs/enforce-compliance': 'CAN_MANAGE',
};
const RUN_RULES: Record<string, string> = {
  '/jobs/runs/get': 'CAN_VIEW',
  '/jobs/runs/get-output': 'CAN_VIEW',
  '/jobs/runs/export': 'CAN_VIEW',
  '/jobs/runs/cancel': 'CAN_MANAGE_RUN',
  '/jobs/runs/repair': 'CAN_MANAGE_RUN',
  '/jobs/runs/delete': 'CAN_MANAGE_RUN',
};

/** Creating or re-specifying a cluster under a policy needs CAN_USE on the policy (a missing policy is the route's 404). */
const POLICY_USE = new Set(['/clusters/create', '/clusters/edit', '/clusters/update']);
/** So does saving a job, or submitting a run, whose job clusters name a policy. */
const JOB_POLICY_USE = new Set(['/jobs/create', '/jobs/reset', '/jobs/update', '/jobs/runs/submit']);

export function aclGuard(ctx: ServiceContext, api: PermissionsApi): (req: ApiRequest, input: unknown) => void {
  return (req, input) => {
    if (req.principal.isAdmin) return;
    const op = req.route.replace(/^\/api\/\d+\.\d+/, '');
    const fields = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    if (POLICY_USE.has(op)) {
      const policyId = fields.policy_id ?? (fields.cluster as Record<string, unknown> | undefined)?.policy_id;
      if (typeof policyId === 'string' && policyId !== '') api.require('cluster-policies', policyId, req.principal, 'CAN_USE', `${op.split('/').at(-1)!} a cluster with this policy`);
    }
    if (JOB_POLICY_USE.has(op)) {
      for (const id of jobPolicyIds(fields)) api.require('cluster-policies', id, req.principal, 'CAN_USE', 'use this policy for a job cluster');
    }
    const clusterLevel = CLUSTER_RULES[op];
    if (clusterLevel && typeof fields.cluster_id === 'string') {
      api.require('clusters', fields.cluster_id, req.principal, clusterLevel, op.split('/').at(-1)!);
      return;
    }
    const jobLevel = JOB_RULES[op];
    if (jobLevel && fields.job_id !== undefined) {
      api.require('jobs', String(fields.job_id), req.principal, jobLevel, op.split('/').at(-1)!);
      return;
    }
    const runLevel = RUN_RULES[op];
    if (runLevel && typeof fields.run_id === 'number') {
      const jobs = ctx.service<JobsApi>('jobs');
      const parent = jobs?.taskRun(fields.run_id)?.parent_run_id;
      const jobId = jobs?.run(parent ?? fields.run_id)?.job_id;
      if (jobId !== undefined) api.require('jobs', String(jobId), req.principal, runLevel, op.split('/').at(-1)!);
    }
  };
}
