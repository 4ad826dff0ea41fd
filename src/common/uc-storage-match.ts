/**
 * Whether a storage credential or external location that already has the requested name is the one a
 * request describes: how a retried create (src/activities/uc-storage.ts) and a re-run of the
 * provisioning saga decide to adopt it. Secrets (an Azure client secret, an R2 secret access key)
 * never come back, so they cannot be compared: the rest of the identity decides. No imports: bundled
 * into the workflow sandbox.
 */

const IDENTITIES = ['aws_iam_role', 'azure_managed_identity', 'azure_service_principal', 'cloudflare_api_token', 'databricks_gcp_service_account'] as const;
/** The fields of each identity that a stored credential answers with and a request sets. */
const COMPARED: Record<(typeof IDENTITIES)[number], string[]> = {
  aws_iam_role: ['role_arn'],
  azure_managed_identity: ['access_connector_id', 'managed_identity_id'],
  azure_service_principal: ['directory_id', 'application_id'],
  cloudflare_api_token: ['access_key_id', 'account_id'],
  databricks_gcp_service_account: [],
};

type Identities = { [K in (typeof IDENTITIES)[number]]?: object };
interface Described {
  read_only?: boolean;
  comment?: string;
}

export function sameStorageCredential(found: Identities & Described, wanted: Identities & Described): boolean {
  for (const field of IDENTITIES) {
    const a = found[field] as Record<string, unknown> | undefined;
    const b = wanted[field] as Record<string, unknown> | undefined;
    if ((a === undefined) !== (b === undefined)) return false;
    if (a && b && COMPARED[field].some((k) => a[k] !== b[k])) return false;
  }
  return (found.read_only ?? false) === (wanted.read_only ?? false) && (found.comment ?? '') === (wanted.comment ?? '');
}

/** URLs compared without trailing slashes (`s3://b/x/` and `s3://b/x` are one place). */
const trimmed = (url: string | undefined) => url?.replace(/\/+$/, '');

export function sameExternalLocation(found: Described & { url?: string; credential_name?: string }, wanted: Described & { url: string; credential_name: string }): boolean {
  return (
    trimmed(found.url) === trimmed(wanted.url) &&
    found.credential_name?.toLowerCase() === wanted.credential_name.toLowerCase() &&
    (found.read_only ?? false) === (wanted.read_only ?? false) &&
    (found.comment ?? '') === (wanted.comment ?? '')
  );
}
