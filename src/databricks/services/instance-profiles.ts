/**
 * Instance Profiles API 2.0 (`/api/2.0/instance-profiles/…`, AWS workspaces): the IAM instance
 * profiles clusters may launch with (`aws_attributes.instance_profile_arn`). Admins add, edit and
 * remove; anyone lists the profiles they may use.
 */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { nonEmpty, validate, type In } from '../validate.js';
import type { Empty } from './types.js';

const BASE = '/api/2.0/instance-profiles';

const fields = {
  /** `arn:aws:iam::<account-id>:instance-profile/<name>` */
  instance_profile_arn: nonEmpty,
  /** `arn:aws:iam::<account-id>:role/<name>`; needed for serverless SQL when the role's name differs from the profile's. */
  iam_role_arn: z.string().optional(),
  is_meta_instance_profile: z.boolean().optional(),
};
const AddSchema = z.looseObject({ ...fields, skip_validation: z.boolean().optional() });
export type AddInstanceProfileRequest = z.infer<typeof AddSchema>;
const EditSchema = z.looseObject(fields);
export type EditInstanceProfileRequest = z.infer<typeof EditSchema>;
const RemoveSchema = z.looseObject({ instance_profile_arn: nonEmpty });

export interface InstanceProfile {
  instance_profile_arn: string;
  iam_role_arn?: string;
  is_meta_instance_profile?: boolean;
}

export class InstanceProfilesService {
  constructor(private readonly http: HttpClient) {}

  /** Not safe to repeat blindly: a second add of the same ARN is refused. */
  async add(req: AddInstanceProfileRequest, opts?: CallOptions): Promise<Empty> {
    const body = validate('instanceProfiles.add', AddSchema, req);
    return this.http.request({ operation: 'instanceProfiles.add', method: 'POST', path: `${BASE}/add`, body, idempotent: false, ...opts });
  }

  /** Sets the role ARN (and the meta flag); repeating it gives the same profile. */
  async edit(req: EditInstanceProfileRequest, opts?: CallOptions): Promise<Empty> {
    const body = validate('instanceProfiles.edit', EditSchema, req);
    return this.http.request({ operation: 'instanceProfiles.edit', method: 'POST', path: `${BASE}/edit`, body, idempotent: true, ...opts });
  }

  /** The profiles the caller may launch clusters with. One call: the API does not page. */
  async list(opts?: CallOptions): Promise<InstanceProfile[]> {
    const r = await this.http.request<{ instance_profiles?: InstanceProfile[] }>({ operation: 'instanceProfiles.list', method: 'GET', path: `${BASE}/list`, idempotent: true, ...opts });
    return r.instance_profiles ?? [];
  }

  async remove(req: In<typeof RemoveSchema>, opts?: CallOptions): Promise<Empty> {
    const body = validate('instanceProfiles.remove', RemoveSchema, req);
    return this.http.request({ operation: 'instanceProfiles.remove', method: 'POST', path: `${BASE}/remove`, body, idempotent: true, ...opts });
  }
}
