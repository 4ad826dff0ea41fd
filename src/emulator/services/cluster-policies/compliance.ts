import { z } from 'zod';
import { invalidParameter, notFound, notImplemented, permissionDenied } from '../../http/errors.js';
import { listBody, offsetPage } from '../../http/paging.js';
import { route, versions, type RouteDef } from '../../http/router.js';
import { bool, nonEmpty, nonNegInt } from '../../http/validation.js';
import type { ClustersApi } from '../clusters/index.js';
import { doesNotExist } from '../clusters/model.js';
import type { ServiceContext } from '../types.js';
import { enforceOnSpec, specViolations, type FindPolicy } from './spec-compliance.js';

/**
 * Policy compliance of clusters (`/api/2.0/policies/clusters/{get,list,enforce}-compliance`):
 * whether a user-made cluster's current spec still satisfies its policy, which it may not once the
 * policy was edited after the cluster, and bringing it back within the policy.
 *
 * Documented (Clusters API reference, SDK docstrings): enforce edits a TERMINATED cluster, which
 * stays TERMINATED; with ENFORCE_IMMEDIATELY (the default) a RUNNING cluster is restarted to apply
 * the changes and any other state is refused; WAIT_FOR_TERMINATION is for workspace admins only;
 * clusters made by jobs cannot be enforced here; `validate_only` previews; the answer is
 * `{has_changes, changes, enforce_result}` (APPLIED | DEFERRED | NO_CHANGES); list pages default
 * to 20 and take at most 100. Not emulated: WAIT_FOR_TERMINATION on a cluster that is not
 * TERMINATED (a pending enforcement) answers 501. Unverified: which rules are fixed and how (see
 * ./enforce.ts), that enforce needs CAN_MANAGE on the cluster (checked by the ACL guard, as for
 * clusters/edit), what a cluster without a policy answers (compliant; enforce has no changes).
 */
const PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

const enforceInput = z.object({
  cluster_id: nonEmpty(),
  validate_only: bool().optional(),
  enforce_mode: z.enum(['ENFORCE_IMMEDIATELY', 'WAIT_FOR_TERMINATION']).optional(),
});

export function complianceRoutes(ctx: ServiceContext, findPolicy: FindPolicy): RouteDef[] {
  const v = (s: string) => versions(['2.0'], `/policies/clusters${s}`);
  const clustersApi = () => ctx.service<ClustersApi>('clusters');
  const clusters = () => clustersApi()?.userClusters() ?? [];
  const userCluster = (id: string) => {
    const cluster = clusters().find((c) => c.cluster_id === id);
    if (cluster) return cluster;
    // A job run's cluster exists but is not the user's to enforce (the reference says so).
    if (clustersApi()?.state(id)) throw invalidParameter(`Cluster ${id} was created by a job and cannot be enforced by this API; enforce the job's policy compliance instead.`);
    throw doesNotExist(id);
  };
  const compliance = (spec: Record<string, unknown>) => {
    const violations = specViolations(spec, findPolicy, 'all-purpose');
    return { is_compliant: Object.keys(violations).length === 0, violations };
  };
  return [
    route({
      method: 'GET',
      paths: v('/get-compliance'),
      input: z.object({ cluster_id: nonEmpty() }),
      handle: (i) => compliance(userCluster(i.cluster_id).spec),
    }),
    route({
      method: 'GET',
      paths: v('/list-compliance'),
      input: z.object({ policy_id: nonEmpty(), page_size: nonNegInt().optional(), page_token: z.string().optional() }),
      handle(i) {
        if (!findPolicy(i.policy_id)) throw notFound(`Can't find a cluster policy with id: ${i.policy_id}.`);
        const all = clusters()
          .filter((c) => c.spec.policy_id === i.policy_id)
          .sort((a, b) => a.cluster_id.localeCompare(b.cluster_id));
        const { page, next, prev } = offsetPage(all, i.page_token, Math.min(i.page_size || PAGE_SIZE, MAX_PAGE_SIZE));
        return listBody(
          'clusters',
          page.map((c) => ({ cluster_id: c.cluster_id, ...compliance(c.spec) })),
          { ...(next ? { next_page_token: next } : {}), ...(prev ? { prev_page_token: prev } : {}) },
        );
      },
    }),
    route({
      method: 'POST',
      paths: v('/enforce-compliance'),
      input: enforceInput,
      handle(i, req) {
        if (i.enforce_mode === 'WAIT_FOR_TERMINATION' && !req.principal.isAdmin) throw permissionDenied('Only workspace admins can use the WAIT_FOR_TERMINATION enforce mode.');
        const cluster = userCluster(i.cluster_id);
        const { spec, changes } = enforceOnSpec(cluster.spec, findPolicy, 'all-purpose');
        const answer = (result?: string) => ({ has_changes: changes.length > 0, changes, ...(result ? { enforce_result: result } : {}) });
        // A preview applies nothing, so it reports no enforce_result (unverified).
        if (i.validate_only) return answer();
        if (changes.length === 0) return answer('NO_CHANGES');
        const state = clustersApi()?.state(i.cluster_id);
        if (i.enforce_mode === 'WAIT_FOR_TERMINATION' && state !== 'TERMINATED') {
          throw notImplemented('not supported by the emulator: a pending enforcement (WAIT_FOR_TERMINATION on a cluster that is not TERMINATED); use ENFORCE_IMMEDIATELY');
        }
        // RUNNING restarts through the state machine, TERMINATED just takes the spec, anything else is INVALID_STATE.
        clustersApi()?.replaceSpec(i.cluster_id, spec, req.principal.userName);
        return answer('APPLIED');
      },
    }),
  ];
}
