import type { GrantDirectory } from '../../sql/index.js';
import type { ScimApi } from '../scim/index.js';
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
  const principal = (user: string) => ctx.principals.principals().find((p) => p.userName === user);
  const scim = () => ctx.service<ScimApi>('scim');
  const groupsOf = (user: string): string[] => {
    const p = principal(user);
    const s = scim();
    if (!p) return [];
    return s ? s.groupNamesOf(p) : ['users', ...(p.isAdmin ? ['admins'] : [])];
  };
  return {
    exists: (name) => {
      if (name === ACCOUNT_USERS) return true;
      const s = scim();
      if (!s) return name === 'users' || name === 'admins' || principal(name) !== undefined;
      return s.userExists(name) || s.groupExists(name) || s.servicePrincipalExists(name);
    },
    actsAs: (user) => [user, ACCOUNT_USERS, ...groupsOf(user)],
    isAdmin: (user) => groupsOf(user).includes('admins'),
  };
}
