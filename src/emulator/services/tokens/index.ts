import { z } from 'zod';
import { notFound } from '../../http/errors.js';
import { route, versions } from '../../http/router.js';
import { int, nonEmpty } from '../../http/validation.js';
import type { ServiceModule } from '../types.js';
import { managementRoutes } from './management.js';
import { createTokenStore, type TokenRecord } from './store.js';

/**
 * Personal access tokens (`/api/2.0/token`): a created token really authenticates, as its
 * creator, until it is revoked or its lifetime passes. Token values are never logged or returned
 * after creation. Admins see and revoke everyone's tokens through Token Management (./management.ts).
 */
const info = (t: TokenRecord) => ({ token_id: t.token_id, creation_time: t.creation_time, expiry_time: t.expiry_time, comment: t.comment });

export const tokensService: ServiceModule = {
  name: 'tokens',
  create(ctx) {
    const store = createTokenStore(ctx);
    return {
      routes: [
        route({
          method: 'POST',
          paths: versions(['2.0'], '/token/create'),
          input: z.object({ comment: z.string().optional(), lifetime_seconds: int().optional() }),
          handle(input, req) {
            const { token_value, record } = store.mint(req.principal, req.principal, input);
            return { token_value, token_info: info(record) };
          },
        }),
        route({
          method: 'GET',
          paths: versions(['2.0'], '/token/list'),
          input: z.object({}),
          handle: (_i, req) => ({ token_infos: store.ownedBy(req.principal.userName).map(info) }),
        }),
        route({
          method: 'POST',
          paths: versions(['2.0'], '/token/delete'),
          input: z.object({ token_id: nonEmpty() }),
          handle(input, req) {
            const t = store.get(input.token_id);
            if (!t || t.owner !== req.principal.userName) throw notFound(`Token with id ${input.token_id} does not exist.`);
            store.revoke(t);
            return {};
          },
        }),
        ...managementRoutes(ctx, store),
      ],
      onEvent: (e) => store.onEvent(e),
      snapshot: () => store.snapshot(),
      restore: (state) => store.restore(state),
    };
  },
};
