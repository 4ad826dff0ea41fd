import { z } from 'zod';
import { notFound, notImplemented } from '../../http/errors.js';
import { listBody, offsetPage } from '../../http/paging.js';
import { route, versions, type RouteDef } from '../../http/router.js';
import { nonEmpty, nonNegInt } from '../../http/validation.js';
import type { ClustersApi } from '../clusters/index.js';
import { doesNotExist } from '../clusters/model.js';
import type { ServiceContext } from '../types.js';
import { parseDefinition, policyViolations } from './definition.js';
import type { PolicyRecord } from './index.js';

/**
 * Policy compliance of clusters (`/api/2.0/policies/clusters/get-compliance`, `list-compliance`):
 * whether a user-made cluster's current spec still satisfies its policy, which it may not once the
 * policy was edited after the cluster. Violations map the policy path to what is wrong, in the
 * words of the policy checks. Unverified: those texts, the page size (50, at most 100 here), and
 * what a cluster without a policy answers (compliant, no violations). Enforcing compliance (the
 * edit and restart it implies) answers 501.
 */
const PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

export function complianceRoutes(ctx: ServiceContext, findPolicy: (id: string) => PolicyRecord | undefined): RouteDef[] {
  const v = (s: string) => versions(['2.0'], `/policies/clusters${s}`);
  const clusters = () => ctx.service<ClustersApi>('clusters')?.userClusters() ?? [];
  const compliance = (spec: Record<string, unknown>) => {
    const policyId = typeof spec.policy_id === 'string' && spec.policy_id !== '' ? spec.policy_id : undefined;
    if (!policyId) return { is_compliant: true, violations: {} };
    const policy = findPolicy(policyId);
    const definition = policy ? parseDefinition(policy.definition) : undefined;
    const violations = !policy
      ? { policy_id: `the policy ${policyId} does not exist` }
      : !definition
        ? { policy_id: `the policy ${policyId} has a malformed definition` }
        : policyViolations(definition, spec, { applyDefaults: false, clusterType: 'all-purpose' });
    return { is_compliant: Object.keys(violations).length === 0, violations };
  };
  return [
    route({
      method: 'GET',
      paths: v('/get-compliance'),
      input: z.object({ cluster_id: nonEmpty() }),
      handle(i) {
        const cluster = clusters().find((c) => c.cluster_id === i.cluster_id);
        if (!cluster) throw doesNotExist(i.cluster_id);
        return compliance(cluster.spec);
      },
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
      input: z.looseObject({}),
      handle: () => {
        throw notImplemented('not supported by the emulator: enforcing policy compliance (edit the cluster to its policy instead)');
      },
    }),
  ];
}
