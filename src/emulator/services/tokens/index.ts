import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../../auth.js';
import { ApiError, invalidParameter, notFound } from '../../http/errors.js';
import { route, versions } from '../../http/router.js';
import { int, nonEmpty } from '../../http/validation.js';
import type { ServiceModule } from '../types.js';
import { addExpiringToken } from './expiry.js';

/**
 * Personal access tokens (`/api/2.0/token`): a created token really authenticates, as its
 * creator, until it is revoked or its lifetime passes. Token values are random (never derived
 * from the seed, so they cannot be guessed) and never logged or returned after creation.
 */
interface TokenRecord {
  token_id: string;
  comment: string;
  creation_time: number;
  expiry_time: number;
  owner: string;
  principal: Principal;
  /** Kept only so persistence can re-register the token after a restart. */
  value: string;
}

const MAX_TOKENS_PER_USER = 600;

export const tokensService: ServiceModule = {
  name: 'tokens',
  create(ctx) {
    const tokens = new Map<string, TokenRecord>();
    const register = (t: TokenRecord) => addExpiringToken(ctx, t.value, t.principal, t.expiry_time === -1 ? undefined : t.expiry_time, 'expire', { token_id: t.token_id });
    const revoke = (t: TokenRecord) => {
      tokens.delete(t.token_id);
      ctx.principals.removeToken(t.value);
      ctx.cancelScheduled((e) => e.data.token_id === t.token_id);
    };
    const info = (t: TokenRecord) => ({ token_id: t.token_id, creation_time: t.creation_time, expiry_time: t.expiry_time, comment: t.comment });
    const mine = (p: Principal) => [...tokens.values()].filter((t) => t.owner === p.userName);
    return {
      routes: [
        route({
          method: 'POST',
          paths: versions(['2.0'], '/token/create'),
          input: z.object({ comment: z.string().optional(), lifetime_seconds: int().optional() }),
          handle(input, req) {
            if (input.lifetime_seconds !== undefined && input.lifetime_seconds < 0) throw invalidParameter('lifetime_seconds must be a positive number of seconds, or absent for no expiry.');
            if (mine(req.principal).length >= MAX_TOKENS_PER_USER) throw new ApiError(400, 'QUOTA_EXCEEDED', `Cannot create more than ${MAX_TOKENS_PER_USER} tokens.`);
            const now = ctx.clock.now();
            const value = `dapi${randomBytes(16).toString('hex')}`;
            const t: TokenRecord = {
              token_id: ctx.ids.hex(64),
              comment: input.comment ?? '',
              creation_time: now,
              expiry_time: input.lifetime_seconds ? now + input.lifetime_seconds * 1000 : -1,
              owner: req.principal.userName,
              principal: req.principal,
              value,
            };
            tokens.set(t.token_id, t);
            register(t);
            return { token_value: value, token_info: info(t) };
          },
        }),
        route({
          method: 'GET',
          paths: versions(['2.0'], '/token/list'),
          input: z.object({}),
          handle: (_i, req) => ({ token_infos: mine(req.principal).map(info) }),
        }),
        route({
          method: 'POST',
          paths: versions(['2.0'], '/token/delete'),
          input: z.object({ token_id: nonEmpty() }),
          handle(input, req) {
            const t = tokens.get(input.token_id);
            if (!t || t.owner !== req.principal.userName) throw notFound(`Token with id ${input.token_id} does not exist.`);
            revoke(t);
            return {};
          },
        }),
      ],
      onEvent(e) {
        const t = typeof e.data.token_id === 'string' ? tokens.get(e.data.token_id) : undefined;
        if (e.kind === 'expire' && t) revoke(t);
      },
      // Token values are needed to re-register tokens after a restart; without a data dir they stay out of snapshots.
      snapshot: () => ({ tokens: [...tokens.values()].map((t) => (ctx.persistent ? t : { ...t, value: undefined })) }),
      restore(state) {
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
  },
};
