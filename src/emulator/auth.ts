import { unauthenticated } from './http/errors.js';

/** Who a request acts as. Permissions (secret ACLs, admin-only calls, part 2's Permissions API) key on `userName`. */
export interface Principal {
  userName: string;
  /** Workspace admins bypass object ACLs and may call admin-only endpoints (cluster pin, …). */
  isAdmin: boolean;
  kind: 'user' | 'service_principal';
}

interface TokenEntry {
  principal: Principal;
  /** Epoch ms on the real clock (clients refresh tokens by real time); undefined = never expires. */
  expiresAt: number | undefined;
}

/**
 * The token → principal table. The emulator's configured PATs are added at start; other services
 * (Tokens API, OAuth M2M) call `addToken` to make the tokens they mint valid.
 */
export class Principals {
  private readonly tokens = new Map<string, TokenEntry>();
  /**
   * Whether a principal is an admin now, when that differs from its configured flag (SCIM adds
   * members to and removes them from the `admins` group); undefined = as configured.
   */
  private adminOverride: ((p: Principal) => boolean | undefined) | undefined;

  /** Whether a principal is active (SCIM `active`); undefined = always. */
  private activeCheck: ((p: Principal) => boolean) | undefined;

  setAdminOverride(fn: ((p: Principal) => boolean | undefined) | undefined): void {
    this.adminOverride = fn;
  }

  setActiveCheck(fn: ((p: Principal) => boolean) | undefined): void {
    this.activeCheck = fn;
  }

  addToken(token: string, principal: Principal, expiresAt?: number): void {
    this.tokens.set(token, { principal, expiresAt });
  }

  clear(): void {
    this.tokens.clear();
    this.adminOverride = undefined;
    this.activeCheck = undefined;
  }

  removeToken(token: string): boolean {
    return this.tokens.delete(token);
  }

  hasToken(token: string): boolean {
    return this.tokens.has(token);
  }

  /** Every principal known, once each (for listing users). */
  principals(): Principal[] {
    const seen = new Map<string, Principal>();
    for (const e of this.tokens.values()) seen.set(e.principal.userName, e.principal);
    return [...seen.values()];
  }

  /** Resolves an Authorization header or throws 401. Messages never contain the token. */
  authenticate(header: string | undefined, realNow = Date.now()): Principal {
    const token = extractToken(header);
    const entry = token === undefined ? undefined : this.tokens.get(token);
    if (!entry) {
      throw unauthenticated(token === undefined ? 'Credential was not sent or was of an unsupported type for this API.' : 'Invalid access token.');
    }
    if (entry.expiresAt !== undefined && entry.expiresAt <= realNow) throw unauthenticated('Invalid access token. The token has expired.');
    // A deactivated principal's tokens stay stored (reactivating restores them) but authenticate no one.
    // Unverified: the real status and text for a deactivated principal's token.
    if (this.activeCheck?.(entry.principal) === false) throw unauthenticated('Invalid access token. The principal it belongs to is deactivated.');
    const admin = this.adminOverride?.(entry.principal);
    return admin === undefined || admin === entry.principal.isAdmin ? entry.principal : { ...entry.principal, isAdmin: admin };
  }
}

/** `Bearer <token>` or `Basic base64("token:<token>")` (reference §1.3); anything else is no credential. */
export function extractToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value || undefined;
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || decoded.slice(0, colon) !== 'token') return undefined;
    return decoded.slice(colon + 1) || undefined;
  }
  return undefined;
}

/** The principal of the i-th configured token: the first is the workspace admin. */
export function defaultPrincipal(index: number): Principal {
  return index === 0
    ? { userName: 'admin@emulator.local', isAdmin: true, kind: 'user' }
    : { userName: `user${index}@emulator.local`, isAdmin: false, kind: 'user' };
}
