import { z } from 'zod';
import { requireAdmin } from '../../http/admin.js';
import { alreadyExists, notFound } from '../../http/errors.js';
import { listBody } from '../../http/paging.js';
import { route, versions, type ApiRequest } from '../../http/router.js';
import { bool } from '../../http/validation.js';
import type { ServiceModule } from '../types.js';
import { INSTANCE_PROFILE_ARN, instanceProfileArn, ROLE_ARN, roleArn } from './arn.js';

/**
 * Instance profiles (`/api/2.0/instance-profiles/add|edit|list|remove`): the AWS instance profiles
 * clusters may launch with (`aws_attributes.instance_profile_arn`, checked by clusters/create, edit
 * and update). Admins add, edit and remove (docs: "only available to admin users"); anyone lists.
 *
 * Emulator limits, on purpose:
 * - No AWS: `skip_validation` is accepted and changes nothing; the real service's dry-run
 *   RunInstances check (which refuses a profile AWS does not know) is not imitated.
 * - SCIM `roles` (instance profiles granted to users and groups) are not modelled, so every user may
 *   list and use every registered profile; the real list shows a non-admin only those granted.
 * - Unverified: the duplicate (409) and missing (404) answers and their texts; that edit replaces
 *   both optional fields (a missing `iam_role_arn` clears it).
 */
export interface InstanceProfilesApi {
  isRegistered(arn: string): boolean;
}

interface InstanceProfile {
  instance_profile_arn: string;
  iam_role_arn?: string;
  is_meta_instance_profile: boolean;
}

const DENIED = 'Only workspace admins can add, edit or remove instance profiles.';
/** An empty role ARN means none (the Terraform provider sends "" for an unset role). */
const optionalRole = () => z.preprocess((v) => (v === '' ? undefined : v), roleArn().optional());
const profileInput = z.object({ instance_profile_arn: instanceProfileArn(), iam_role_arn: optionalRole(), is_meta_instance_profile: bool().optional() });

export const INSTANCE_PROFILES = 'instance-profiles';

export const instanceProfilesService: ServiceModule = {
  name: INSTANCE_PROFILES,
  create() {
    const profiles = new Map<string, InstanceProfile>();
    const admin = (req: ApiRequest) => requireAdmin(req, DENIED);
    const find = (arn: string) => {
      const p = profiles.get(arn);
      if (!p) throw notFound(`Instance profile ${arn} does not exist.`);
      return p;
    };
    const record = (i: z.output<typeof profileInput>): InstanceProfile => ({
      instance_profile_arn: i.instance_profile_arn,
      ...(i.iam_role_arn ? { iam_role_arn: i.iam_role_arn } : {}),
      is_meta_instance_profile: i.is_meta_instance_profile ?? false,
    });
    const api: InstanceProfilesApi = { isRegistered: (arn) => profiles.has(arn) };
    const path = (verb: string) => versions(['2.0'], `/instance-profiles/${verb}`);
    return {
      routes: [
        route({
          method: 'POST',
          paths: path('add'),
          input: profileInput.extend({ skip_validation: bool().optional() }),
          handle(i, req) {
            admin(req);
            if (profiles.has(i.instance_profile_arn)) throw alreadyExists(`Instance profile ${i.instance_profile_arn} already exists.`);
            profiles.set(i.instance_profile_arn, record(i));
            return {};
          },
        }),
        route({
          method: 'POST',
          paths: path('edit'),
          input: profileInput,
          handle(i, req) {
            admin(req);
            find(i.instance_profile_arn);
            profiles.set(i.instance_profile_arn, record(i));
            return {};
          },
        }),
        route({ method: 'GET', paths: path('list'), input: z.object({}), handle: () => listBody('instance_profiles', [...profiles.values()]) }),
        route({
          method: 'POST',
          paths: path('remove'),
          input: z.object({ instance_profile_arn: instanceProfileArn() }),
          handle(i, req) {
            admin(req);
            profiles.delete(find(i.instance_profile_arn).instance_profile_arn);
            return {};
          },
        }),
      ],
      api,
      snapshot: () => ({ instance_profiles: [...profiles.values()] }),
      restore(state) {
        const list = (state as { instance_profiles?: unknown } | null)?.instance_profiles;
        if (!Array.isArray(list)) return;
        for (const p of list as Partial<InstanceProfile>[]) {
          if (typeof p?.instance_profile_arn !== 'string' || !INSTANCE_PROFILE_ARN.test(p.instance_profile_arn)) continue;
          if (p.iam_role_arn !== undefined && !ROLE_ARN.test(p.iam_role_arn)) continue;
          profiles.set(p.instance_profile_arn, { ...(p as InstanceProfile), is_meta_instance_profile: p.is_meta_instance_profile === true });
        }
      },
    };
  },
};
