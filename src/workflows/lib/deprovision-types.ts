/**
 * What the deprovisioning workflow exposes: input, result, failure details and the progress query.
 * The client and CLI import from here (not the workflow module).
 */
import { defineQuery } from '@temporalio/workflow';
import type { CompensationOutcome } from './compensation.js';
import type { LedgerEntry } from './ledger.js';
import type { ProvisionSpec, ProvisionSpecInput } from './provision-spec.js';
import type { ProvisionResult } from './provision-types.js';

export interface DeprovisionInput {
  /** The spec the saga ran with: it says whose Git credential it was and which grants to revoke. */
  spec: ProvisionSpec | ProvisionSpecInput;
  /** What the saga recorded: its result, or the ledger of a saga that did not finish its undo. */
  provisioned: Pick<ProvisionResult, 'name' | 'ids' | 'resources'>;
  /** The provisioning workflow it came from (for messages). */
  provisionWorkflowId: string;
}

export interface DeprovisionResult {
  name: string;
  /** Each delete or revoke, newest resource first; `ok` also when the resource was already gone. */
  outcomes: CompensationOutcome[];
  /** What the saga adopted rather than made: never deleted. */
  kept: LedgerEntry[];
}

export type DeprovisionFailureDetails = DeprovisionResult;

export interface DeprovisionProgress {
  name: string;
  phase: 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** The step under way. */
  step?: string;
  outcomes: CompensationOutcome[];
  remaining: number;
}

export const deprovisionProgressQuery = defineQuery<DeprovisionProgress>('progress');
