import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../../auth.js';
import { route, versions } from '../../http/router.js';
import type { ServiceModule } from '../types.js';

/**
 * SCIM `Me` (`GET /api/2.0/preview/scim/v2/Me`): who the caller is, which the SDKs' `currentUser.me()`
 * reads (scripts use it to find their home folder). Shape of a real answer: `id`, `userName` (a
 * service principal's is its application id), `displayName`, `active`, `emails[{type, value,
 * primary}]`, `name{givenName, familyName}`, direct `groups[{display, type, value, $ref}]` and the
 * two User `schemas`. Ids are stable digests of the name, since principals have no numeric id.
 */
const USER_SCHEMAS = ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:workspace:2.0:User'];

function scimId(name: string): string {
  return BigInt(`0x${createHash('sha256').update(name).digest('hex').slice(0, 13)}`).toString();
}

/** A principal's SCIM id (what `Me` answers); other services report it as a user id (token management's `created_by_id`). */
export function principalId(p: Pick<Principal, 'kind' | 'userName'>): string {
  return scimId(`${p.kind}:${p.userName}`);
}

export function scimMe(p: Principal): Record<string, unknown> {
  const local = p.userName.split('@')[0] ?? p.userName;
  const groups = p.isAdmin ? [{ display: 'admins', type: 'direct', value: scimId('group:admins'), $ref: `Groups/${scimId('group:admins')}` }] : [];
  return {
    id: principalId(p),
    userName: p.userName,
    displayName: local,
    active: true,
    emails: [{ type: 'work', value: p.userName, primary: true }],
    name: { givenName: local },
    groups,
    schemas: USER_SCHEMAS,
  };
}

export const scimService: ServiceModule = {
  name: 'scim',
  create() {
    return {
      routes: [route({ method: 'GET', paths: versions(['2.0'], '/preview/scim/v2/Me'), input: z.object({}), handle: (_i, req) => scimMe(req.principal) })],
    };
  },
};
