import { z } from 'zod';

/**
 * IAM ARNs as the docs give them: `arn:aws:iam::<account-id>:instance-profile/<name>` and
 * `arn:aws:iam::<account-id>:role/<name>`. The account id is AWS's 12 digits; the name may carry an
 * IAM path (`/team/name`) and AWS's name characters; the GovCloud and China partitions are accepted
 * too (Databricks runs in GovCloud). What the real service says about a malformed ARN is unverified.
 */
const NAME = String.raw`(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,128}`;
const arnOf = (kind: string) => new RegExp(String.raw`^arn:aws(?:-us-gov|-cn)?:iam::\d{12}:${kind}/${NAME}$`);

export const INSTANCE_PROFILE_ARN = arnOf('instance-profile');
export const ROLE_ARN = arnOf('role');

export const instanceProfileArn = () => z.string().regex(INSTANCE_PROFILE_ARN, 'must look like arn:aws:iam::<account-id>:instance-profile/<name>');
export const roleArn = () => z.string().regex(ROLE_ARN, 'must look like arn:aws:iam::<account-id>:role/<name>');
