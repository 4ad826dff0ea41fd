import type { Principal } from '../../auth.js';
import { alreadyExists, badRequest, invalidParameter, notFound, permissionDenied } from '../../http/errors.js';

export type SecretPermission = 'READ' | 'WRITE' | 'MANAGE';
const RANK: Record<SecretPermission, number> = { READ: 1, WRITE: 2, MANAGE: 3 };

export const MAX_SCOPES = 1000;
export const MAX_SECRETS_PER_SCOPE = 1000;
export const MAX_VALUE_BYTES = 128 * 1024;

export interface Scope {
  name: string;
  backend_type: 'DATABRICKS' | 'AZURE_KEYVAULT';
  keyvault_metadata?: { resource_id: string; dns_name: string };
  acls: Record<string, SecretPermission>;
  /** key → base64 bytes + last update (virtual ms). */
  secrets: Record<string, { value: string; last_updated_timestamp: number }>;
}

const SCOPE_NAME = /^[A-Za-z0-9\-_.@]{1,128}$/;
const KEY_NAME = /^[A-Za-z0-9\-_.]{1,128}$/;

export function checkScopeName(name: string): void {
  if (!SCOPE_NAME.test(name)) {
    throw invalidParameter(`Scope name must consist of alphanumeric characters, dashes, underscores, @, and periods, and may not exceed 128 characters: ${JSON.stringify(name.slice(0, 140))}`);
  }
}

export function checkKeyName(key: string): void {
  if (!KEY_NAME.test(key)) {
    throw invalidParameter(`Secret key must consist of alphanumeric characters, dashes, underscores, and periods, and may not exceed 128 characters: ${JSON.stringify(key.slice(0, 140))}`);
  }
}

/**
 * Secret scopes with ACLs (MANAGE ⊃ WRITE ⊃ READ). Scope names are case-insensitive. The
 * scope's creator gets MANAGE; workspace admins have MANAGE on every scope; the `users` principal
 * stands for every user.
 */
export class SecretsModel {
  /** Keyed by lower-cased scope name. */
  readonly scopes = new Map<string, Scope>();

  find(name: string): Scope {
    const s = this.scopes.get(name.toLowerCase());
    if (!s) throw notFound(`Scope ${name} does not exist!`);
    return s;
  }

  permissionOf(scope: Scope, p: Principal): SecretPermission | undefined {
    if (p.isAdmin) return 'MANAGE';
    const own = scope.acls[p.userName];
    const all = scope.acls.users;
    if (own && all) return RANK[own] >= RANK[all] ? own : all;
    return own ?? all;
  }

  require(scope: Scope, p: Principal, needed: SecretPermission): void {
    const has = this.permissionOf(scope, p);
    if (!has || RANK[has] < RANK[needed]) {
      throw permissionDenied(`User ${p.userName} does not have ${needed} permission on scope ${scope.name}`);
    }
  }

  createScope(name: string, creator: Principal, options: { initialManagePrincipal?: string; backend: Scope['backend_type']; keyvault?: { resource_id: string; dns_name: string } }): void {
    checkScopeName(name);
    if (options.initialManagePrincipal !== undefined && options.initialManagePrincipal !== 'users') {
      throw invalidParameter(`Invalid value for field initial_manage_principal: only "users" is supported, got ${JSON.stringify(options.initialManagePrincipal)}.`);
    }
    if (options.backend === 'AZURE_KEYVAULT' && !options.keyvault) throw invalidParameter('Missing required field: backend_azure_keyvault');
    if (this.scopes.has(name.toLowerCase())) throw alreadyExists(`Scope ${name} already exists!`);
    if (this.scopes.size >= MAX_SCOPES) throw badRequest('RESOURCE_LIMIT_EXCEEDED', `Cannot create more than ${MAX_SCOPES} scopes.`);
    const acls = Object.create(null) as Record<string, SecretPermission>;
    acls[creator.userName] = 'MANAGE';
    if (options.initialManagePrincipal === 'users') acls.users = 'MANAGE';
    this.scopes.set(name.toLowerCase(), {
      name,
      backend_type: options.backend,
      ...(options.keyvault ? { keyvault_metadata: options.keyvault } : {}),
      acls,
      secrets: Object.create(null) as Scope['secrets'],
    });
  }

  put(scope: Scope, key: string, value: Buffer, now: number): void {
    checkKeyName(key);
    if (scope.backend_type === 'AZURE_KEYVAULT') throw badRequest('BAD_REQUEST', `Scope ${scope.name} is backed by Azure Key Vault and is read-only through this API.`);
    if (value.length > MAX_VALUE_BYTES) throw invalidParameter(`Secret value exceeds the maximum size of ${MAX_VALUE_BYTES} bytes.`);
    if (!Object.hasOwn(scope.secrets, key) && Object.keys(scope.secrets).length >= MAX_SECRETS_PER_SCOPE) {
      throw badRequest('RESOURCE_LIMIT_EXCEEDED', `Cannot create more than ${MAX_SECRETS_PER_SCOPE} secrets in scope ${scope.name}.`);
    }
    scope.secrets[key] = { value: value.toString('base64'), last_updated_timestamp: now };
  }

  secret(scope: Scope, key: string): { value: string; last_updated_timestamp: number } {
    if (!Object.hasOwn(scope.secrets, key)) throw notFound(`Secret does not exist with scope: ${scope.name} and key: ${key}`);
    return scope.secrets[key] as { value: string; last_updated_timestamp: number };
  }
}
