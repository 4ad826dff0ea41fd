/**
 * Unity Catalog connections (`/api/2.1/unity-catalog/connections`): the external data sources of
 * Lakehouse Federation. Secret options (a password, a client secret, a private key:
 * src/common/uc-connection-options.ts) are sent on create and update, never come back, and are
 * scrubbed from the text of any error those calls meet.
 */
import { z } from 'zod';
import { isSecretConnectionOption } from '../../common/uc-connection-options.js';
import type { HttpClient } from '../http.js';
import { nonEmpty } from '../validate.js';
import type { OpenEnum } from './types.js';
import { MetastoreObjectService } from './uc-metastore-object.js';

export type ConnectionType = OpenEnum<
  | 'MYSQL' | 'POSTGRESQL' | 'SNOWFLAKE' | 'REDSHIFT' | 'SQLDW' | 'SQLSERVER' | 'DATABRICKS' | 'SALESFORCE' | 'BIGQUERY' | 'NETSUITE'
  | 'WORKDAY_RAAS' | 'HIVE_METASTORE' | 'GA4_RAW_DATA' | 'SERVICENOW' | 'SALESFORCE_DATA_CLOUD' | 'GLUE' | 'ORACLE' | 'TERADATA' | 'HTTP'
  | 'POWER_BI' | 'DYNAMICS365' | 'CONFLUENCE' | 'JDBC' | 'META_MARKETING' | 'HUBSPOT' | 'ZENDESK' | 'GITHUB' | 'OUTLOOK' | 'SMARTSHEET'
>;
export type CredentialType = OpenEnum<'USERNAME_PASSWORD' | 'OAUTH_U2M' | 'OAUTH_M2M' | 'OAUTH_REFRESH_TOKEN' | 'OAUTH_ACCESS_TOKEN' | 'PEM_PRIVATE_KEY' | 'BEARER_TOKEN' | 'SERVICE_CREDENTIAL'>;

/** A connection as answers show it: `options` without the secret ones (and without `user`). */
export interface ConnectionInfo {
  name?: string;
  full_name?: string;
  connection_id?: string;
  connection_type?: ConnectionType;
  credential_type?: CredentialType;
  options?: Record<string, string>;
  /** host[:port], extracted from the options. */
  url?: string;
  comment?: string;
  properties?: Record<string, string>;
  read_only?: boolean;
  owner?: string;
  metastore_id?: string;
  securable_type?: string;
  securable_kind?: string;
  provisioning_info?: { state?: OpenEnum<'ACTIVE' | 'PROVISIONING' | 'UPDATING' | 'DELETING' | 'DEGRADED' | 'FAILED'> };
  created_at?: number;
  created_by?: string;
  updated_at?: number;
  updated_by?: string;
  [field: string]: unknown;
}

const options = z.record(z.string(), z.string({ error: 'must be a string' }));
const CreateSchema = z.looseObject({
  name: nonEmpty,
  connection_type: nonEmpty,
  options,
  comment: z.string().optional(),
  properties: z.record(z.string(), z.string()).optional(),
  read_only: z.boolean().optional(),
});
export type CreateConnectionRequest = z.input<typeof CreateSchema>;
/** `options` is required (UpdateConnection) and replaces the connection's options whole. */
const UpdateSchema = z.looseObject({ name: nonEmpty, options, new_name: nonEmpty.optional(), owner: nonEmpty.optional() });
export type UpdateConnectionRequest = z.input<typeof UpdateSchema>;

/** The values of a body's secret options, for the client to scrub from error text. */
function secretValues(body: unknown): string[] {
  const opts = (body as { options?: Record<string, string> }).options ?? {};
  return Object.entries(opts).filter(([k, v]) => isSecretConnectionOption(k) && v !== '').map(([, v]) => v);
}

export class ConnectionsService extends MetastoreObjectService<ConnectionInfo, typeof CreateSchema, typeof UpdateSchema> {
  constructor(http: HttpClient) {
    super(http, 'connections', 'connections', 'connections', { create: CreateSchema, update: UpdateSchema }, secretValues);
  }
}
