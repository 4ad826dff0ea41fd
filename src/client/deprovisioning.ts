/**
 * Start and follow deprovisioning: delete what a provisioning saga made. What to delete comes from the
 * saga's own record (never from names alone): its result when it completed; otherwise its ledger as it
 * ended, from its progress query (after a failure or a cancellation its undo already ran, so only what
 * that undo could not delete is left; after a termination or a timeout no undo ran). A saga still
 * running is refused: cancelling it undoes what it made.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowExecutionStatusName, type WorkflowHandle } from '@temporalio/client';
import type { deprovisionWorkspace } from '../workflows/deprovisioning.js';
import { deprovisionPlan } from '../workflows/lib/deprovision-plan.js';
import type { DeprovisionInput } from '../workflows/lib/deprovision-types.js';
import type { LedgerEntry } from '../workflows/lib/ledger.js';
import { InvalidPipelineSpecError } from '../workflows/lib/pipeline-spec.js';
import { validateProvisionSpec, type ProvisionSpec } from '../workflows/lib/provision-spec.js';
import { provisionProgressQuery, type ProvisionResult } from '../workflows/lib/provision-types.js';
import type { provisionWorkspace } from '../workflows/provisioning-saga.js';
import { ensureSameInput } from './attach.js';

export type DeprovisioningHandle = WorkflowHandle<typeof deprovisionWorkspace>;

/** The provisioning workflow cannot be deprovisioned (not found, still running, nothing recorded). */
export class CannotDeprovisionError extends Error {
  override readonly name = 'CannotDeprovisionError';
}

/** What the saga of `workflowId` recorded as made, read the way its end allows. */
export async function provisionedRecord(client: Client, workflowId: string): Promise<DeprovisionInput['provisioned']> {
  const handle = client.workflow.getHandle<typeof provisionWorkspace>(workflowId);
  let status: WorkflowExecutionStatusName;
  try {
    status = (await handle.describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new CannotDeprovisionError(`no provisioning workflow ${workflowId} (or its history is past the namespace's retention): nothing records what it made`);
    throw err;
  }
  if (status === 'RUNNING') throw new CannotDeprovisionError(`provisioning workflow ${workflowId} is still running: cancel it instead (durabricks cancel ${workflowId}); its undo deletes what it made`);
  if (status === 'COMPLETED') {
    const r: ProvisionResult = await handle.result();
    return { name: r.name, ids: r.ids, resources: r.resources };
  }
  // Failed, cancelled (its undo ran: what that undo could not delete is still `created`), terminated or
  // timed out (no undo ran): the ledger as it ended is in its progress query.
  const progress = await progressOf(handle, workflowId);
  return { name: progress.name, ids: idsOf(progress.resources), resources: progress.resources };
}

/** The ids a saga's result would carry, from its ledger (grants on kept resources are revoked by id). */
function idsOf(resources: LedgerEntry[]): ProvisionResult['ids'] {
  const ids: ProvisionResult['ids'] = {};
  for (const e of resources) {
    if (e.id === undefined || (e.status !== 'created' && e.status !== 'kept')) continue;
    const field = ID_FIELDS[e.kind];
    if (field) Object.assign(ids, { [field.key]: field.numeric ? Number(e.id) : e.id });
  }
  return ids;
}

const ID_FIELDS: Partial<Record<LedgerEntry['kind'], { key: keyof ProvisionResult['ids']; numeric?: boolean }>> = {
  secret_scope: { key: 'secretScope' },
  cluster_policy: { key: 'policyId' },
  instance_pool: { key: 'instancePoolId' },
  cluster: { key: 'clusterId' },
  git_credential: { key: 'gitCredentialId', numeric: true },
  repo: { key: 'repoId', numeric: true },
  job: { key: 'jobId', numeric: true },
  warehouse: { key: 'warehouseId' },
  storage_credential: { key: 'storageCredential' },
  external_location: { key: 'externalLocation' },
  connection: { key: 'connection' },
  catalog: { key: 'catalog' },
  schema: { key: 'schema' },
  volume: { key: 'volume' },
};

/** A closed workflow's query is answered by a worker replaying its history. */
async function progressOf(handle: WorkflowHandle<typeof provisionWorkspace>, workflowId: string) {
  try {
    return await handle.query(provisionProgressQuery);
  } catch (err) {
    throw new CannotDeprovisionError(`could not read what provisioning workflow ${workflowId} made (its progress query: ${err instanceof Error ? err.message : String(err)}); is a durabricks worker running?`);
  }
}

/** The saga's record, checked to be for this spec. */
async function recordOf(client: Client, spec: ProvisionSpec, provisionWorkflowId: string): Promise<DeprovisionInput['provisioned']> {
  const provisioned = await provisionedRecord(client, provisionWorkflowId);
  if (provisioned.name !== spec.name) throw new CannotDeprovisionError(`provisioning workflow ${provisionWorkflowId} provisioned ${provisioned.name || 'something else'}, not ${spec.name}`);
  return provisioned;
}

/** What `startDeprovisioning` would do, as lines, without starting anything. */
export async function deprovisionPlanLines(client: Client, spec: unknown, provisionWorkflowId?: string): Promise<string[]> {
  const v = validateProvisionSpec(spec);
  if (!v.ok) throw new InvalidPipelineSpecError(v.problems, 'provisioning spec');
  const id = provisionWorkflowId ?? `provision-${v.spec.name}`;
  const plan = deprovisionPlan(v.spec, await recordOf(client, v.spec, id));
  return [
    `plan for deprovisioning ${v.spec.name} from the record of ${id}, in this order:`,
    ...plan.steps.map((s, i) => `  ${String(i + 1).padStart(2)}. ${s.action === 'unknown-grant' ? `${s.description} (the spec no longer describes it: revoke it by hand)` : s.description}`),
    ...(plan.steps.length === 0 ? ['  nothing: the record holds nothing the saga made that is still there'] : []),
    ...plan.kept.map((e) => `  kept (the saga adopted it): ${e.kind} ${e.name}`),
  ];
}

export async function startDeprovisioning(
  client: Client,
  spec: unknown,
  options: { taskQueue: string; provisionWorkflowId?: string; workflowId?: string },
): Promise<{ handle: DeprovisioningHandle; workflowId: string; started: boolean; spec: ProvisionSpec }> {
  const v = validateProvisionSpec(spec);
  if (!v.ok) throw new InvalidPipelineSpecError(v.problems, 'provisioning spec');
  const provisionWorkflowId = options.provisionWorkflowId ?? `provision-${v.spec.name}`;
  const workflowId = options.workflowId ?? `deprovision-${v.spec.name}`;
  const attach = client.workflow.getHandle<typeof deprovisionWorkspace>(workflowId);
  // One at a time: a second start of the same spec while one runs follows it (another spec is refused).
  const asked = { spec: v.spec, provisionWorkflowId };
  /** What a second start must match: not the record, which the running one read when it started. */
  const comparable = (input: { spec: unknown; provisionWorkflowId?: string }) => ({ spec: input.spec, provisionWorkflowId: input.provisionWorkflowId });
  const following = async () => {
    await ensureSameInput(client, workflowId, asked, comparable);
    return { handle: attach, workflowId, started: false, spec: v.spec };
  };
  if (await attach.describe().then((d) => d.status.name === 'RUNNING', () => false)) return following();
  const provisioned = await recordOf(client, v.spec, provisionWorkflowId);
  try {
    const handle = await client.workflow.start<typeof deprovisionWorkspace>('deprovisionWorkspace', {
      taskQueue: options.taskQueue,
      workflowId,
      args: [{ spec: v.spec, provisioned, provisionWorkflowId }],
      workflowIdConflictPolicy: 'FAIL',
      staticSummary: `Deprovision ${v.spec.name}`,
    });
    return { handle, workflowId, started: true, spec: v.spec };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return following();
    throw err;
  }
}
