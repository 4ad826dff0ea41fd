/** Workspace users (SCIM `/api/2.0/preview/scim/v2/Users`): list, get, create and delete. */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import type { Paginated } from '../paginate.js';
import { validate, type In } from '../validate.js';
import { complexValue, IdSchema, PatchSchema, ScimResource, type ComplexValue, type ScimListRequest } from './scim.js';

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

export class UsersService {
  private readonly r: ScimResource<User>;
  constructor(http: HttpClient) {
    this.r = new ScimResource<User>(http, 'users', 'Users');
  }

  /** Unsafe to repeat: a second one conflicts on userName. */
  async create(req: CreateUserRequest, opts?: CallOptions): Promise<User> {
    return this.r.create('create', { schemas: USER_SCHEMAS, ...validate('users.create', CreateSchema, req) }, opts);
  }

  async get(req: In<typeof IdSchema>, opts?: CallOptions): Promise<User> {
    return this.r.get(validate('users.get', IdSchema, req).id, opts);
  }

  async patch(req: In<typeof PatchSchema>, opts?: CallOptions): Promise<void> {
    const { id, Operations } = validate('users.patch', PatchSchema, req);
    await this.r.patch(id, Operations, opts);
  }

  async delete(req: In<typeof IdSchema>, opts?: CallOptions): Promise<void> {
    await this.r.delete(validate('users.delete', IdSchema, req).id, opts);
  }

  listPage(req: Omit<ScimListRequest, 'limit'> = {}, opts?: CallOptions) {
    return this.r.listPage(req, opts);
  }

  /** `list({ filter: 'userName eq "a@b.com"' })`; pages by startIndex/count. */
  list(req: ScimListRequest = {}, opts?: CallOptions): Paginated<User> {
    return this.r.list(req, opts);
  }
}
