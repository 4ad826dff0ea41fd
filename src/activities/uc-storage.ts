/**
 * Storage credential and external location creates. The name is the key (unique in the metastore),
 * so a retry that meets "already exists" looks the object up and adopts it only when it is the one
 * the request describes (src/common/uc-storage-match.ts); a same-named object that differs fails the
 * retry as the conflict it is.
 *
 * Activity inputs are kept in workflow history, so the two identities that carry a secret take it by
 * reference (`{ fromEnv }` / `{ fromFile }`), resolved on the worker just before the call: an Azure
 * service principal's `client_secret` and an R2 token's `secret_access_key`. A plain string there is
 * refused by name before anything is sent.
 */
import { z } from 'zod';
import { sameExternalLocation, sameStorageCredential } from '../common/uc-storage-match.js';
import type {
  AzureServicePrincipal,
  CloudflareApiToken,
  CreateExternalLocationRequest,
  CreateStorageCredentialRequest,
  ExternalLocationInfo,
  StorageCredentialInfo,
  UpdateStorageCredentialRequest,
} from '../databricks/index.js';
import { adoptOnRetry } from './creates.js';
import type { Body, OpContext } from './define.js';
import { invalidInput } from './failures.js';
import { resolveSecret, SecretRefSchema, type SecretRef } from './secret-refs.js';

/** The identities whose secret goes by reference in activity inputs. */
interface SecretIdentities {
  azure_service_principal?: Omit<AzureServicePrincipal, 'client_secret'> & { client_secret: SecretRef };
  cloudflare_api_token?: Omit<CloudflareApiToken, 'secret_access_key'> & { secret_access_key: SecretRef };
}
/** `T` without the identities above (a key remap: Omit would drop the named keys of these loose request types). */
type WithoutSecretIdentities<T> = { [K in keyof T as K extends keyof SecretIdentities ? never : K]: T[K] };
export type StorageCredentialsCreateInput = WithoutSecretIdentities<CreateStorageCredentialRequest> & SecretIdentities;
export type StorageCredentialsUpdateInput = WithoutSecretIdentities<UpdateStorageCredentialRequest> & SecretIdentities;

const SecretIdentitiesInput = z.looseObject({
  azure_service_principal: z.looseObject({ client_secret: SecretRefSchema }).optional(),
  cloudflare_api_token: z.looseObject({ secret_access_key: SecretRefSchema }).optional(),
});

/** The request with its secrets resolved; refuses (non-retryable, naming the field) a secret given in plain. */
async function withSecrets<R>(ctx: OpContext, activity: string, input: SecretIdentities): Promise<R> {
  const parsed = SecretIdentitiesInput.safeParse(input);
  if (!parsed.success) throw invalidInput(activity, parsed.error);
  const { azure_service_principal: sp, cloudflare_api_token: r2, ...rest } = input;
  const sent: { azure_service_principal?: AzureServicePrincipal; cloudflare_api_token?: CloudflareApiToken } = {
    ...rest,
    ...(sp ? { azure_service_principal: { ...sp, client_secret: await resolveSecret(ctx, sp.client_secret) } } : {}),
    ...(r2 ? { cloudflare_api_token: { ...r2, secret_access_key: await resolveSecret(ctx, r2.secret_access_key) } } : {}),
  };
  return sent as R;
}

const createCredential = adoptOnRetry<CreateStorageCredentialRequest, StorageCredentialInfo>(
  (ctx, i) => ctx.client.storageCredentials.create(i, ctx.opts),
  (ctx, i) => ctx.client.storageCredentials.get({ name: i.name }, ctx.opts),
  sameStorageCredential,
);

export const storageCredentialsCreate: Body<StorageCredentialsCreateInput, StorageCredentialInfo> = async (ctx, input) =>
  createCredential(ctx, await withSecrets<CreateStorageCredentialRequest>(ctx, 'storageCredentialsCreate', input));

export const storageCredentialsUpdate: Body<StorageCredentialsUpdateInput, StorageCredentialInfo> = async (ctx, input) =>
  ctx.client.storageCredentials.update(await withSecrets<UpdateStorageCredentialRequest>(ctx, 'storageCredentialsUpdate', input), ctx.opts);

export const externalLocationsCreate: Body<CreateExternalLocationRequest, ExternalLocationInfo> = adoptOnRetry<CreateExternalLocationRequest, ExternalLocationInfo>(
  (ctx, i) => ctx.client.externalLocations.create(i, ctx.opts),
  (ctx, i) => ctx.client.externalLocations.get({ name: i.name }, ctx.opts),
  sameExternalLocation,
);
