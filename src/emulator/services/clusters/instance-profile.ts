import type { InstanceProfilesApi } from '../instance-profiles/index.js';
import { requireRegistered } from '../instance-profiles/require.js';
import type { ClusterSpec } from './schemas.js';

/**
 * A cluster may launch only with a registered instance profile (docs: admins register profiles "that
 * users can launch clusters with"). The emulated workspace spans AWS, Azure and GCP node types, but
 * `aws_attributes.instance_profile_arn` only means something on AWS, so the check applies whenever a
 * spec names one, whatever its node type; Azure and GCP specs never do. Profiles removed later do
 * not affect clusters already made (docs: "Existing clusters with this instance profile will
 * continue to function"), but an edit re-checks. Job clusters (a run's new_cluster) are not checked.
 */
export function checkInstanceProfile(spec: ClusterSpec, profiles: InstanceProfilesApi | undefined): void {
  const arn = spec.aws_attributes?.instance_profile_arn;
  if (arn !== undefined) requireRegistered(profiles, arn, 'clusters');
}
