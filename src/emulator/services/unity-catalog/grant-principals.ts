import type { GrantDirectory } from '../../sql/index.js';
import { scimOf } from '../scim/index.js';
import type { ServiceContext } from '../types.js';

/**
 * `account users` is the account-level group of everyone; UC grants may name it, though the
 * workspace's SCIM (whose own everyone-group is `users`) does not list it.
 */
const ACCOUNT_USERS = 'account users';

/**
 * The principals UC grants may name and what a user acts as, from the workspace's SCIM directory:
 * its users, service principals (application ids) and groups (nested memberships included; members
 * of `admins` are metastore admins here).
 */
export function grantDirectory(ctx: ServiceContext): GrantDirectory {
  const groupsOf = (user: string): string[] => {
    const p = ctx.principals.principals().find((x) => x.userName === user);
    return p ? scimOf(ctx).groupNamesOf(p) : [];
  };
  return {
    exists: (name) => {
      if (name === ACCOUNT_USERS) return true;
      const scim = scimOf(ctx);
      return scim.userExists(name) || scim.groupExists(name) || scim.servicePrincipalExists(name);
    },
    actsAs: (user) => [user, ACCOUNT_USERS, ...groupsOf(user)],
    isAdmin: (user) => groupsOf(user).includes('admins'),
  };
}
