/**
 * Configuration resolution in the order of Databricks unified auth: explicit options, then
 * environment variables, then a profile of the config file (`~/.databrickscfg`). Each attribute is
 * taken from the first source that sets it, so an env `DATABRICKS_HOST` plus a profile token works
 * as it does in the Python and Go SDKs.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import type { Logger } from '../common/logger.js';
import { ConfigurationError, type DatabricksError } from './errors.js';

export type AuthType = 'pat' | 'basic' | 'oauth-m2m';

/** One HTTP attempt, reported to `hooks.onResponse` (for metrics: count by operation/status/attempt). */
export interface ResponseEvent {
  /** `<service>.<method>`, e.g. `clusters.get`. */
  operation: string;
  method: string;
  /** Path without query string. */
  path: string;
  /** Absent when no response arrived (connection error, timeout, abort). */
  status?: number;
  /** 1 for the first attempt. */
  attempt: number;
  /** This attempt, from sending to the end of the response (0 when nothing was sent). */
  durationMs: number;
  error?: DatabricksError;
  /** True when the client will retry this attempt. */
  willRetry: boolean;
}

export interface ClientHooks {
  onResponse?(event: ResponseEvent): void;
}

/** Time source, injectable so tests can check delays without waiting for them. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface DatabricksClientConfig {
  /** Workspace URL; `adb-1.2.azuredatabricks.net`, `https://x.cloud.databricks.com/?o=1` and `http://127.0.0.1:8080` all work. */
  host?: string;
  token?: string;
  /** Inferred when absent: token → pat, clientId+clientSecret → oauth-m2m. */
  authType?: AuthType;
  clientId?: string;
  clientSecret?: string;
  /** Basic auth user; defaults to `token` (the documented PAT form `token:<PAT>`). */
  username?: string;
  /** Basic auth password; defaults to `token`. */
  password?: string;
  /** Config-file profile; default `DATABRICKS_CONFIG_PROFILE` or `DEFAULT`. */
  profile?: string;
  /** Config-file path; default `DATABRICKS_CONFIG_FILE` or `~/.databrickscfg`. */
  configFile?: string;
  /** Per attempt, default 60 000. */
  timeoutMs?: number;
  /** Total time spent on quick in-process retries of one call, default 60 000. */
  retryBudgetMs?: number;
  /** Client-side token bucket per host+principal (shared by clients in this process), default 30. 0 disables. */
  rateLimitPerSecond?: number;
  logger?: Logger;
  /** Appended to the User-Agent header. */
  userAgent?: string;
  hooks?: ClientHooks;
  /** undici dispatcher (e.g. a MockAgent in tests); default: a keep-alive Agent owned by the client. */
  dispatcher?: Dispatcher;
  /** Environment to read instead of `process.env` (tests). */
  env?: Record<string, string | undefined>;
  clock?: Clock;
}

export interface ResolvedConfig {
  host: string;
  authType: AuthType;
  token?: string;
  username?: string;
  password?: string;
  clientId?: string;
  clientSecret?: string;
  /** Where settings came from, for error messages (never values). */
  profile?: string;
  configFile?: string;
}

type Attrs = Partial<Record<'host' | 'token' | 'username' | 'password' | 'clientId' | 'clientSecret' | 'authType', string>>;

const ENV: Record<keyof Attrs, string> = {
  host: 'DATABRICKS_HOST',
  token: 'DATABRICKS_TOKEN',
  username: 'DATABRICKS_USERNAME',
  password: 'DATABRICKS_PASSWORD',
  clientId: 'DATABRICKS_CLIENT_ID',
  clientSecret: 'DATABRICKS_CLIENT_SECRET',
  authType: 'DATABRICKS_AUTH_TYPE',
};

const FILE_KEYS: Record<keyof Attrs, string> = {
  host: 'host',
  token: 'token',
  username: 'username',
  password: 'password',
  clientId: 'client_id',
  clientSecret: 'client_secret',
  authType: 'auth_type',
};

/** Parses the INI-style config file into sections; keys lower-cased, `;`/`#` comments skipped. */
export function parseConfigFile(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = {};
      sections.set(header[1]!.trim(), current);
      continue;
    }
    const eq = line.search(/[=:]/);
    if (eq > 0 && current) current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return sections;
}

/** `adb-1.2.azuredatabricks.net/?o=1` → `https://adb-1.2.azuredatabricks.net`; keeps http scheme and port. */
export function normalizeHost(host: string): string {
  const trimmed = host.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigurationError(`Databricks host is not a valid URL or hostname: '${host}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(`Databricks host must use http or https, got '${url.protocol}'`);
  }
  return `${url.protocol}//${url.host}`;
}

export type Cloud = 'aws' | 'azure' | 'gcp';

/** Which cloud a workspace host belongs to (AWS is the default, as in the SDKs). */
export function detectCloud(host: string): Cloud {
  const h = new URL(normalizeHost(host)).hostname;
  if (/\.(azuredatabricks\.net|databricks\.azure\.us|databricks\.azure\.cn)$/.test(h)) return 'azure';
  if (h.endsWith('.gcp.databricks.com')) return 'gcp';
  return 'aws';
}

function pick(options: DatabricksClientConfig): Attrs {
  const out: Attrs = {};
  for (const k of Object.keys(ENV) as (keyof Attrs)[]) {
    const v = options[k];
    if (typeof v === 'string' && v !== '') out[k] = v;
  }
  return out;
}

/** Resolves host and credentials; throws ConfigurationError naming the missing setting. */
export function resolveConfig(options: DatabricksClientConfig = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const attrs: Attrs = pick(options);
  for (const k of Object.keys(ENV) as (keyof Attrs)[]) {
    const v = env[ENV[k]];
    if (attrs[k] === undefined && v) attrs[k] = v;
  }

  const explicitProfile = options.profile ?? (env.DATABRICKS_CONFIG_PROFILE || undefined);
  const configFile = options.configFile ?? (env.DATABRICKS_CONFIG_FILE || undefined) ?? join(homedir(), '.databrickscfg');
  const profileName = explicitProfile ?? 'DEFAULT';
  // Like the SDKs: the file is only consulted when something is still missing or a profile was asked for.
  const needFile = explicitProfile !== undefined || attrs.host === undefined || !hasCredentials(attrs);
  let unreadable: string | undefined;
  if (needFile) {
    let text: string | undefined;
    try {
      text = readFileSync(configFile, 'utf8');
    } catch (err) {
      unreadable = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'which does not exist' : `which cannot be read: ${(err as NodeJS.ErrnoException).code ?? 'error'}`;
      // As in the Python/Go SDKs, a missing file is not an error by itself; whatever is still
      // unresolved below is reported with the profile and file it was looked for in.
    }
    if (text !== undefined) {
      const section = parseConfigFile(text).get(profileName);
      if (!section && explicitProfile !== undefined) {
        throw new ConfigurationError(`Databricks profile '${profileName}' not found in ${configFile}`);
      }
      if (section) {
        for (const k of Object.keys(FILE_KEYS) as (keyof Attrs)[]) {
          const v = section[FILE_KEYS[k]];
          if (attrs[k] === undefined && v) attrs[k] = v;
        }
      }
    }
  }

  const where = `(option, environment variable or profile [${profileName}] of ${configFile}${unreadable ? `, ${unreadable}` : ''})`;
  if (!attrs.host) {
    throw new ConfigurationError(`Databricks host is not configured: set the 'host' option or DATABRICKS_HOST ${where}`);
  }
  const authType = inferAuthType(attrs, where);
  const resolved: ResolvedConfig = { host: normalizeHost(attrs.host), authType, profile: profileName, configFile };
  if (authType === 'pat') resolved.token = attrs.token!;
  if (authType === 'basic') {
    resolved.username = attrs.username ?? 'token';
    resolved.password = attrs.password ?? attrs.token!;
  }
  if (authType === 'oauth-m2m') {
    resolved.clientId = attrs.clientId!;
    resolved.clientSecret = attrs.clientSecret!;
  }
  return resolved;
}

function hasCredentials(a: Attrs): boolean {
  return Boolean(a.token || (a.clientId && a.clientSecret) || (a.username && a.password));
}

function inferAuthType(a: Attrs, where: string): AuthType {
  const explicit = a.authType;
  if (explicit !== undefined && explicit !== 'pat' && explicit !== 'basic' && explicit !== 'oauth-m2m') {
    throw new ConfigurationError(`Unsupported Databricks authType '${explicit}': use 'pat', 'basic' or 'oauth-m2m'`);
  }
  const type: AuthType | undefined =
    explicit ?? (a.token ? 'pat' : a.clientId || a.clientSecret ? 'oauth-m2m' : a.username || a.password ? 'basic' : undefined);
  if (type === undefined) {
    throw new ConfigurationError(
      `No Databricks credentials: set 'token' (DATABRICKS_TOKEN), or 'clientId' and 'clientSecret' (DATABRICKS_CLIENT_ID, DATABRICKS_CLIENT_SECRET) ${where}`,
    );
  }
  if (type === 'pat' && !a.token) throw new ConfigurationError(`authType 'pat' needs 'token' (DATABRICKS_TOKEN) ${where}`);
  if (type === 'basic' && !(a.password || a.token)) {
    throw new ConfigurationError(`authType 'basic' needs 'token' (DATABRICKS_TOKEN) or 'password' ${where}`);
  }
  if (type === 'oauth-m2m') {
    if (!a.clientId) throw new ConfigurationError(`authType 'oauth-m2m' needs 'clientId' (DATABRICKS_CLIENT_ID) ${where}`);
    if (!a.clientSecret) throw new ConfigurationError(`authType 'oauth-m2m' needs 'clientSecret' (DATABRICKS_CLIENT_SECRET) ${where}`);
  }
  return type;
}
