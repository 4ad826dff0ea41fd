/** Workspace groups (SCIM `/api/2.0/preview/scim/v2/Groups`). Admins only for writes. */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { validate, type In } from '../validate.js';
import { complexValue, IdSchema, ScimService, type ComplexValue, type PatchOperation, type PatchSchema } from './scim.js';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export interface Group {
  id: string;
  displayName?: string;
  externalId?: string;
  /** Direct members: users (`$ref: Users/<id>`), service principals and groups. */
  members?: ComplexValue[];
  /** Groups this group is a direct member of. */
  groups?: ComplexValue[];
  entitlements?: ComplexValue[];
  roles?: ComplexValue[];
  meta?: { resourceType?: string };
  schemas?: string[];
  [field: string]: unknown;
}

const GroupFields = {
  displayName: z.string({ error: 'must be a string' }).refine((s) => s.trim() !== '', { error: 'must not be empty' }),
  externalId: z.string().optional(),
  members: z.array(complexValue).optional(),
  entitlements: z.array(complexValue).optional(),
  roles: z.array(complexValue).optional(),
};
const CreateSchema = z.looseObject(GroupFields);
export type CreateGroupRequest = z.infer<typeof CreateSchema>;
const UpdateSchema = z.looseObject({ ...GroupFields, id: IdSchema.shape.id });
export type UpdateGroupRequest = z.infer<typeof UpdateSchema>;
export type PatchGroupRequest = In<typeof PatchSchema>;

export class GroupsService extends ScimService<Group> {
  constructor(http: HttpClient) {
    super(http, 'groups', 'Groups');
  }

  /** Unsafe to repeat (a second one is a 409 on the name); the `groupsCreate` activity adopts on retry. */
  async create(req: CreateGroupRequest, opts?: CallOptions): Promise<Group> {
    return this.post({ schemas: [GROUP_SCHEMA], ...validate('groups.create', CreateSchema, req) }, opts);
  }

  /** Full replace (PUT): members and entitlements left out are removed. The same result however often it is sent. */
  async update(req: UpdateGroupRequest, opts?: CallOptions): Promise<void> {
    await this.replace(UpdateSchema, [GROUP_SCHEMA], req, opts);
  }

  /** Adds members by id (users, service principals, groups); already-present ones are left as they are. */
  async addMembers(req: { id: string; members: string[] }, opts?: CallOptions): Promise<void> {
    await this.patch({ id: req.id, Operations: [{ op: 'add', path: 'members', value: req.members.map((value) => ({ value })) }] }, opts);
  }

  /** Removes members by id, one `members[value eq "<id>"]` operation each. */
  async removeMembers(req: { id: string; members: string[] }, opts?: CallOptions): Promise<void> {
    const ops: PatchOperation[] = req.members.map((m) => ({ op: 'remove', path: `members[value eq ${JSON.stringify(m)}]` }));
    await this.patch({ id: req.id, Operations: ops }, opts);
  }
}
