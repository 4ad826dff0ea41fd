/** Permissions API 2.0 (§2.10). PATCH bodies are sent as JSON (the JS SDK drops them, §1.2). */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { nonEmpty, validate, type In } from '../validate.js';
import type { OpenEnum } from './types.js';

const BASE = '/api/2.0/permissions';

export type PermissionLevel = OpenEnum<
  | 'CAN_ATTACH_TO'
  | 'CAN_RESTART'
  | 'CAN_MANAGE'
  | 'CAN_USE'
  | 'CAN_VIEW'
  | 'CAN_MANAGE_RUN'
  | 'IS_OWNER'
  | 'CAN_RUN'
  | 'CAN_MONITOR'
  | 'CAN_READ'
  | 'CAN_EDIT'
  | 'CAN_QUERY'
>;

const AccessControlSchema = z
  .looseObject({
    user_name: z.string().optional(),
    group_name: z.string().optional(),
    service_principal_name: z.string().optional(),
    permission_level: nonEmpty,
  })
  .refine((a) => [a.user_name, a.group_name, a.service_principal_name].filter((p) => p !== undefined).length === 1, {
    error: 'must name exactly one of user_name, group_name, service_principal_name',
  });
export type AccessControlRequest = z.infer<typeof AccessControlSchema>;

const ObjectSchema = z.looseObject({ object_type: nonEmpty, object_id: nonEmpty });
const AclSchema = ObjectSchema.extend({ access_control_list: z.array(AccessControlSchema) });
export type SetPermissionsRequest = z.infer<typeof AclSchema>;

export interface AccessControlResponse {
  user_name?: string;
  group_name?: string;
  service_principal_name?: string;
  display_name?: string;
  all_permissions?: { permission_level?: PermissionLevel; inherited?: boolean; inherited_from_object?: string[] }[];
}

export interface ObjectPermissions {
  object_id?: string;
  object_type?: string;
  access_control_list?: AccessControlResponse[];
}

const objectPath = (o: { object_type: string; object_id: string }): string =>
  `${BASE}/${encodeURIComponent(o.object_type)}/${encodeURIComponent(o.object_id)}`;

export class PermissionsService {
  constructor(private readonly http: HttpClient) {}

  async get(req: In<typeof ObjectSchema>, opts?: CallOptions): Promise<ObjectPermissions> {
    const o = validate('permissions.get', ObjectSchema, req);
    return this.http.request({ operation: 'permissions.get', method: 'GET', path: objectPath(o), idempotent: true, ...opts });
  }

  /** Replaces all direct grants (an empty list clears them). Safe to repeat. */
  async set(req: SetPermissionsRequest, opts?: CallOptions): Promise<ObjectPermissions> {
    const { object_type, object_id, ...body } = validate('permissions.set', AclSchema, req);
    return this.http.request({ operation: 'permissions.set', method: 'PUT', path: objectPath({ object_type, object_id }), body, idempotent: true, ...opts });
  }

  /** Merges grants into the existing ones. Safe to repeat. */
  async update(req: SetPermissionsRequest, opts?: CallOptions): Promise<ObjectPermissions> {
    const { object_type, object_id, ...body } = validate('permissions.update', AclSchema, req);
    return this.http.request({ operation: 'permissions.update', method: 'PATCH', path: objectPath({ object_type, object_id }), body, idempotent: true, ...opts });
  }

  async getPermissionLevels(req: In<typeof ObjectSchema>, opts?: CallOptions): Promise<{ permission_levels?: { permission_level?: PermissionLevel; description?: string }[] }> {
    const o = validate('permissions.getPermissionLevels', ObjectSchema, req);
    return this.http.request({ operation: 'permissions.getPermissionLevels', method: 'GET', path: `${objectPath(o)}/permissionLevels`, idempotent: true, ...opts });
  }
}
