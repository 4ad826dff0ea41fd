import { invalidParameter, notFound } from '../../http/errors.js';
import { parseDefinition, policyViolations, type ApplyOptions, type PolicyDefinition } from './definition.js';
import { enforceSpec, type SettingsChange } from './enforce.js';
import type { PolicyRecord } from './index.js';

/**
 * Policy compliance of one cluster spec, shared by the clusters' and the jobs' compliance APIs.
 * Violation texts carry the `Validation failed for ` prefix, as the example of the Jobs policy
 * compliance reference shows (`"Validation failed for custom_tags.test_tag, the value cannot be
 * present"`); that clusters answer the same way is assumed (unverified).
 */
export type FindPolicy = (policyId: string) => PolicyRecord | undefined;
type ClusterType = ApplyOptions['clusterType'];

/** The policy a spec names, if any (an empty `policy_id` is none). */
export function policyIdOf(spec: Record<string, unknown>): string | undefined {
  return typeof spec.policy_id === 'string' && spec.policy_id !== '' ? spec.policy_id : undefined;
}

/** Path → what is wrong; empty for a spec without a policy. A missing or malformed policy is one violation on `policy_id` (unverified wording). */
export function specViolations(spec: Record<string, unknown>, find: FindPolicy, clusterType: ClusterType): Record<string, string> {
  const policyId = policyIdOf(spec);
  if (!policyId) return {};
  const policy = find(policyId);
  const definition = policy ? parseDefinition(policy.definition) : undefined;
  if (!policy) return { policy_id: `the policy ${policyId} does not exist` };
  if (!definition) return { policy_id: `the policy ${policyId} has a malformed definition` };
  const found = policyViolations(definition, spec, { applyDefaults: false, clusterType });
  return Object.fromEntries(Object.entries(found).map(([path, problem]) => [path, `Validation failed for ${problem}`]));
}

/** The compliant spec and the changes that make it so; throws (changing nothing) when the policy is gone, malformed, or a violation cannot be fixed. */
export function enforceOnSpec(spec: Record<string, unknown>, find: FindPolicy, clusterType: ClusterType): { spec: Record<string, unknown>; changes: SettingsChange[] } {
  const policyId = policyIdOf(spec);
  if (!policyId) return { spec, changes: [] };
  return enforceSpec(definitionOf(policyId, find), spec, { applyDefaults: true, clusterType });
}

function definitionOf(policyId: string, find: FindPolicy): PolicyDefinition {
  const policy = find(policyId);
  if (!policy) throw notFound(`Can't find a cluster policy with id: ${policyId}.`);
  const definition = parseDefinition(policy.definition);
  if (!definition) {
    throw invalidParameter(`Requests for the policy ${policyId} cannot be satisfied due to the malformed policy definition. Please contact your administrator to correct the policy definition.`);
  }
  return definition;
}
