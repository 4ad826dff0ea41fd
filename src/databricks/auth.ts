/**
 * Credential providers: each turns a resolved config into an `Authorization` header value.
 * OAuth M2M caches its access token, refreshes it ahead of expiry (40 s, as the SDKs do, because
 * Azure refuses tokens with ≤30 s left) and shares one in-flight refresh between concurrent calls,
 * so a 10-hour workflow keeps working across many token lifetimes.
 */
import { createHash } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import type { AuthType, Clock, ResolvedConfig, ResponseEvent } from './config.js';
import type { DatabricksError } from './errors.js';
import { ConnectionError, RequestTimeoutError, UnauthenticatedError, errorClassFor, parseErrorBody } from './errors.js';
import { classifyTransportError } from './retry.js';

export interface Credentials {
  readonly authType: AuthType;
  /** Non-secret principal id, used to key the shared rate limiter. */
  readonly principal: string;
  /** The header value to send; may fetch or refresh a token (rejecting with a DatabricksError). */
  authorization(): Promise<string>;
  /** A request sent with `used` got 401. Returns true when fresh credentials may fix it (OAuth). */
  invalidate(used: string): boolean;
  /** Every secret value this provider knows, to scrub from errors and logs. */
  secrets(): string[];
}

const fingerprint = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 12);

export class PatCredentials implements Credentials {
  readonly authType = 'pat';
  readonly principal: string;
  // `#` fields: invisible to util.inspect and JSON.stringify, so a logged client shows no secret.
  readonly #token: string;
  readonly #header: string;
  constructor(token: string) {
    this.principal = `pat:${fingerprint(token)}`;
    this.#token = token;
    this.#header = `Bearer ${token}`;
  }
  authorization(): Promise<string> {
    return Promise.resolve(this.#header);
  }
  invalidate(): boolean {
    return false;
  }
  secrets(): string[] {
    return [this.#token];
  }
}

export class BasicCredentials implements Credentials {
  readonly authType = 'basic';
  readonly principal: string;
  readonly #password: string;
  readonly #encoded: string;
  readonly #header: string;
  constructor(username: string, password: string) {
    this.principal = `basic:${username}:${fingerprint(password)}`;
    this.#password = password;
    this.#encoded = Buffer.from(`${username}:${password}`).toString('base64');
    this.#header = `Basic ${this.#encoded}`;
  }
  authorization(): Promise<string> {
    return Promise.resolve(this.#header);
  }
  invalidate(): boolean {
    return false;
  }
  secrets(): string[] {
    return [this.#password, this.#encoded];
  }
}

export interface OAuthOptions {
  host: string;
  clientId: string;
  clientSecret: string;
  dispatcher: Dispatcher;
  clock: Clock;
  timeoutMs: number;
  userAgent: string;
  onResponse?: (event: ResponseEvent) => void;
}

interface CachedToken {
  header: string;
  accessToken: string;
  refreshAt: number;
}

const REFRESH_EARLY_MS = 40_000;
const MAX_REMEMBERED_TOKENS = 32;

export class OAuthM2MCredentials implements Credentials {
  readonly authType = 'oauth-m2m';
  readonly principal: string;
  private tokenEndpoint: string | undefined;
  // `#` fields: invisible to util.inspect and JSON.stringify.
  #cached: CachedToken | undefined;
  #inflight: Promise<CachedToken> | undefined;
  /** Every access token ever issued to us, so a stale one echoed by a server is still scrubbed. */
  readonly #issued = new Set<string>();
  readonly #basic: string;
  readonly #o: OAuthOptions;

  constructor(o: OAuthOptions) {
    this.principal = `oauth:${o.clientId}`;
    this.#o = o;
    this.#basic = Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64');
  }

  async authorization(): Promise<string> {
    const c = this.#cached;
    if (c && this.#o.clock.now() < c.refreshAt) return c.header;
    // Concurrent callers share one refresh; a failed refresh is not cached, the next call retries.
    // It is not tied to any caller's AbortSignal (one caller aborting must not fail the others);
    // the token call has its own timeout, and the HTTP layer checks each caller's signal.
    this.#inflight ??= this.fetchToken().finally(() => {
      this.#inflight = undefined;
    });
    return (await this.#inflight).header;
  }

  invalidate(used: string): boolean {
    if (this.#cached?.header === used) this.#cached = undefined;
    return true;
  }

  secrets(): string[] {
    return [this.#o.clientSecret, this.#basic, ...this.#issued];
  }

  private async discover(): Promise<string> {
    if (this.tokenEndpoint) return this.tokenEndpoint;
    const path = '/oidc/.well-known/oauth-authorization-server';
    let endpoint = `${this.#o.host}/oidc/v1/token`;
    const res = await this.send('oauth.discovery', 'GET', `${this.#o.host}${path}`, path, undefined);
    if (res.status === 200) {
      try {
        const body = JSON.parse(res.text) as { token_endpoint?: unknown; authorization_endpoint?: unknown };
        if (typeof body.token_endpoint === 'string' && typeof body.authorization_endpoint === 'string') {
          endpoint = body.token_endpoint;
        }
      } catch {
        // Not JSON: use the documented workspace endpoint.
      }
    }
    this.tokenEndpoint = endpoint;
    return endpoint;
  }

  private async fetchToken(): Promise<CachedToken> {
    const url = await this.discover();
    const path = new URL(url).pathname;
    const res = await this.send('oauth.token', 'POST', url, path, 'grant_type=client_credentials&scope=all-apis');
    const scrub = (t: string): string => t.split(this.#o.clientSecret).join('[REDACTED]').split(this.#basic).join('[REDACTED]');
    if (res.status !== 200) {
      const parsed = parseErrorBody(res.text);
      const message = scrub(parsed.message ?? `OAuth token request failed with HTTP ${res.status}`);
      const Cls = res.status === 400 || res.status === 401 ? UnauthenticatedError : errorClassFor(res.status, parsed.errorCode, message);
      throw new Cls({ message: `OAuth M2M token request failed: ${message}`, status: res.status, errorCode: parsed.errorCode, method: 'POST', path });
    }
    let body: { access_token?: unknown; expires_in?: unknown; token_type?: unknown };
    try {
      body = JSON.parse(res.text) as typeof body;
    } catch {
      body = {};
    }
    if (typeof body.access_token !== 'string' || !body.access_token) {
      throw new UnauthenticatedError({ message: 'OAuth M2M token response has no access_token', status: 200, method: 'POST', path });
    }
    const expiresIn = Number(body.expires_in ?? 3600);
    const lifetimeMs = (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000;
    const now = this.#o.clock.now();
    // Refresh 40 s early; for unusually short-lived tokens, at half-life so we don't refresh on every call.
    const refreshAt = now + Math.max(0, lifetimeMs - Math.min(REFRESH_EARLY_MS, lifetimeMs / 2));
    const tokenType = typeof body.token_type === 'string' && body.token_type ? body.token_type : 'Bearer';
    this.#issued.add(body.access_token);
    // Keep the most recent few (a server echoing a days-old token is implausible); bounded memory.
    if (this.#issued.size > MAX_REMEMBERED_TOKENS) this.#issued.delete(this.#issued.values().next().value!);
    this.#cached = { accessToken: body.access_token, header: `${tokenType === 'bearer' ? 'Bearer' : tokenType} ${body.access_token}`, refreshAt };
    return this.#cached;
  }

  /** One attempt; the API call's retry loop retries a retryable auth failure (the API request was not sent). */
  private async send(
    operation: string,
    method: 'GET' | 'POST',
    url: string,
    path: string,
    body: string | undefined,
  ): Promise<{ status: number; text: string }> {
    const started = this.#o.clock.now();
    const headers: Record<string, string> = { 'user-agent': this.#o.userAgent, accept: 'application/json' };
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.authorization = `Basic ${this.#basic}`;
    }
    const timeout = AbortSignal.timeout(this.#o.timeoutMs);
    try {
      const res = await request(url, {
        method,
        headers,
        body,
        dispatcher: this.#o.dispatcher,
        signal: timeout,
      });
      const text = await res.body.text();
      this.#o.onResponse?.({ operation, method, path, status: res.statusCode, attempt: 1, durationMs: this.#o.clock.now() - started, willRetry: false });
      return { status: res.statusCode, text };
    } catch (err) {
      const timedOut = timeout.aborted;
      const { code } = classifyTransportError(err);
      const error: DatabricksError = timedOut
        ? new RequestTimeoutError({ message: `OAuth ${operation} timed out after ${this.#o.timeoutMs} ms`, errorCode: 'TIMEOUT', method, path })
        : new ConnectionError({ message: `OAuth ${operation} failed: ${code}`, errorCode: code, method, path, mayHaveReachedServer: false });
      this.#o.onResponse?.({ operation, method, path, attempt: 1, durationMs: this.#o.clock.now() - started, error, willRetry: false });
      throw error;
    }
  }
}

export interface CredentialDeps {
  dispatcher: Dispatcher;
  clock: Clock;
  timeoutMs: number;
  userAgent: string;
  onResponse?: (event: ResponseEvent) => void;
}

export function createCredentials(config: ResolvedConfig, deps: CredentialDeps): Credentials {
  switch (config.authType) {
    case 'pat':
      return new PatCredentials(config.token!);
    case 'basic':
      return new BasicCredentials(config.username!, config.password!);
    case 'oauth-m2m':
      return new OAuthM2MCredentials({ host: config.host, clientId: config.clientId!, clientSecret: config.clientSecret!, ...deps });
  }
}
