import { invalidParameter } from '../../http/errors.js';
import type { InstanceProfilesApi } from './index.js';

/**
 * The refusal of an instance profile no admin has added, shared by everything that launches with
 * one (clusters, the workspace's SQL warehouse config). The wording is the emulator's own; the real
 * text is unverified. Without the instance-profiles service loaded nothing is checked.
 */
export function requireRegistered(profiles: InstanceProfilesApi | undefined, arn: unknown, usedBy: string): void {
  if (!profiles) return;
  if (typeof arn !== 'string' || !profiles.isRegistered(arn)) {
    throw invalidParameter(`Instance profile ${String(arn)} is not registered in this workspace: an admin must add it (instance-profiles/add) before ${usedBy} can use it.`);
  }
}
