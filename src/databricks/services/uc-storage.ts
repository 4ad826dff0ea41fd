/**
 * Unity Catalog storage credentials and external locations (`/api/2.1/unity-catalog/storage-credentials`,
 * `/external-locations`): the metastore's links to cloud storage. Both are named objects with the
 * same five calls, so one base class (uc-metastore-object.ts) does the wire work and the two services only add their types.
 * Secrets inside a credential (an Azure client secret, an R2 secret access key) are sent on create
 * and update and never come back.
 */
import { z } from 'zod';
import type { HttpClient } from '../http.js';
import { nonEmpty } from '../validate.js';
import type { OpenEnum } from './types.js';
import { MetastoreObjectService } from './uc-metastore-object.js';

interface MetastoreObjectInfo {
  name?: string;
  full_name?: string;
  id?: string;
  comment?: string;
  owner?: string;
  read_only?: boolean;
  metastore_id?: string;
  isolation_mode?: OpenEnum<'ISOLATION_MODE_OPEN' | 'ISOLATION_MODE_ISOLATED'>;
  created_at?: number;
  created_by?: string;
  updated_at?: number;
  updated_by?: string;
  [field: string]: unknown;
}

export interface AwsIamRole {
  role_arn: string;
  /** Answers only: */
  external_id?: string;
  unity_catalog_iam_arn?: string;
}
export interface AzureManagedIdentity {
  access_connector_id: string;
  managed_identity_id?: string;
  credential_id?: string;
}
/** `client_secret` is write-only: sent, never answered. */
export interface AzureServicePrincipal {
  directory_id: string;
  application_id: string;
  client_secret?: string;
}
/** `secret_access_key` is write-only: sent, never answered. */
export interface CloudflareApiToken {
  access_key_id: string;
  secret_access_key?: string;
  account_id?: string;
}
/** Empty in a request (Databricks makes the account); `email` in answers. */
export interface DatabricksGcpServiceAccount {
  email?: string;
  credential_id?: string;
}

export interface StorageCredentialInfo extends MetastoreObjectInfo {
  aws_iam_role?: AwsIamRole;
  azure_managed_identity?: AzureManagedIdentity;
  azure_service_principal?: AzureServicePrincipal;
  cloudflare_api_token?: CloudflareApiToken;
  databricks_gcp_service_account?: DatabricksGcpServiceAccount;
  used_for_managed_storage?: boolean;
}

export interface ExternalLocationInfo extends MetastoreObjectInfo {
  url?: string;
  credential_name?: string;
  credential_id?: string;
  fallback?: boolean;
  browse_only?: boolean;
}

const identities = {
  aws_iam_role: z.looseObject({ role_arn: nonEmpty }).optional(),
  azure_managed_identity: z.looseObject({ access_connector_id: nonEmpty, managed_identity_id: z.string().optional() }).optional(),
  azure_service_principal: z.looseObject({ directory_id: nonEmpty, application_id: nonEmpty, client_secret: nonEmpty }).optional(),
  cloudflare_api_token: z.looseObject({ access_key_id: nonEmpty, secret_access_key: nonEmpty, account_id: nonEmpty }).optional(),
  databricks_gcp_service_account: z.looseObject({}).optional(),
};
const common = { comment: z.string().optional(), read_only: z.boolean().optional(), skip_validation: z.boolean().optional() };
const changes = { new_name: nonEmpty.optional(), owner: nonEmpty.optional(), force: z.boolean().optional() };

const CreateCredentialSchema = z.looseObject({ name: nonEmpty, ...identities, ...common });
export type CreateStorageCredentialRequest = z.input<typeof CreateCredentialSchema>;
const UpdateCredentialSchema = z.looseObject({ name: nonEmpty, ...identities, ...common, ...changes });
export type UpdateStorageCredentialRequest = z.input<typeof UpdateCredentialSchema>;

const CreateLocationSchema = z.looseObject({ name: nonEmpty, url: nonEmpty, credential_name: nonEmpty, fallback: z.boolean().optional(), ...common });
export type CreateExternalLocationRequest = z.input<typeof CreateLocationSchema>;
const UpdateLocationSchema = z.looseObject({ name: nonEmpty, url: nonEmpty.optional(), credential_name: nonEmpty.optional(), fallback: z.boolean().optional(), ...common, ...changes });
export type UpdateExternalLocationRequest = z.input<typeof UpdateLocationSchema>;

/** A body's write-only secrets (a service principal's client secret, an R2 secret key), for the client to scrub from error text. */
function credentialSecrets(body: unknown): string[] {
  const b = body as { azure_service_principal?: AzureServicePrincipal; cloudflare_api_token?: CloudflareApiToken };
  return [b.azure_service_principal?.client_secret, b.cloudflare_api_token?.secret_access_key].filter((v): v is string => typeof v === 'string' && v !== '');
}

/** Storage credentials: one cloud identity each (AWS IAM role, Azure managed identity or service principal, GCP service account, R2 token). */
export class StorageCredentialsService extends MetastoreObjectService<StorageCredentialInfo, typeof CreateCredentialSchema, typeof UpdateCredentialSchema> {
  constructor(http: HttpClient) {
    super(http, 'storageCredentials', 'storage-credentials', 'storage_credentials', { create: CreateCredentialSchema, update: UpdateCredentialSchema }, credentialSecrets);
  }
}

/** External locations: a cloud URL plus the storage credential that reaches it. */
export class ExternalLocationsService extends MetastoreObjectService<ExternalLocationInfo, typeof CreateLocationSchema, typeof UpdateLocationSchema> {
  constructor(http: HttpClient) {
    super(http, 'externalLocations', 'external-locations', 'external_locations', { create: CreateLocationSchema, update: UpdateLocationSchema });
  }
}
