/**
 * Storage credential and external location creates. The name is the key (unique in the metastore),
 * so a retry that meets "already exists" looks the object up and adopts it only when it is the one
 * the request describes (src/common/uc-storage-match.ts); a same-named object that differs fails the
 * retry as the conflict it is.
 */
import { sameExternalLocation, sameStorageCredential } from '../common/uc-storage-match.js';
import type {
  CreateExternalLocationRequest,
  CreateStorageCredentialRequest,
  ExternalLocationInfo,
  StorageCredentialInfo,
} from '../databricks/index.js';
import { adoptOnRetry } from './creates.js';
import type { Body } from './define.js';

export const storageCredentialsCreate: Body<CreateStorageCredentialRequest, StorageCredentialInfo> = adoptOnRetry<CreateStorageCredentialRequest, StorageCredentialInfo>(
  (ctx, i) => ctx.client.storageCredentials.create(i, ctx.opts),
  (ctx, i) => ctx.client.storageCredentials.get({ name: i.name }, ctx.opts),
  sameStorageCredential,
);

export const externalLocationsCreate: Body<CreateExternalLocationRequest, ExternalLocationInfo> = adoptOnRetry<CreateExternalLocationRequest, ExternalLocationInfo>(
  (ctx, i) => ctx.client.externalLocations.create(i, ctx.opts),
  (ctx, i) => ctx.client.externalLocations.get({ name: i.name }, ctx.opts),
  sameExternalLocation,
);
