/**
 * What the provisioning saga names the resources it creates, from the spec alone: the saga, its access
 * step and `durabricks provision --plan` all read these. No Node imports: bundled into the workflow sandbox.
 */
import type { ProvisionSpec } from './provision-spec.js';

export interface ProvisionNames {
  policy: string;
  pool: string;
  cluster: string;
  gitCredential: string;
  repo: string;
  job: string;
  warehouse: string;
  /** Unity Catalog names: letters, digits and underscores, lower case. */
  credential: string;
  location: string;
  connection: string;
}

export function provisionNames(spec: Pick<ProvisionSpec, 'name' | 'repo' | 'job'>): ProvisionNames {
  const ucName = (suffix: string) => `${spec.name.replace(/[^A-Za-z0-9_]/g, '_')}_${suffix}`.toLowerCase();
  return {
    policy: `${spec.name}-policy`,
    pool: `${spec.name}-pool`,
    cluster: `${spec.name}-cluster`,
    gitCredential: `${spec.name}-git`,
    repo: spec.repo?.path ?? '',
    job: spec.job?.name ?? '',
    warehouse: `${spec.name}-warehouse`,
    credential: ucName('credential'),
    location: ucName('location'),
    connection: ucName('connection'),
  };
}
