import { z } from 'zod';
import type { Principal } from '../../auth.js';
import { notFound, permissionDenied } from '../../http/errors.js';
import { route, type ApiRequest, type RouteDef } from '../../http/router.js';
import { int, nonEmpty } from '../../http/validation.js';
import { clientPrincipal, findServicePrincipal } from '../oauth/clients.js';
import { principalId } from '../scim/index.js';
import type { ServiceContext } from '../types.js';
import type { TokenRecord, TokenStore } from './store.js';

/**
 * Token Management (`/api/2.0/token-management`, also served under `/api/2.0/preview/`), admins only:
 * list everyone's tokens (filters `created_by_id`, `created_by_username`), get and delete any token
 * by id (delete revokes it: the value stops authenticating), and create a token on behalf of a
 * service principal, which then authenticates as that service principal. Service principals are the
 * workspace's OAuth M2M clients, named by application id (= client id), as in ../oauth/clients.ts.
 * User ids are the principals' SCIM ids, so `created_by_id` equals what `Me` answers for the creator.
 * The tokens' own permissions (`/api/2.0/permissions/authorization/tokens`) are the Permissions
 * service's `authorization` object type.
 */
const paths = (suffix: string) => ['/api/2.0/token-management', '/api/2.0/preview/token-management'].map((p) => `${p}${suffix}`);

function requireAdmin(req: ApiRequest): void {
  if (!req.principal.isAdmin) throw permissionDenied('Only Admins can access token management APIs.');
}

const userId = (p: Pick<Principal, 'userName' | 'kind'>) => Number(principalId(p));

export function managementRoutes(ctx: ServiceContext, store: TokenStore): RouteDef[] {
  const info = (t: TokenRecord) => {
    const creator = t.creator ?? t.principal;
    return {
      token_id: t.token_id,
      creation_time: t.creation_time,
      expiry_time: t.expiry_time,
      comment: t.comment,
      created_by_id: userId(creator),
      created_by_username: creator.userName,
      owner_id: userId(t.principal),
      workspace_id: ctx.workspaceId,
    };
  };
  const find = (req: ApiRequest): TokenRecord => {
    const id = req.params.token_id!;
    const t = store.get(id);
    if (!t) throw notFound(`Token with id ${id} does not exist.`);
    return t;
  };
  return [
    route({
      method: 'GET',
      paths: paths('/tokens'),
      input: z.object({ created_by_id: int().optional(), created_by_username: z.string().optional() }),
      handle(input, req) {
        requireAdmin(req);
        const infos = store.all().map(info);
        return {
          token_infos: infos.filter(
            (t) => (input.created_by_id === undefined || t.created_by_id === input.created_by_id) && (input.created_by_username === undefined || t.created_by_username === input.created_by_username),
          ),
        };
      },
    }),
    route({
      method: 'GET',
      paths: paths('/tokens/{token_id}'),
      input: z.object({}),
      handle(_i, req) {
        requireAdmin(req);
        return { token_info: info(find(req)) };
      },
    }),
    route({
      method: 'DELETE',
      paths: paths('/tokens/{token_id}'),
      input: z.object({}),
      handle(_i, req) {
        requireAdmin(req);
        store.revoke(find(req));
        return {};
      },
    }),
    route({
      method: 'POST',
      paths: paths('/on-behalf-of/tokens'),
      input: z.object({ application_id: nonEmpty(), comment: z.string().optional(), lifetime_seconds: int().optional() }),
      handle(input, req) {
        requireAdmin(req);
        const sp = findServicePrincipal(ctx.dataDir, input.application_id);
        if (!sp) throw notFound(`Service principal with application ID ${input.application_id} does not exist.`);
        const { token_value, record } = store.mint(clientPrincipal(sp), req.principal, input);
        return { token_value, token_info: info(record) };
      },
    }),
  ];
}
