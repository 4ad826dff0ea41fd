import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../../auth.js';
import { RawReply, route, type ApiRequest } from '../../http/router.js';
import { addExpiringToken } from '../tokens/expiry.js';
import type { ServiceModule } from '../types.js';
import { addOAuthClient, clientPrincipal, findClient, type OAuthClient } from './clients.js';

/**
 * OAuth M2M (reference §1.3): discovery at /oidc/.well-known/oauth-authorization-server and the
 * client-credentials token endpoint /oidc/v1/token (Basic client auth or client_id/secret in the
 * form, scope all-apis). Access tokens are Bearer tokens valid for one hour (configurable for
 * tests). These paths need no workspace credential (server.ts lets /oidc/ through).
 *
 * Host metadata: GET /.well-known/databricks-config, which the Python and Go SDKs fetch without
 * credentials while building their config (workspace_id, then the X-Databricks-Workspace-Id header;
 * oidc_endpoint, then OAuth discovery). Shape from the SDKs' own fixtures: {oidc_endpoint,
 * workspace_id, host_type}; no account_id or cloud, since the emulator has neither.
 */
export const ACCESS_TOKEN_LIFETIME_S = 3600;

/** Served without credentials, like the /oidc/ paths. */
export const HOST_METADATA_PATH = '/.well-known/databricks-config';

export interface OAuthApi {
  addClient(client: OAuthClient): void;
  /** Lifetime of new access tokens in (virtual) seconds; tests shorten it to watch expiry and refresh. */
  setTokenLifetime(seconds: number): void;
}

function oauthError(status: number, error: string, description: string): RawReply {
  return new RawReply(status, JSON.stringify({ error, error_description: description }));
}

/** client_id/secret from `Authorization: Basic` (what the SDKs send) or from the form body. */
function clientCredentials(req: ApiRequest, form: URLSearchParams): { id: string; secret: string } | undefined {
  const header = req.headers.authorization;
  const h = Array.isArray(header) ? header[0] : header;
  if (h && /^basic /i.test(h)) {
    const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    // RFC 6749 form-encodes both parts; a stray '%' is taken literally rather than failing the request.
    const unescape = (x: string) => {
      try {
        return decodeURIComponent(x.replaceAll('+', ' '));
      } catch {
        return x;
      }
    };
    return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id && secret ? { id, secret } : undefined;
}

export const oauthService: ServiceModule = {
  name: 'oauth',
  create(ctx) {
    let lifetimeS = ACCESS_TOKEN_LIFETIME_S;
    // Scheduled events are persisted and shown by GET /_emulator/state, so they carry an id, never the token.
    const live = new Map<string, { token: string; principal: Principal; expiresAt: number }>();
    const api: OAuthApi = {
      addClient: (c) => addOAuthClient(ctx.dataDir, c),
      setTokenLifetime: (s) => {
        lifetimeS = s;
      },
    };
    return {
      api,
      routes: [
        route({
          method: 'GET',
          paths: [HOST_METADATA_PATH],
          input: z.object({}),
          handle: (_i, req) => ({ oidc_endpoint: `${req.baseUrl}/oidc`, workspace_id: String(ctx.workspaceId), host_type: 'workspace' }),
        }),
        route({
          method: 'GET',
          paths: ['/oidc/.well-known/oauth-authorization-server'],
          input: z.object({}),
          handle: (_i, req) => ({
            issuer: `${req.baseUrl}/oidc`,
            authorization_endpoint: `${req.baseUrl}/oidc/v1/authorize`,
            token_endpoint: `${req.baseUrl}/oidc/v1/token`,
            jwks_uri: `${req.baseUrl}/oidc/jwks.json`,
            grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
            response_types_supported: ['code'],
            scopes_supported: ['all-apis', 'offline_access', 'openid', 'profile', 'email'],
            token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
            code_challenge_methods_supported: ['S256'],
          }),
        }),
        route({
          method: 'POST',
          paths: ['/oidc/v1/token'],
          input: z.object({}),
          readOnly: false,
          handle(_i, req) {
            const form = new URLSearchParams(req.rawBody.toString('utf8'));
            const grant = form.get('grant_type');
            if (grant !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${grant ?? '(missing)'}.`);
            const creds = clientCredentials(req, form);
            // The message names neither the secret nor whether the client id exists.
            const client = creds ? findClient(ctx.dataDir, creds.id, creds.secret) : undefined;
            if (!client) return oauthError(401, 'invalid_client', 'Client authentication failed.');
            const scope = form.get('scope') ?? 'all-apis';
            const scopes = scope.split(/\s+/).filter(Boolean);
            if (scopes.length === 0 || scopes.some((s) => !['all-apis', 'offline_access', 'openid', 'profile', 'email'].includes(s))) {
              return oauthError(400, 'invalid_scope', `Invalid scope: ${scope}.`);
            }
            const token = `eyJemu.${randomBytes(24).toString('base64url')}`;
            const principal = clientPrincipal(client);
            const id = ctx.ids.hex(16);
            const expiresAt = ctx.clock.now() + lifetimeS * 1000;
            live.set(id, { token, principal, expiresAt });
            addExpiringToken(ctx, token, principal, expiresAt, 'expire', { id });
            // Clients schedule refreshes on their own (real) clock, so expires_in is the real time left.
            const speed = ctx.clock.speed;
            const realSeconds = Number.isFinite(speed) && speed > 0 ? lifetimeS / speed : lifetimeS;
            return { access_token: token, token_type: 'Bearer', scope, expires_in: Math.max(1, Math.floor(realSeconds)) };
          },
        }),
      ],
      onEvent(e) {
        const entry = typeof e.data.id === 'string' ? live.get(e.data.id) : undefined;
        if (e.kind === 'expire' && entry !== undefined) {
          ctx.principals.removeToken(entry.token);
          live.delete(e.data.id as string);
        }
      },
      // With --data-dir, issued tokens survive a restart (clients refresh by time, not on 401);
      // without it, token values stay out of snapshots (GET /_emulator/state).
      snapshot: () => (ctx.persistent ? { tokens: [...live].map(([id, t]) => ({ id, ...t })) } : {}),
      restore(state) {
        const list = (state as { tokens?: unknown }).tokens;
        if (!Array.isArray(list)) return;
        for (const t of list as { id: string; token: string; principal: Principal; expiresAt: number }[]) {
          if (typeof t?.id !== 'string' || typeof t.token !== 'string' || typeof t.principal?.userName !== 'string' || !(t.expiresAt > ctx.clock.now())) continue;
          live.set(t.id, { token: t.token, principal: t.principal, expiresAt: t.expiresAt });
          // A second expiry event next to the restored one is harmless (the first removal wins).
          addExpiringToken(ctx, t.token, t.principal, t.expiresAt, 'expire', { id: t.id });
        }
      },
    };
  },
};
