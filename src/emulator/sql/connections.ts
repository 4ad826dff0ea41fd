import { answeredOptions } from '../../common/uc-connection-options.js';
import type { ObjectMeta } from './metadata.js';
import { MetastoreObjects } from './metastore-objects.js';
import { UcError } from './uc-error.js';

/**
 * Unity Catalog connections (`/unity-catalog/connections`, Lakehouse Federation): a typed external
 * data source with its options. The emulator never connects anywhere, so write-only options (the
 * password and other secrets, and `user`: src/common/uc-connection-options.ts) are dropped on arrival,
 * after the checks that need them: they cannot reach the metadata file, a log or an answer.
 */

/** `connection_type` values the API takes (Python SDK 0.162.0 `ConnectionType`, less UNKNOWN_CONNECTION_TYPE). */
export const CONNECTION_TYPES = [
  'AWS_SECRETS_MANAGER', 'AZURE_KEY_VAULT', 'BIGQUERY', 'CONFLUENCE', 'DATABRICKS', 'DYNAMICS365', 'GA4_RAW_DATA', 'GITHUB',
  'GLUE', 'HIVE_METASTORE', 'HTTP', 'HUBSPOT', 'JDBC', 'META_MARKETING', 'MYSQL', 'NETSUITE', 'ORACLE', 'OUTLOOK', 'POSTGRESQL',
  'POWER_BI', 'REDSHIFT', 'SALESFORCE', 'SALESFORCE_DATA_CLOUD', 'SERVICENOW', 'SMARTSHEET', 'SNOWFLAKE', 'SQLDW', 'SQLSERVER',
  'TERADATA', 'TIKTOK_ADS', 'WORKDAY_RAAS', 'ZENDESK',
] as const;

/**
 * Options a type cannot do without: `always`, plus one whole credential set when `credentials` is
 * given. The basic-auth sets are the OPTIONS of the docs' CREATE CONNECTION examples on each type's
 * "Run federated queries on …" page; the alternative sets (OAuth, key pair) are unverified. Types not
 * listed are taken with any options.
 */
const BASIC = { always: ['host', 'port'], credentials: [['user', 'password']] };
const REQUIRED: Partial<Record<string, { always: string[]; credentials?: string[][] }>> = {
  MYSQL: BASIC,
  POSTGRESQL: BASIC,
  REDSHIFT: BASIC,
  SQLDW: BASIC,
  SQLSERVER: { always: ['host', 'port'], credentials: [['user', 'password'], ['client_id', 'client_secret']] },
  SNOWFLAKE: { always: ['host', 'port', 'sfWarehouse'], credentials: [['user', 'password'], ['user', 'pem_private_key'], ['client_id', 'client_secret'], ['access_token']] },
};

/** credential_type from the options that carry the credential, first match wins (unverified but for USERNAME_PASSWORD, DESCRIBE CONNECTION's example). */
const CREDENTIAL_TYPES: [string[], string][] = [
  [['pem_private_key'], 'PEM_PRIVATE_KEY'],
  [['user', 'password'], 'USERNAME_PASSWORD'],
  [['client_id', 'client_secret'], 'OAUTH_M2M'],
  [['access_token'], 'OAUTH_ACCESS_TOKEN'],
  [['refresh_token'], 'OAUTH_REFRESH_TOKEN'],
  [['bearer_token'], 'BEARER_TOKEN'],
];

export interface ConnectionFields {
  comment?: string | undefined;
  properties?: Record<string, string> | undefined;
  read_only?: boolean | undefined;
}

export class Connections extends MetastoreObjects {
  /** Needs CREATE CONNECTION on the metastore; the creator owns it. Every check runs before the write. */
  create(name: string, user: string, input: ConnectionFields & { connection_type: string; options: Record<string, string> }): string {
    this.requirePrivilege(user, 'CREATE_CONNECTION');
    const type = connectionType(input.connection_type);
    const spec = optionsSpec(type, input.options);
    const n = this.newName(name);
    this.insert(n, user, input.comment, { ...spec, connection_type: type, read_only: input.read_only ?? false, properties: input.properties ?? {} });
    return n;
  }

  /** PATCH: `options` replace the old ones whole, as ALTER CONNECTION's docs say its OPTIONS do. Other answer fields are ignored. */
  update(name: string, user: string, input: { options: Record<string, string>; new_name?: string | undefined; owner?: string | undefined }): string {
    const m = this.requireManage(name, user);
    const spec = optionsSpec(String(m.spec?.connection_type), input.options);
    return this.patch(name, user, { new_name: input.new_name, owner: input.owner, spec: { credential_type: undefined, url: undefined, ...spec } });
  }

  /** Foreign catalogs are not emulated, so nothing can depend on a connection; `force` has no use. */
  delete(name: string, user: string): void {
    this.requireManage(name, user);
    this.remove(name);
  }

  /** The answer for one connection; with `user`, only if that user may see it (a GET), without it for the one who just wrote it. */
  info(name: string, user?: string): Record<string, unknown> {
    const n = name.toLowerCase();
    const m = user === undefined ? this.find(n) : this.findFor(n, user);
    return connectionInfo(n, m, this.common(n, m));
  }

  visibleNames(user: string): string[] {
    return this.names().filter((n) => this.visibleTo(n, user));
  }
}

function connectionInfo(name: string, m: ObjectMeta, common: Record<string, unknown>): Record<string, unknown> {
  const spec = m.spec ?? {};
  // ConnectionInfo names its id connection_id and has no isolation_mode.
  const { id, isolation_mode: _, ...rest } = common;
  return {
    ...rest,
    name,
    connection_id: id,
    connection_type: spec.connection_type,
    ...(spec.credential_type !== undefined ? { credential_type: spec.credential_type } : {}),
    options: spec.options ?? {},
    ...(spec.url !== undefined ? { url: spec.url } : {}),
    properties: spec.properties ?? {},
    read_only: spec.read_only ?? false,
    securable_type: 'CONNECTION',
    // Older SDKs' ConnectionInfoSecurableKind (CONNECTION_MYSQL, …); the current docs no longer list the field.
    securable_kind: `CONNECTION_${String(spec.connection_type)}`,
    provisioning_info: { state: 'ACTIVE' },
  };
}

function connectionType(type: string): string {
  if ((CONNECTION_TYPES as readonly string[]).includes(type)) return type;
  // Unverified text.
  throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Invalid connection_type '${type}': must be one of ${CONNECTION_TYPES.join(', ')}.`);
}

/**
 * What is kept of a request's options: the answered ones, the credential type and the URL. A missing
 * option is named (never a value) with 400 INVALID_PARAMETER_VALUE; the text is unverified.
 */
function optionsSpec(type: string, options: Record<string, string>): Record<string, unknown> {
  const given = (keys: string[]) => keys.filter((k) => options[k] !== undefined && options[k] !== '');
  const rule = REQUIRED[type];
  if (rule) {
    const sets = rule.credentials ?? [[]];
    // The credential set closest to complete names what is missing.
    const best = sets.map((set) => [...rule.always, ...set]).sort((a, b) => a.length - given(a).length - (b.length - given(b).length))[0]!;
    const missing = best.filter((k) => !given([k]).length);
    if (missing.length > 0) throw new UcError(400, 'INVALID_PARAMETER_VALUE', `Connection type ${type} requires option${missing.length > 1 ? 's' : ''} ${missing.map((k) => `'${k}'`).join(', ')}.`);
  }
  const credentialType = CREDENTIAL_TYPES.find(([keys]) => given(keys).length === keys.length)?.[1];
  const host = options.host;
  return {
    options: answeredOptions(options),
    ...(credentialType !== undefined ? { credential_type: credentialType } : {}),
    // "URL of the remote data source, extracted from options": host[:port] (unverified form).
    ...(host ? { url: options.port ? `${host}:${options.port}` : host } : {}),
  };
}
