import type { Principal } from '../../auth.js';
import type { ServiceContext } from '../types.js';

/**
 * Registers a minted credential so it authenticates until it expires on the virtual clock: an
 * idle scheduled event removes it (idle, so instant mode does not jump ahead to it). In instant
 * mode virtual time leaps forward with every state transition, so there the lifetime is counted
 * on the real clock instead, or a token would die after a few cluster starts.
 */
export function addExpiringToken(ctx: ServiceContext, token: string, principal: Principal, expiresAtVirtual: number | undefined, kind: string, data: Record<string, unknown>): void {
  if (expiresAtVirtual === undefined) {
    ctx.principals.addToken(token, principal);
    return;
  }
  if (ctx.clock.instant) {
    ctx.principals.addToken(token, principal, Date.now() + Math.max(0, expiresAtVirtual - ctx.clock.now()));
    return;
  }
  ctx.principals.addToken(token, principal);
  ctx.schedule(kind, expiresAtVirtual, data, { idle: true });
}
