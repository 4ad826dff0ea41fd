import { timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../auth.js';

/**
 * OAuth M2M clients (service principals) the token endpoint accepts. Configured at start
 * (`startEmulator({ oauthClients })`) and kept per emulator across resets, like the PATs given on
 * the command line.
 */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** Principal name the tokens act as; default: the client id (service principals are named by application id). */
  userName?: string;
  /** Workspace admin? Default false. */
  admin?: boolean;
}

const registry = new Map<string, OAuthClient[]>();

export function configureOAuthClients(dataDir: string, clients: readonly OAuthClient[]): void {
  registry.set(dataDir, [...clients]);
}

export function forgetOAuthClients(dataDir: string): void {
  registry.delete(dataDir);
}

export function oauthClients(dataDir: string): OAuthClient[] {
  return registry.get(dataDir) ?? [];
}

/** Adds a client at run time (tests); survives resets like configured ones. */
export function addOAuthClient(dataDir: string, client: OAuthClient): void {
  registry.set(dataDir, [...oauthClients(dataDir).filter((c) => c.clientId !== client.clientId), client]);
}

/** Constant-time secret check, so response timing does not leak the secret. */
export function findClient(dataDir: string, clientId: string, secret: string): OAuthClient | undefined {
  const c = oauthClients(dataDir).find((x) => x.clientId === clientId);
  if (!c) return undefined;
  const a = Buffer.from(c.clientSecret);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b) ? c : undefined;
}

/** The service principal a client's credentials act as (OAuth access tokens and on-behalf-of PATs alike). */
export function clientPrincipal(c: OAuthClient): Principal {
  return { userName: c.userName ?? c.clientId, isAdmin: c.admin ?? false, kind: 'service_principal' };
}

/** The service principal with this application id (= OAuth client id), if the workspace has one. */
export function findServicePrincipal(dataDir: string, applicationId: string): OAuthClient | undefined {
  return oauthClients(dataDir).find((c) => c.clientId === applicationId);
}
