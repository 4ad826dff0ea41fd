import { randomBytes } from 'node:crypto';
import type { Principal } from '../../auth.js';
import { ApiError, invalidParameter } from '../../http/errors.js';
import type { ScheduledEvent } from '../../scheduler.js';
import type { ServiceContext } from '../types.js';
import { addExpiringToken } from './expiry.js';

/**
 * The personal access tokens of the workspace, shared by the Tokens API (a user's own tokens) and
 * Token Management (an admin's view of everyone's, and on-behalf-of tokens for service principals).
 * A minted token authenticates as `principal` until revoked or expired; values are random (never
 * derived from the seed) and leave this store only in the create response and --data-dir snapshots.
 */
export interface TokenRecord {
  token_id: string;
  comment: string;
  creation_time: number;
  expiry_time: number;
  /** userName of the principal the token acts as (whose /token/list shows it). */
  owner: string;
  principal: Principal;
  /** Who called create: the owner, or the admin who made an on-behalf-of token. Absent in snapshots from before token management (then: the owner). */
  creator?: Pick<Principal, 'userName' | 'kind'>;
  /** Kept only so persistence can re-register the token after a restart. */
  value: string;
}

export interface MintRequest {
  comment?: string | undefined;
  lifetime_seconds?: number | undefined;
}

const MAX_TOKENS_PER_USER = 600;

export type TokenStore = ReturnType<typeof createTokenStore>;

export function createTokenStore(ctx: ServiceContext) {
  const tokens = new Map<string, TokenRecord>();
  const register = (t: TokenRecord) => addExpiringToken(ctx, t.value, t.principal, t.expiry_time === -1 ? undefined : t.expiry_time, 'expire', { token_id: t.token_id });
  const ownedBy = (userName: string) => [...tokens.values()].filter((t) => t.owner === userName);
  const store = {
    get: (tokenId: string) => tokens.get(tokenId),
    all: () => [...tokens.values()],
    ownedBy,
    /** A new token acting as `principal`, created by `creator`; validated before anything changes. */
    mint(principal: Principal, creator: Principal, input: MintRequest): { token_value: string; record: TokenRecord } {
      if (input.lifetime_seconds !== undefined && input.lifetime_seconds < 0) throw invalidParameter('lifetime_seconds must be a positive number of seconds, or absent for no expiry.');
      if (ownedBy(principal.userName).length >= MAX_TOKENS_PER_USER) throw new ApiError(400, 'QUOTA_EXCEEDED', `Cannot create more than ${MAX_TOKENS_PER_USER} tokens.`);
      const now = ctx.clock.now();
      const value = `dapi${randomBytes(16).toString('hex')}`;
      const record: TokenRecord = {
        token_id: ctx.ids.hex(64),
        comment: input.comment ?? '',
        creation_time: now,
        expiry_time: input.lifetime_seconds ? now + input.lifetime_seconds * 1000 : -1,
        owner: principal.userName,
        principal,
        creator: { userName: creator.userName, kind: creator.kind },
        value,
      };
      tokens.set(record.token_id, record);
      register(record);
      return { token_value: value, record };
    },
    /** Removes the token and makes its value stop authenticating at once. */
    revoke(t: TokenRecord): void {
      tokens.delete(t.token_id);
      ctx.principals.removeToken(t.value);
      ctx.cancelScheduled((e) => e.data.token_id === t.token_id);
    },
    onEvent(e: ScheduledEvent): void {
      const t = typeof e.data.token_id === 'string' ? tokens.get(e.data.token_id) : undefined;
      if (e.kind === 'expire' && t) store.revoke(t);
    },
    // Token values are needed to re-register tokens after a restart; without a data dir they stay out of snapshots.
    snapshot: () => ({ tokens: [...tokens.values()].map((t) => (ctx.persistent ? t : { ...t, value: undefined })) }),
    restore(state: unknown): void {
      const list = (state as { tokens?: unknown }).tokens;
      if (!Array.isArray(list)) return;
      for (const t of list as TokenRecord[]) {
        if (typeof t?.token_id !== 'string' || typeof t.value !== 'string' || typeof t.principal?.userName !== 'string') continue;
        if (t.expiry_time !== -1 && t.expiry_time <= ctx.clock.now()) continue;
        tokens.set(t.token_id, t);
        ctx.principals.addToken(t.value, t.principal);
      }
    },
  };
  return store;
}
