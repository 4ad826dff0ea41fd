/**
 * Unity Catalog connection options that answers never carry, shared by the emulator (which drops
 * them on arrival), the client (which scrubs their values from error text), the logger (which
 * censors them) and the create activity (which takes the secret ones only by reference). No imports:
 * bundled into the workflow sandbox.
 *
 * The first list is the Databricks Terraform provider's `sensitiveOptions` (catalog/resource_connection.go:
 * "We need to preserve original sensitive options as API doesn't return them"), `user` included;
 * `refresh_token` and `bearer_token` are added by the same reasoning and are unverified.
 */

/** Options whose values are secrets: never logged, never in workflow history, never answered. */
export const SECRET_CONNECTION_OPTIONS: readonly string[] = [
  'password',
  'personalAccessToken',
  'access_token',
  'refresh_token',
  'bearer_token',
  'client_secret',
  'pem_private_key',
  'OAuthPvtKey',
  'GoogleServiceAccountKeyJson',
];

/** Options a ConnectionInfo leaves out: the secrets, and `user` (not a secret, but not answered either). */
export const WRITE_ONLY_CONNECTION_OPTIONS: readonly string[] = ['user', ...SECRET_CONNECTION_OPTIONS];

export const isSecretConnectionOption = (key: string): boolean => SECRET_CONNECTION_OPTIONS.includes(key);
export const isWriteOnlyConnectionOption = (key: string): boolean => WRITE_ONLY_CONNECTION_OPTIONS.includes(key);

/** The options an answer shows: everything but the write-only ones. */
export function answeredOptions(options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([k]) => !isWriteOnlyConnectionOption(k)));
}

interface Described {
  connection_type?: string;
  options?: Readonly<Record<string, unknown>>;
  read_only?: boolean;
  comment?: string;
}

/**
 * Whether a connection that already has the requested name is the one a create describes: how a
 * retried create adopts it. Write-only options never come back, so only the answered ones compare.
 */
export function sameConnection(found: Described, wanted: Described): boolean {
  const a = answeredOptions(found.options ?? {});
  const b = answeredOptions(wanted.options ?? {});
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return (
    found.connection_type === wanted.connection_type &&
    [...keys].every((k) => a[k] === b[k]) &&
    (found.read_only ?? false) === (wanted.read_only ?? false) &&
    (found.comment ?? '') === (wanted.comment ?? '')
  );
}
