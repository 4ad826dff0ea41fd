/**
 * Start and follow the provisioning saga. The workflow id defaults to `provision-<name>`: a second
 * start of the same spec while one runs attaches to it (another spec under that id is refused with
 * ConflictingStartError), and a start after it finished re-runs it idempotently (the
 * saga derives its idempotency keys from the workflow id, so it adopts what the first run created).
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ensureSameInput } from './attach.js';
import { validateProvisionSpec, type ProvisionSpec } from '../workflows/lib/provision-spec.js';
import type { provisionWorkspace } from '../workflows/provisioning-saga.js';
import { InvalidPipelineSpecError } from '../workflows/lib/pipeline-spec.js';

export type ProvisioningHandle = WorkflowHandle<typeof provisionWorkspace>;

export async function startProvisioning(
  client: Client,
  spec: unknown,
  options: { taskQueue: string; workflowId?: string },
): Promise<{ handle: ProvisioningHandle; workflowId: string; started: boolean; spec: ProvisionSpec }> {
  const v = validateProvisionSpec(spec);
  // Same error type as pipeline specs: one list of problems by path, nothing started.
  if (!v.ok) throw new InvalidPipelineSpecError(v.problems, 'provisioning spec');
  const workflowId = options.workflowId ?? `provision-${v.spec.name}`;
  const input = { spec: v.spec };
  try {
    const handle = await client.workflow.start<typeof provisionWorkspace>('provisionWorkspace', {
      taskQueue: options.taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      staticSummary: `Provision ${v.spec.name}`,
    });
    return { handle, workflowId, started: true, spec: v.spec };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      await ensureSameInput(client, workflowId, input);
      return { handle: client.workflow.getHandle<typeof provisionWorkspace>(workflowId), workflowId, started: false, spec: v.spec };
    }
    throw err;
  }
}
