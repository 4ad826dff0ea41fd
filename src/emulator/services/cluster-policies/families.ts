import { z } from 'zod';
import { notFound } from '../../http/errors.js';
import { listBody, offsetPage } from '../../http/paging.js';
import { route, versions, type RouteDef } from '../../http/router.js';
import { nonNegInt } from '../../http/validation.js';

/**
 * Policy families (`/api/2.0/policy-families`): the Databricks-provided templates a policy can
 * inherit with `policy_family_id`. The ids and names are the real families'; their definitions here
 * are short stand-ins (the real ones are long and change between releases).
 */
export interface PolicyFamily {
  policy_family_id: string;
  name: string;
  description: string;
  definition: string;
}

const def = (d: Record<string, unknown>) => JSON.stringify(d);
export const POLICY_FAMILIES: readonly PolicyFamily[] = [
  {
    policy_family_id: 'personal-vm',
    name: 'Personal Compute',
    description: 'Use with small-to-medium data or libraries like pandas and scikit-learn. Spark runs in local mode.',
    definition: def({
      'spark_conf.spark.databricks.cluster.profile': { type: 'fixed', value: 'singleNode', hidden: true },
      num_workers: { type: 'fixed', value: 0, hidden: true },
      autotermination_minutes: { type: 'unlimited', defaultValue: 4320, isOptional: true },
      data_security_mode: { type: 'allowlist', values: ['SINGLE_USER', 'DATA_SECURITY_MODE_DEDICATED'], defaultValue: 'SINGLE_USER' },
    }),
  },
  {
    policy_family_id: 'shared-compute',
    name: 'Shared Compute',
    description: 'Multi-user clusters with Unity Catalog shared access mode.',
    definition: def({ data_security_mode: { type: 'fixed', value: 'USER_ISOLATION', hidden: true } }),
  },
  {
    policy_family_id: 'power-user',
    name: 'Power User Compute',
    description: 'Single-user clusters that can scale out.',
    definition: def({ data_security_mode: { type: 'fixed', value: 'SINGLE_USER', hidden: true }, 'autoscale.max_workers': { type: 'range', maxValue: 20, defaultValue: 10 } }),
  },
  {
    policy_family_id: 'job-cluster',
    name: 'Job Compute',
    description: 'Clusters for jobs only.',
    definition: def({ cluster_type: { type: 'fixed', value: 'job' } }),
  },
  {
    policy_family_id: 'shared-data-science',
    name: 'Legacy Shared Compute',
    description: 'Shared clusters without Unity Catalog.',
    definition: def({ data_security_mode: { type: 'fixed', value: 'NONE', hidden: true } }),
  },
];

export function findFamily(id: string): PolicyFamily | undefined {
  return POLICY_FAMILIES.find((f) => f.policy_family_id === id);
}

const listInput = z.object({ max_results: nonNegInt().optional(), page_token: z.string().optional() });

export function familyRoutes(): RouteDef[] {
  return [
    route({
      method: 'GET',
      paths: versions(['2.0'], '/policy-families'),
      input: listInput,
      handle(i) {
        const { page, next } = offsetPage(POLICY_FAMILIES, i.page_token, i.max_results && i.max_results > 0 ? i.max_results : POLICY_FAMILIES.length);
        return listBody('policy_families', page, next ? { next_page_token: next } : {});
      },
    }),
    route({
      method: 'GET',
      paths: versions(['2.0'], '/policy-families/{policy_family_id}'),
      input: z.object({ version: nonNegInt().optional() }),
      handle(_i, req) {
        const id = req.params.policy_family_id!;
        const family = findFamily(id);
        if (!family) throw notFound(`Policy family ${id} does not exist.`);
        return family;
      },
    }),
  ];
}
