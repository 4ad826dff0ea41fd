/**
 * Storage credential and external location creates. The name is the key (unique in the metastore),
 * so a retry that meets "already exists" looks the object up and adopts it only when it is the one
 * the request describes; a same-named object that differs fails the retry as the conflict it is.
 * Secrets (an Azure client secret, an R2 secret access key) never come back, so they cannot be
 * compared: the rest of the identity decides.
 */
import type {
  CreateExternalLocationRequest,
  CreateStorageCredentialRequest,
  ExternalLocationInfo,
  StorageCredentialInfo,
} from '../databricks/index.js';
import { adoptOnRetry } from './creates.js';
import type { Body } from './define.js';

const IDENTITIES = ['aws_iam_role', 'azure_managed_identity', 'azure_service_principal', 'cloudflare_api_token', 'databricks_gcp_service_account'] as const;
/** The fields of each identity that a stored credential answers with and a request sets. */
const COMPARED: Record<(typeof IDENTITIES)[number], string[]> = {
  aws_iam_role: ['role_arn'],
  azure_managed_identity: ['access_connector_id', 'managed_identity_id'],
  azure_service_principal: ['directory_id', 'application_id'],
  cloudflare_api_token: ['access_key_id', 'account_id'],
  databricks_gcp_service_account: [],
};

function sameCredential(found: StorageCredentialInfo, wanted: CreateStorageCredentialRequest): boolean {
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

function sameLocation(found: ExternalLocationInfo, wanted: CreateExternalLocationRequest): boolean {
  return (
    trimmed(found.url) === trimmed(wanted.url) &&
    found.credential_name?.toLowerCase() === wanted.credential_name.toLowerCase() &&
    (found.read_only ?? false) === (wanted.read_only ?? false) &&
    (found.comment ?? '') === (wanted.comment ?? '')
  );
}

export const storageCredentialsCreate: Body<CreateStorageCredentialRequest, StorageCredentialInfo> = adoptOnRetry(
  (ctx, i) => ctx.client.storageCredentials.create(i, ctx.opts),
  (ctx, i) => ctx.client.storageCredentials.get({ name: i.name }, ctx.opts),
  sameCredential,
);

export const externalLocationsCreate: Body<CreateExternalLocationRequest, ExternalLocationInfo> = adoptOnRetry(
  (ctx, i) => ctx.client.externalLocations.create(i, ctx.opts),
  (ctx, i) => ctx.client.externalLocations.get({ name: i.name }, ctx.opts),
  sameLocation,
);
