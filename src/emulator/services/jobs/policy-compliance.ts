import { z } from 'zod';
import { notFound } from '../../http/errors.js';
import { listBody, offsetPage } from '../../http/paging.js';
import { route, versions, type ApiRequest, type RouteDef } from '../../http/router.js';
import { bool, int, nonEmpty, nonNegInt } from '../../http/validation.js';
import type { ClusterPoliciesApi } from '../cluster-policies/index.js';
import { enforceOnSpec, policyIdOf, specViolations } from '../cluster-policies/spec-compliance.js';
import type { PermissionsApi } from '../permissions/api.js';
import type { ServiceContext } from '../types.js';
import { locatedNewClusters } from './cluster-policy.js';
import type { JobRecord, JobsStore } from './jobs-store.js';
import type { JobSettings } from './settings.js';
import type { JobViews } from './views.js';

/**
 * Policy compliance of jobs (`/api/2.0/policies/jobs/{get,list,enforce}-compliance`). A job is
 * checked per `new_cluster` that names a policy (job clusters, task clusters), with the virtual
 * `cluster_type` = `job`; since jobs/create and update refuse non-compliant clusters, a job falls
 * out of compliance when a policy it uses is edited afterwards. Violations and changes are keyed by
 * where the cluster sits (`job_clusters[<key>].new_cluster.<path>`, see ./cluster-policy.ts).
 *
 * Documented (Jobs API reference): enforce updates the job's settings so its job clusters comply,
 * by applying policy defaults, and leaves all-purpose clusters (existing_cluster_id) alone;
 * `validate_only` previews; the answer is `{has_changes, job_cluster_changes, settings}`; list
 * pages default to 20 and take at most 100. Runs already started keep the settings they were
 * launched with (the emulator copies a job's settings into each run). Unverified: the permission
 * levels (CAN_VIEW to read, CAN_MANAGE to enforce — the guard's rules), that list shows only jobs
 * the caller can view, and the fixing rules (../cluster-policies/enforce.ts).
 */
const PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

export function jobComplianceRoutes(ctx: ServiceContext, store: JobsStore, views: JobViews): RouteDef[] {
  const v = (s: string) => versions(['2.0'], `/policies/jobs${s}`);
  const policies = () => ctx.service<ClusterPoliciesApi>('cluster-policies');
  const find = (id: string) => policies()?.find(id);
  const compliance = (job: JobRecord) => {
    const violations: Record<string, string> = {};
    for (const { at, spec } of locatedNewClusters(job.settings as unknown as Record<string, unknown>)) {
      for (const [path, problem] of Object.entries(specViolations(spec, find, 'job'))) violations[`${at}.${path}`] = problem;
    }
    return { is_compliant: Object.keys(violations).length === 0, violations };
  };
  const canView = (job: JobRecord, req: ApiRequest) => ctx.service<PermissionsApi>('permissions')?.has('jobs', String(job.job_id), req.principal, 'CAN_VIEW') ?? true;
  return [
    route({
      method: 'GET',
      paths: v('/get-compliance'),
      input: z.object({ job_id: int() }),
      handle: (i) => compliance(store.get(i.job_id)),
    }),
    route({
      method: 'GET',
      paths: v('/list-compliance'),
      input: z.object({ policy_id: nonEmpty(), page_size: nonNegInt().optional(), page_token: z.string().optional() }),
      handle(i, req) {
        if (!find(i.policy_id)) throw notFound(`Can't find a cluster policy with id: ${i.policy_id}.`);
        const all = [...store.jobs.values()]
          .filter((j) => locatedNewClusters(j.settings as unknown as Record<string, unknown>).some((c) => policyIdOf(c.spec) === i.policy_id) && canView(j, req))
          .sort((a, b) => a.job_id - b.job_id);
        const { page, next, prev } = offsetPage(all, i.page_token, Math.min(i.page_size || PAGE_SIZE, MAX_PAGE_SIZE));
        return listBody(
          'jobs',
          page.map((j) => ({ job_id: j.job_id, ...compliance(j) })),
          { ...(next ? { next_page_token: next } : {}), ...(prev ? { prev_page_token: prev } : {}) },
        );
      },
    }),
    route({
      method: 'POST',
      paths: v('/enforce-compliance'),
      input: z.object({ job_id: int(), validate_only: bool().optional() }),
      handle(i) {
        const job = store.get(i.job_id);
        // Every cluster is enforced on a copy first: one that cannot be fixed fails the request before the job changes.
        const next = structuredClone(job.settings) as unknown as Record<string, unknown>;
        const changes: { field: string; previous_value?: string; new_value?: string }[] = [];
        for (const { at, spec } of locatedNewClusters(next)) {
          const enforced = enforceOnSpec(spec, find, 'job');
          for (const k of Object.keys(spec)) delete spec[k];
          Object.assign(spec, enforced.spec);
          changes.push(...enforced.changes.map((c) => ({ ...c, field: `${at}.${c.field}` })));
        }
        const settings = next as unknown as JobSettings;
        // A new settings version, as jobs/update makes; runs already launched are not touched.
        if (!i.validate_only && changes.length > 0) job.settings = settings;
        return { has_changes: changes.length > 0, job_cluster_changes: changes, settings: views.job({ ...job, settings }, { apiVersion: '2.2' }).settings };
      },
    }),
  ];
}
