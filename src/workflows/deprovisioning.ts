/**
 * Deprovisioning: deletes what a provisioning saga made, newest first, from the saga's own record of
 * it (its ledger) — never by name alone, so nothing the saga adopted rather than made is touched.
 * Entries the saga kept stay; grants it made on kept resources are revoked (grants on deleted ones go
 * with them). A resource that is already gone counts as done, so a re-run, or a run after someone
 * deleted part of it by hand, finishes. Every step runs even when one fails; the workflow then fails
 * naming each failure, and running it again retries only what is left.
 *
 * Unlike the saga's own undo, the steps are cancellable: cancelling stops after the delete in flight,
 * and what remains can be deleted by running it again.
 */
import { ApplicationFailure, CancelledFailure, isCancellation, proxyActivities, setHandler, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { CREATE_ACTIVITY, FailureType, isFailureType } from '../common/activity-policies.js';
import type { CompensationOutcome } from './lib/compensation.js';
import { deprovisionProgressQuery, type DeprovisionInput, type DeprovisionProgress, type DeprovisionResult } from './lib/deprovision-types.js';
import { errorMessage } from './lib/pipeline-helpers.js';
import { deprovisionPlan, type DeprovisionPlan } from './lib/deprovision-plan.js';
import type { AccessActivities } from './lib/provision-access.js';
import { servicePrincipalId } from './lib/provision-git.js';
import { validateProvisionSpec, type ProvisionSpec } from './lib/provision-spec.js';
import { deleteResource, type DeleteActivities, type DeleteContext } from './lib/resource-deletes.js';

export { deprovisionProgressQuery, type DeprovisionInput, type DeprovisionResult, type DeprovisionFailureDetails, type DeprovisionProgress } from './lib/deprovision-types.js';

export type DeprovisionActivities = Pick<Activities, 'servicePrincipalsList'> & DeleteActivities & AccessActivities;

/** Deletes are short calls; the create policy (retry 5xx and 429 durably, fail 4xx fast) fits them. */
const DELETE_ACTIVITY: ActivityOptions = CREATE_ACTIVITY;

interface Step {
  description: string;
  run(): Promise<string>;
}

export async function deprovisionWorkspace(input: DeprovisionInput): Promise<DeprovisionResult> {
  const v = validateProvisionSpec(input?.spec);
  if (!v.ok) throw ApplicationFailure.create({ type: 'InvalidProvisionSpec', message: `invalid provisioning spec:\n${v.problems.map((p) => `  - ${p}`).join('\n')}`, nonRetryable: true, details: [{ problems: v.problems }] });
  const spec = v.spec;
  const provisioned = input.provisioned;
  if (!provisioned || !Array.isArray(provisioned.resources) || provisioned.name !== spec.name) {
    throw ApplicationFailure.create({ type: 'InvalidDeprovisionInput', message: `the record of ${input.provisionWorkflowId} is for ${provisioned?.name ?? 'nothing'}, not for the spec's ${spec.name}`, nonRetryable: true });
  }
  const acts = proxyActivities<DeprovisionActivities>(DELETE_ACTIVITY);
  const outcomes: CompensationOutcome[] = [];
  let phase: DeprovisionProgress['phase'] = 'running';
  let step: string | undefined;
  const plan = deprovisionPlan(spec, provisioned, acts);
  const steps = stepsFor(plan, spec, acts);
  setHandler(deprovisionProgressQuery, () => ({ name: spec.name, phase, ...(step ? { step } : {}), outcomes, remaining: steps.length - outcomes.length }));

  for (const s of steps) {
    step = s.description;
    try {
      outcomes.push({ description: s.description, ok: true, detail: await s.run() });
    } catch (err) {
      if (isCancellation(err)) {
        phase = 'cancelled';
        throw new CancelledFailure(`deprovisioning ${spec.name} cancelled at ${s.description}; done: ${outcomes.map((o) => o.detail).join('; ') || 'nothing'}`, [{ name: spec.name, outcomes, kept: plan.kept }]);
      }
      // Gone is what was asked: someone (or an earlier run) deleted it already.
      if (isFailureType(err, FailureType.NotFound)) outcomes.push({ description: s.description, ok: true, detail: `already gone: ${s.description.replace(/^(delete|revoke) /, '')}` });
      else outcomes.push({ description: s.description, ok: false, detail: `${s.description}: ${errorMessage(err)}` });
    }
  }
  step = undefined;
  const result: DeprovisionResult = { name: spec.name, outcomes, kept: plan.kept };
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length > 0) {
    phase = 'failed';
    throw ApplicationFailure.create({
      type: 'DeprovisioningIncomplete',
      message: `deprovisioning ${spec.name}: ${failed.length} of ${outcomes.length} steps failed (${failed.map((o) => o.detail).join('; ')}); run it again to retry what is left`,
      nonRetryable: true,
      details: [result],
    });
  }
  phase = 'succeeded';
  return result;
}

/** The plan's steps, each with what runs it. */
function stepsFor(plan: DeprovisionPlan, spec: ProvisionSpec, acts: DeprovisionActivities): Step[] {
  const servicePrincipal = spec.gitCredential?.servicePrincipal;
  /** A service principal's Git credential is deleted with its principal_id (looked up when needed). */
  const contextFor = async (kind: string): Promise<DeleteContext> =>
    kind === 'git_credential' && servicePrincipal !== undefined ? { gitCredentialOwner: { principal_id: await servicePrincipalId(acts, servicePrincipal) } } : {};
  return plan.steps.map((p): Step => {
    switch (p.action) {
      case 'delete':
        return { description: p.description, run: async () => (await deleteResource(acts, p.kind, p.id, await contextFor(p.kind)), `deleted ${p.kind} ${p.id}`) };
      case 'revoke':
        return { description: p.description, run: async () => (await p.grant.revoke(), `revoked ${p.grant.label}`) };
      case 'unknown-grant':
        return { description: p.description, run: () => Promise.reject(new Error('the spec no longer asks for this grant, so how to revoke it is unknown: revoke it by hand')) };
    }
  });
}
