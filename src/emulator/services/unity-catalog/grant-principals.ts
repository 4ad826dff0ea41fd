import type { GrantDirectory } from '../../sql/index.js';
import type { ServiceContext } from '../types.js';

/** Groups every workspace has; UC grants may name them. */
const BUILT_IN_GROUPS = ['account users', 'admins', 'users'];

/**
 * The principals UC grants may name: the workspace's users and service principals (by user name or
 * application id) and its built-in groups. A user acts as itself and the groups it is in.
 */
export function grantDirectory(ctx: ServiceContext): GrantDirectory {
  const find = (user: string) => ctx.principals.principals().find((p) => p.userName === user);
  return {
    exists: (name) => BUILT_IN_GROUPS.includes(name) || find(name) !== undefined,
    actsAs: (user) => [user, 'account users', 'users', ...(find(user)?.isAdmin ? ['admins'] : [])],
    isAdmin: (user) => find(user)?.isAdmin === true,
  };
}
