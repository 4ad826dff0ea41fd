/** Workspace users (SCIM `/api/2.0/preview/scim/v2/Users`): list, get, create, update (PUT), patch and delete. */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { validate } from '../validate.js';
import { complexValue, IdSchema, ScimService, type ComplexValue } from './scim.js';

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

const UserFields = {
  userName: z.string({ error: 'must be a string' }).refine((s) => s.trim() !== '', { error: 'must not be empty' }),
  displayName: z.string().optional(),
  active: z.boolean().optional(),
  emails: z.array(complexValue).optional(),
  externalId: z.string().optional(),
  entitlements: z.array(complexValue).optional(),
  /** Direct group memberships; on update, groups left out are left. */
  groups: z.array(complexValue).optional(),
};
const CreateSchema = z.looseObject(UserFields);
export type CreateUserRequest = z.infer<typeof CreateSchema>;
const UpdateSchema = z.looseObject({ ...UserFields, id: IdSchema.shape.id });
export type UpdateUserRequest = z.infer<typeof UpdateSchema>;

export class UsersService extends ScimService<User> {
  constructor(http: HttpClient) {
    super(http, 'users', 'Users');
  }

  /** Unsafe to repeat: a second one conflicts on userName. */
  async create(req: CreateUserRequest, opts?: CallOptions): Promise<User> {
    return this.post({ schemas: USER_SCHEMAS, ...validate('users.create', CreateSchema, req) }, opts);
  }

  /**
   * Full replace (PUT): what is left out is cleared, and `groups` left out means leaving every
   * group (admins included), so pass the current `groups` to keep them. Safe to repeat.
   */
  async update(req: UpdateUserRequest, opts?: CallOptions): Promise<void> {
    await this.replace(UpdateSchema, USER_SCHEMAS, req, opts);
  }
}
