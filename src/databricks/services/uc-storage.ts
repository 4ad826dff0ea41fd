/**
 * Unity Catalog storage credentials and external locations (`/api/2.1/unity-catalog/storage-credentials`,
 * `/external-locations`): the metastore's links to cloud storage. Both are named objects with the
 * same five calls, so one base class does the wire work and the two services only add their types.
 * Secrets inside a credential (an Azure client secret, an R2 secret access key) are sent on create
 * and update and never come back.
 */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { byPageToken, type Paginated } from '../paginate.js';
import { listCap, nonEmpty, nonNegativeInt, validate, type In } from '../validate.js';
import type { Empty, OpenEnum } from './types.js';
import { BASE, seg } from './uc-common.js';

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

const NameSchema = z.looseObject({ name: nonEmpty });
const DeleteSchema = z.looseObject({ name: nonEmpty, force: z.boolean().optional() });
const ListSchema = z.looseObject({ max_results: nonNegativeInt.optional(), page_token: z.string().optional(), include_unbound: z.boolean().optional(), limit: listCap.shape.limit });

/** The five calls of a named metastore-level object; `kind` names operations (`storageCredentials.create`) and the path. */
abstract class MetastoreObjectService<Info, CreateSchema extends z.ZodType<{ name: string }>, UpdateSchema extends z.ZodType<{ name: string }>> {
  protected constructor(
    private readonly http: HttpClient,
    private readonly kind: string,
    private readonly segment: string,
    private readonly listField: string,
    private readonly schemas: { create: CreateSchema; update: UpdateSchema },
  ) {}

  private path(name?: string): string {
    return `${BASE}/${this.segment}${name === undefined ? '' : `/${seg(name)}`}`;
  }

  /** Not idempotent: a repeat meets "already exists" (the create activity adopts on retry). */
  async create(req: z.input<CreateSchema>, opts?: CallOptions): Promise<Info> {
    const body = validate(`${this.kind}.create`, this.schemas.create, req);
    return this.http.request({ operation: `${this.kind}.create`, method: 'POST', path: this.path(), body, idempotent: false, ...opts });
  }

  async get(req: In<typeof NameSchema>, opts?: CallOptions): Promise<Info> {
    const { name } = validate(`${this.kind}.get`, NameSchema, req);
    return this.http.request({ operation: `${this.kind}.get`, method: 'GET', path: this.path(name), idempotent: true, ...opts });
  }

  /** Every object the caller may see, following `next_page_token` (`max_results` sets the page size). */
  list(req: In<typeof ListSchema> = {}, opts?: CallOptions): Paginated<Info> {
    const { limit, ...q } = validate(`${this.kind}.list`, ListSchema, req);
    return byPageToken(
      (page) => this.http.request<Record<string, unknown> & { next_page_token?: string }>({
        operation: `${this.kind}.list`, method: 'GET', path: this.path(),
        // Unset max_results asks for everything at once, which the API calls deprecated; 0 pages at the server's size.
        query: { max_results: 0, ...q, ...page }, idempotent: true, ...opts,
      }),
      (r) => r[this.listField] as Info[] | undefined,
      limit,
    );
  }

  /** A rename is not idempotent (the old name is gone after the first attempt). */
  async update(req: z.input<UpdateSchema>, opts?: CallOptions): Promise<Info> {
    const { name, ...body } = validate(`${this.kind}.update`, this.schemas.update, req) as { name: string; new_name?: string };
    return this.http.request({ operation: `${this.kind}.update`, method: 'PATCH', path: this.path(name), body, idempotent: body.new_name === undefined, ...opts });
  }

  async delete(req: In<typeof DeleteSchema>, opts?: CallOptions): Promise<Empty> {
    const { name, force } = validate(`${this.kind}.delete`, DeleteSchema, req);
    return this.http.request({ operation: `${this.kind}.delete`, method: 'DELETE', path: this.path(name), query: force === undefined ? {} : { force }, idempotent: true, ...opts });
  }
}

/** Storage credentials: one cloud identity each (AWS IAM role, Azure managed identity or service principal, GCP service account, R2 token). */
export class StorageCredentialsService extends MetastoreObjectService<StorageCredentialInfo, typeof CreateCredentialSchema, typeof UpdateCredentialSchema> {
  constructor(http: HttpClient) {
    super(http, 'storageCredentials', 'storage-credentials', 'storage_credentials', { create: CreateCredentialSchema, update: UpdateCredentialSchema });
  }
}

/** External locations: a cloud URL plus the storage credential that reaches it. */
export class ExternalLocationsService extends MetastoreObjectService<ExternalLocationInfo, typeof CreateLocationSchema, typeof UpdateLocationSchema> {
  constructor(http: HttpClient) {
    super(http, 'externalLocations', 'external-locations', 'external_locations', { create: CreateLocationSchema, update: UpdateLocationSchema });
  }
}
