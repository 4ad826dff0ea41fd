/**
 * The resources a provisioning spec's `access` can grant on, in the order the saga provisions them:
 * one table for the spec's validation (a grant needs its resource in the same spec), the saga's access
 * step (how to grant on it) and `durabricks provision --plan` (what it will be called). No Node
 * imports: bundled into the workflow sandbox.
 */
import type { ResourceKind } from './ledger.js';
import type { ProvisionNames } from './provision-names.js';
import type { ProvisionSpec } from './provision-spec.js';
import type { ProvisionResult } from './provision-types.js';

type Ids = ProvisionResult['ids'];

type UcSecurable = 'external_location' | 'connection' | 'catalog' | 'schema' | 'volume';

/** How a grant on the target is made: a secret ACL, a Permissions API level, or Unity Catalog privileges. */
export type GrantVia = { kind: 'secretAcl' } | { kind: 'permissions'; objectType: string } | { kind: 'privileges'; securableType: UcSecurable };

export interface AccessTarget<K extends string = string> {
  /** The key under `access` in the spec. */
  key: K;
  /** How labels name the resource: `CAN_USE on cluster policy …`. */
  label: string;
  /** How a spec problem names it: `grants on a cluster policy this spec does not provision`. */
  inProblems: string;
  /** The saga's ledger kind of the resource: a grant on an adopted (kept) resource is revoked on undo. */
  kind: ResourceKind;
  /** Whether the spec provisions the resource (validation runs on partly invalid specs, so only presence is read). */
  provisioned(spec: Partial<ProvisionSpec>): boolean;
  /** The resource's name from the spec alone, as the saga's ledger records it; only for a provisioned target. */
  name(spec: ProvisionSpec, names: ProvisionNames): string;
  /** The id a grant is made on, once the saga has it. */
  id(ids: Ids): string | number | undefined;
  via: GrantVia;
}

const permissions = (objectType: string): GrantVia => ({ kind: 'permissions', objectType });
const privileges = (securableType: UcSecurable): GrantVia => ({ kind: 'privileges', securableType });

const TARGETS = [
  { key: 'secretScope', label: 'secret scope', inProblems: 'a secret scope', kind: 'secret_scope', provisioned: (s) => s.secretScope !== undefined, name: (s) => s.secretScope!.scope, id: (ids) => ids.secretScope, via: { kind: 'secretAcl' } },
  { key: 'clusterPolicy', label: 'cluster policy', inProblems: 'a cluster policy', kind: 'cluster_policy', provisioned: (s) => s.clusterPolicy !== undefined, name: (_, n) => n.policy, id: (ids) => ids.policyId, via: permissions('cluster-policies') },
  { key: 'instancePool', label: 'instance pool', inProblems: 'an instance pool', kind: 'instance_pool', provisioned: (s) => s.instancePool !== undefined, name: (_, n) => n.pool, id: (ids) => ids.instancePoolId, via: permissions('instance-pools') },
  { key: 'cluster', label: 'cluster', inProblems: 'a cluster', kind: 'cluster', provisioned: (s) => s.cluster !== undefined, name: (_, n) => n.cluster, id: (ids) => ids.clusterId, via: permissions('clusters') },
  { key: 'repo', label: 'repo', inProblems: 'a repo', kind: 'repo', provisioned: (s) => s.repo !== undefined, name: (_, n) => n.repo, id: (ids) => ids.repoId, via: permissions('repos') },
  { key: 'job', label: 'job', inProblems: 'a job', kind: 'job', provisioned: (s) => s.job !== undefined, name: (_, n) => n.job, id: (ids) => ids.jobId, via: permissions('jobs') },
  { key: 'warehouse', label: 'warehouse', inProblems: 'a warehouse', kind: 'warehouse', provisioned: (s) => s.warehouse !== undefined, name: (_, n) => n.warehouse, id: (ids) => ids.warehouseId, via: permissions('warehouses') },
  { key: 'externalLocation', label: 'external location', inProblems: 'an external location (storage)', kind: 'external_location', provisioned: (s) => s.storage !== undefined, name: (_, n) => n.location, id: (ids) => ids.externalLocation, via: privileges('external_location') },
  { key: 'connection', label: 'connection', inProblems: 'a connection', kind: 'connection', provisioned: (s) => s.connection !== undefined, name: (_, n) => n.connection, id: (ids) => ids.connection, via: privileges('connection') },
  { key: 'catalog', label: 'catalog', inProblems: 'a catalog', kind: 'catalog', provisioned: (s) => s.catalog !== undefined, name: (s) => s.catalog!.name, id: (ids) => ids.catalog, via: privileges('catalog') },
  { key: 'schema', label: 'schema', inProblems: 'a schema', kind: 'schema', provisioned: (s) => s.catalog?.schema !== undefined, name: (s) => `${s.catalog!.name}.${s.catalog!.schema!}`, id: (ids) => ids.schema, via: privileges('schema') },
  { key: 'volume', label: 'volume', inProblems: 'a volume', kind: 'volume', provisioned: (s) => s.catalog?.volume !== undefined, name: (s) => `${s.catalog!.name}.${s.catalog!.schema!}.${s.catalog!.volume!}`, id: (ids) => ids.volume, via: privileges('volume') },
] as const satisfies readonly AccessTarget[];

export type AccessTargetKey = (typeof TARGETS)[number]['key'];

export const ACCESS_TARGETS: readonly AccessTarget<AccessTargetKey>[] = TARGETS;

export const ACCESS_TARGET_KEYS = TARGETS.map((t) => t.key) as readonly AccessTargetKey[];
