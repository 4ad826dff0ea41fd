import type { ServiceContext } from '../types.js';
import type { GrantPrincipals } from './grant-routes.js';

/** Groups every workspace has; UC grants may name them. */
const BUILT_IN_GROUPS = ['account users', 'admins', 'users'];

/**
 * The principals UC grants may name: the workspace's users and service principals (by user name or
 * application id) and its built-in groups. A caller acts as itself and the groups it is in.
 */
export function grantPrincipals(ctx: ServiceContext): GrantPrincipals {
  return {
    exists: (name) => BUILT_IN_GROUPS.includes(name) || ctx.principals.principals().some((p) => p.userName === name),
    namesOf: (req) => [req.principal.userName, 'account users', 'users', ...(req.principal.isAdmin ? ['admins'] : [])],
  };
}
