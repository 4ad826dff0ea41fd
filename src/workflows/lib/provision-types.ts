/**
 * What the provisioning saga exposes: input, result, failure details and the progress query. The
 * client and CLI import from here (not the workflow module), so both sides agree on the query name.
 */
import { defineQuery } from '@temporalio/workflow';
import type { CompensationOutcome } from './compensation.js';
import type { LedgerEntry } from './ledger.js';
import type { ProvisionSpec, ProvisionSpecInput } from './provision-spec.js';

export interface ProvisionInput {
  spec: ProvisionSpec | ProvisionSpecInput;
}

export interface ProvisionResult {
  name: string;
  ids: { group?: string; secretScope?: string; policyId?: string; instancePoolId?: string; clusterId?: string; gitCredentialId?: number; repoId?: number; repo?: string; jobId?: number; warehouseId?: string; storageCredential?: string; externalLocation?: string; connection?: string; catalog?: string; schema?: string; volume?: string };
  resources: LedgerEntry[];
}

export interface ProvisionFailureDetails {
  step: string;
  undone: CompensationOutcome[];
  resources: LedgerEntry[];
}

export interface ProvisionProgress {
  name: string;
  phase: 'running' | 'succeeded' | 'failed' | 'cancelled';
  step?: string;
  resources: LedgerEntry[];
  undone: CompensationOutcome[];
}

export const provisionProgressQuery = defineQuery<ProvisionProgress>('progress');
