/**
 * What deprovisioning will do with a saga's record, newest resource first: one plan that the workflow
 * runs and `durabricks deprovision --plan` prints. No Node imports: bundled into the workflow sandbox.
 */
import type { DeprovisionInput } from './deprovision-types.js';
import type { LedgerEntry, ResourceKind } from './ledger.js';
import { accessGrants, type AccessActivities, type Grant } from './provision-access.js';
import { provisionNames } from './provision-names.js';
import type { ProvisionSpec } from './provision-spec.js';
import { isDeletable } from './resource-deletes.js';

export type PlannedStep =
  | { action: 'delete'; kind: ResourceKind; id: string; description: string }
  /** A grant the saga made on a resource it kept; `grant` revokes it with the activities it was built with. */
  | { action: 'revoke'; grant: Grant; description: string }
  /** A grant the spec no longer describes, on a saga that kept something: how to revoke it is unknown. */
  | { action: 'unknown-grant'; label: string; description: string };

export interface DeprovisionPlan {
  steps: PlannedStep[];
  /** What the saga adopted rather than made (kept, or used as existing): never deleted. */
  kept: LedgerEntry[];
}

/** For a plan that is only printed: its grants' revoke functions are never called. */
const PRINT_ONLY = new Proxy({} as AccessActivities, { get: () => () => Promise.reject(new Error('a printed plan does not run')) });

export function deprovisionPlan(spec: ProvisionSpec, provisioned: DeprovisionInput['provisioned'], acts: AccessActivities = PRINT_ONLY): DeprovisionPlan {
  const { resources, ids } = provisioned;
  const grants = spec.access ? accessGrants(spec, spec.access, ids, provisionNames(spec), acts) : [];
  const anyKept = resources.some((r) => r.kind !== 'grant' && r.status === 'kept');
  const steps: PlannedStep[] = [];
  for (const entry of resources) {
    const ours = entry.status === 'created' && entry.note !== 'existing' && entry.id !== undefined;
    if (!ours) continue;
    if (entry.kind === 'grant') {
      // A grant on a resource deleted here goes with it; one on a kept resource is revoked.
      const grant = grants.find((g) => g.label === entry.name);
      const on = grant && resources.find((r) => r.kind === grant.resource.kind && r.name === grant.resource.name);
      if (grant && on?.status === 'kept') steps.push({ action: 'revoke', grant, description: `revoke ${grant.label}` });
      // Without the spec's grant the resource it was on is unknown; that matters only if something was kept.
      else if (!grant && anyKept) steps.push({ action: 'unknown-grant', label: entry.name, description: `revoke ${entry.name}` });
      continue;
    }
    if (isDeletable(entry.kind)) steps.push({ action: 'delete', kind: entry.kind, id: entry.id!, description: `delete ${entry.kind} ${entry.id!}` });
  }
  return { steps: steps.reverse(), kept: resources.filter((e) => e.status === 'kept' || e.note === 'existing') };
}
