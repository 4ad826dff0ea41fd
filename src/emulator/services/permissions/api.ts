import type { Principal } from '../../auth.js';

/**
 * What other services ask of Permissions. Objects without any ACL are open (the emulator cannot
 * know who created objects other services made before ACLs existed); once an object has an ACL,
 * non-admin principals need at least the required level.
 */
export interface PermissionsApi {
  /** Throws 403 PERMISSION_DENIED when `principal` lacks `level` on the object. */
  require(objectType: string, objectId: string, principal: Principal, level: string, action: string): void;
  /** Whether `principal` has at least `level` (admins always do). */
  has(objectType: string, objectId: string, principal: Principal, level: string): boolean;
  /** Records the creator as owner (IS_OWNER, or CAN_MANAGE where the type has no owner level). */
  setOwner(objectType: string, objectId: string, userName: string): void;
  /** Forgets the ACL of a deleted object. */
  forget(objectType: string, objectId: string): void;
}
