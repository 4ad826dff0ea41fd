/** Workspace users (SCIM `/api/2.0/preview/scim/v2/Users`): list, get, create and delete. */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { validate } from '../validate.js';
import { complexValue, ScimService, type ComplexValue } from './scim.js';

export const USER_SCHEMAS = ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:workspace:2.0:User'];

export interface User {
  id: string;
  userName?: string;
  displayName?: string;
  active?: boolean;
  emails?: ComplexValue[];
  name?: { givenName?: string; familyName?: string };
  externalId?: string;
  /** Direct group memberships. */
  groups?: ComplexValue[];
  entitlements?: ComplexValue[];
  roles?: ComplexValue[];
  schemas?: string[];
  [field: string]: unknown;
}

const CreateSchema = z.looseObject({
  userName: z.string({ error: 'must be a string' }).refine((s) => s.trim() !== '', { error: 'must not be empty' }),
  displayName: z.string().optional(),
  active: z.boolean().optional(),
  emails: z.array(complexValue).optional(),
  externalId: z.string().optional(),
  entitlements: z.array(complexValue).optional(),
  groups: z.array(complexValue).optional(),
});
export type CreateUserRequest = z.infer<typeof CreateSchema>;

export class UsersService extends ScimService<User> {
  constructor(http: HttpClient) {
    super(http, 'users', 'Users');
  }

  /** Unsafe to repeat: a second one conflicts on userName. */
  async create(req: CreateUserRequest, opts?: CallOptions): Promise<User> {
    return this.post({ schemas: USER_SCHEMAS, ...validate('users.create', CreateSchema, req) }, opts);
  }
}
