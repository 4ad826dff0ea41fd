/**
 * The one place a Databricks request is sent: auth header, client-side rate limit, per-attempt
 * timeout, quick retries with backoff and Retry-After, typed errors, one hook call per attempt.
 *
 * Retry rules (issue 6 §4), decided per attempt:
 * - 429: always retried — the server rejected the request before doing anything.
 * - 401 with OAuth: one retry with a freshly fetched token.
 * - 503, timeouts, and connection errors that may have reached the server: retried only when the
 *   operation is marked idempotent (safe to repeat).
 * - Connection errors before the request was written (refused, DNS, connect timeout): always retried.
 * The wait is Retry-After when the server sent one (exactly), else exponential backoff with jitter;
 * when the wait would overrun the retry budget the typed error surfaces instead (with retryAfterMs),
 * and the activity layer retries durably.
 */
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import type { Logger } from '../common/logger.js';
import type { Credentials } from './auth.js';
import type { ClientHooks, Clock, ResponseEvent } from './config.js';
import {
  ConnectionError,
  DatabricksError,
  RequestAbortedError,
  RequestTimeoutError,
  TemporarilyUnavailableError,
  TooManyRequestsError,
  UnauthenticatedError,
  errorClassFor,
  parseErrorBody,
} from './errors.js';
import type { TokenBucket } from './rate-limit.js';
import { backoffMs, classifyTransportError, parseRetryAfter } from './retry.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Per-call options every service method accepts as its last argument. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
}

/** Stands for a result chunk's pre-signed URL in errors and events: the URL is a credential. */
export const EXTERNAL_LINK = '<external link>';

export interface RequestSpec extends CallOptions {
  /** `<service>.<method>`, reported to hooks and logs. */
  operation: string;
  method: HttpMethod;
  /** Path under the host, e.g. `/api/2.1/clusters/get`. */
  path: string;
  query?: Record<string, unknown>;
  /** JSON body (POST/PUT/PATCH). Omitted entirely when undefined. */
  body?: unknown;
  /** True when sending it twice has the same effect as once (see the rules above). */
  idempotent: boolean;
  /** Secret values in this request (e.g. a secret's value), scrubbed from any error text like the credentials. */
  redact?: readonly string[];
  /**
   * Raw bytes sent as `application/octet-stream` instead of a JSON body (Files API uploads). A
   * stream can be sent only once, so a request with a stream body is never retried after sending.
   */
  rawBody?: Uint8Array | Readable;
  /** Extra request headers (e.g. `Range`, `Accept`). */
  headers?: Record<string, string>;
  /** `raw`: the 2xx answer is `RawResponse` (bytes and headers) instead of parsed JSON. */
  response?: 'json' | 'raw';
}

/** A 2xx answer taken as it is: status, lower-case headers, body bytes (empty for HEAD). */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface HttpClientOptions {
  host: string;
  credentials: Credentials;
  dispatcher: Dispatcher;
  /** Close the dispatcher on `close()` (true when the client created it). */
  ownsDispatcher: boolean;
  clock: Clock;
  timeoutMs: number;
  retryBudgetMs: number;
  bucket?: TokenBucket;
  logger?: Logger;
  userAgent: string;
  hooks?: ClientHooks;
  random?: () => number;
}

type Outcome = { sentAt?: number } & (
  | { ok: true; status: number; value: unknown }
  | { ok: false; error: DatabricksError; sent: boolean; authHeader?: string }
);

export class HttpClient {
  readonly host: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;

  constructor(private readonly o: HttpClientOptions) {
    this.host = o.host;
    this.ownsDispatcher = o.ownsDispatcher;
    this.dispatcher = o.dispatcher;
  }

  get clock(): Clock {
    return this.o.clock;
  }

  /**
   * GET of a pre-signed URL outside the workspace (statement EXTERNAL_LINKS): no Authorization
   * header (the link carries its own credentials in `headers`), same timeout and error mapping.
   * The URL itself is a credential, so it is never put in an error or log.
   */
  async fetchExternal<T>(operation: string, url: string, headers: Record<string, string>, opts: CallOptions = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? this.o.timeoutMs;
    // The signature lives in the query string: scrubbed from transport errors along with the whole URL.
    const search = URL.canParse(url) ? new URL(url).search : '';
    const spec: RequestSpec = { operation, method: 'GET', path: EXTERNAL_LINK, idempotent: true, redact: [url, ...(search.length > 1 ? [search.slice(1)] : [])], ...opts };
    const started = this.o.clock.now();
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      res = await request(url, { method: 'GET', headers, dispatcher: this.dispatcher, signal: opts.signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
      text = await res.body.text();
    } catch (e) {
      const error = this.transportError(spec, e, timeoutMs);
      this.report({ operation, method: 'GET', path: spec.path, attempt: 1, durationMs: this.o.clock.now() - started, error, willRetry: false });
      throw error;
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const Cls = errorClassFor(res.statusCode, undefined, '');
      const error = new Cls({ message: `External link answered HTTP ${res.statusCode}`, status: res.statusCode, errorCode: `HTTP_${res.statusCode}`, method: 'GET', path: spec.path, operation });
      this.report({ operation, method: 'GET', path: spec.path, status: res.statusCode, attempt: 1, durationMs: this.o.clock.now() - started, error, willRetry: false });
      throw error;
    }
    const parsed = parseJsonBody(spec, res.statusCode, text);
    this.report({ operation, method: 'GET', path: spec.path, status: res.statusCode, attempt: 1, durationMs: this.o.clock.now() - started, ...('error' in parsed ? { error: parsed.error } : {}), willRetry: false });
    if ('error' in parsed) throw parsed.error;
    return parsed.value as T;
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  async request<T>(spec: RequestSpec): Promise<T> {
    const { clock } = this.o;
    const started = clock.now();
    let authRetried = false;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(spec);
      // Per attempt, from sending to the end of the response (rate-limiter and token waits excluded).
      const durationMs = outcome.sentAt === undefined ? 0 : clock.now() - outcome.sentAt;
      if (outcome.ok) {
        this.report({ operation: spec.operation, method: spec.method, path: spec.path, status: outcome.status, attempt, durationMs, willRetry: false });
        return outcome.value as T;
      }
      const err = outcome.error;
      let wait: number | undefined;
      if (err instanceof UnauthenticatedError && outcome.authHeader && !authRetried && this.o.credentials.invalidate(outcome.authHeader)) {
        authRetried = true;
        wait = 0;
      } else if (this.shouldRetry(spec, outcome)) {
        wait = err.retryAfterMs ?? backoffMs(attempt, this.o.random);
        if (clock.now() - started + wait > this.o.retryBudgetMs) wait = undefined;
      }
      this.report({ operation: spec.operation, method: spec.method, path: spec.path, status: err.status, attempt, durationMs, error: err, willRetry: wait !== undefined });
      if (wait === undefined) throw err;
      this.o.logger?.warn(
        { operation: spec.operation, status: err.status, errorCode: err.errorCode, attempt, waitMs: wait },
        'databricks request failed, retrying',
      );
      try {
        await clock.sleep(wait, spec.signal);
      } catch {
        throw this.aborted(spec);
      }
    }
  }

  private shouldRetry(spec: RequestSpec, outcome: Extract<Outcome, { ok: false }>): boolean {
    const err = outcome.error;
    if (err instanceof RequestAbortedError) return false;
    // Nothing reached the API (e.g. an OAuth token fetch failed transiently): safe for every operation.
    if (!outcome.sent) return err.retryable;
    // A stream body was consumed by the first attempt: there is nothing left to send again.
    if (spec.rawBody !== undefined && !(spec.rawBody instanceof Uint8Array)) return false;
    if (err instanceof TooManyRequestsError) return true;
    if (err instanceof TemporarilyUnavailableError || err instanceof RequestTimeoutError) return spec.idempotent;
    if (err instanceof ConnectionError) return !err.mayHaveReachedServer || spec.idempotent;
    return false;
  }

  private async attempt(spec: RequestSpec): Promise<Outcome> {
    if (spec.signal?.aborted) return { ok: false, error: this.aborted(spec), sent: false };
    let authHeader: string;
    try {
      await this.o.bucket?.acquire(spec.signal);
      authHeader = await this.o.credentials.authorization();
    } catch (e) {
      if (spec.signal?.aborted) return { ok: false, error: this.aborted(spec), sent: false };
      if (e instanceof DatabricksError) return { ok: false, error: e, sent: false };
      throw e;
    }
    // The caller may have aborted while a shared token refresh was in flight.
    if (spec.signal?.aborted) return { ok: false, error: this.aborted(spec), sent: false };

    const headers: Record<string, string> = {
      authorization: authHeader,
      'user-agent': this.o.userAgent,
      accept: 'application/json',
    };
    let body: string | Uint8Array | Readable | undefined;
    if (spec.rawBody !== undefined) {
      body = spec.rawBody;
      headers['content-type'] = 'application/octet-stream';
    } else if (spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers['content-type'] = 'application/json';
    }
    for (const [k, v] of Object.entries(spec.headers ?? {})) headers[k.toLowerCase()] = v;
    const timeoutMs = spec.timeoutMs ?? this.o.timeoutMs;
    const sentAt = this.o.clock.now();
    let res: Dispatcher.ResponseData;
    /** JSON answers are read as text (undici's fast path); raw ones as bytes, decoded only to read an error. */
    let text = '';
    let bytes: Buffer | undefined;
    try {
      res = await request(this.host + spec.path + encodeQuery(spec.query), {
        method: spec.method,
        headers,
        body,
        dispatcher: this.dispatcher,
        signal: spec.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      if (spec.response === 'raw') bytes = Buffer.from(await res.body.arrayBuffer());
      else text = await res.body.text();
    } catch (e) {
      return { ok: false, error: this.transportError(spec, e, timeoutMs), sent: true, authHeader, sentAt };
    }
    if (bytes && (res.statusCode < 200 || res.statusCode >= 300)) text = bytes.toString('utf8');

    if (res.statusCode >= 200 && res.statusCode < 300 && bytes) {
      const raw: RawResponse = { status: res.statusCode, headers: flatHeaders(res.headers), body: bytes };
      return { ok: true, status: res.statusCode, value: raw, sentAt };
    }
    if (res.statusCode >= 200 && res.statusCode < 300) {
      const parsed = parseJsonBody(spec, res.statusCode, text);
      if ('error' in parsed) return { ok: false, sent: true, sentAt, error: parsed.error };
      return { ok: true, status: res.statusCode, value: parsed.value, sentAt };
    }
    return { ok: false, error: this.httpError(spec, res, text), sent: true, authHeader, sentAt };
  }

  private scrub(text: string, extra: readonly string[] = []): string {
    let out = text;
    for (const s of [...this.o.credentials.secrets(), ...extra]) if (s) out = out.split(s).join('[REDACTED]');
    return out;
  }

  private httpError(spec: RequestSpec, res: Dispatcher.ResponseData, text: string): DatabricksError {
    const parsed = parseErrorBody(text);
    const message = this.scrub(parsed.message ?? `HTTP ${res.statusCode}`, spec.redact);
    const Cls = errorClassFor(res.statusCode, parsed.errorCode, message);
    const h = res.headers;
    const requestId = h['x-request-id'] ?? h['x-databricks-request-id'];
    return new Cls({
      message,
      operation: spec.operation,
      safeToRepeat: spec.idempotent,
      status: res.statusCode,
      errorCode: parsed.errorCode ?? `HTTP_${res.statusCode}`,
      method: spec.method,
      path: spec.path,
      requestId: typeof requestId === 'string' ? requestId : undefined,
      retryAfterMs: parseRetryAfter(h, this.o.clock.now()),
      details: parsed.details,
    });
  }

  private transportError(spec: RequestSpec, e: unknown, timeoutMs: number): DatabricksError {
    if (spec.signal?.aborted) return this.aborted(spec);
    const { kind, code } = classifyTransportError(e);
    const where = { method: spec.method, path: spec.path, operation: spec.operation, safeToRepeat: spec.idempotent };
    if (kind === 'timeout') {
      return new RequestTimeoutError({ message: `No response within ${timeoutMs} ms`, errorCode: 'TIMEOUT', ...where });
    }
    const detail = e instanceof Error ? this.scrub(e.message, spec.redact) : '';
    return new ConnectionError({
      message: `Connection to ${spec.path === EXTERNAL_LINK ? 'an external link' : this.host} failed: ${code}${detail ? ` (${detail})` : ''}`,
      errorCode: code,
      mayHaveReachedServer: kind !== 'not-sent',
      ...where,
    });
  }

  private aborted(spec: RequestSpec): RequestAbortedError {
    return new RequestAbortedError({
      message: 'Request aborted by the caller',
      errorCode: 'ABORTED',
      method: spec.method,
      path: spec.path,
      operation: spec.operation,
      safeToRepeat: spec.idempotent,
    });
  }

  private report(event: ResponseEvent): void {
    this.o.logger?.debug({ ...event, error: event.error?.errorCode }, 'databricks request');
    try {
      this.o.hooks?.onResponse?.(event);
    } catch (e) {
      // A metrics hook must never break a call.
      this.o.logger?.warn({ err: e instanceof Error ? e.message : String(e) }, 'onResponse hook threw');
    }
  }
}

/**
 * Query string as the SDKs encode it (§1.2): nested objects flatten with dots, arrays repeat the
 * key, booleans are true/false, undefined/null are dropped.
 */
export function encodeQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  const add = (key: string, v: unknown): void => {
    if (v === undefined || v === null) return;
    if (Array.isArray(v)) for (const item of v) add(key, item);
    else if (typeof v === 'object') for (const [k, inner] of Object.entries(v)) add(`${key}.${k}`, inner);
    else params.append(key, String(v));
  };
  for (const [k, v] of Object.entries(query)) add(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

function flatHeaders(h: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** A 2xx body: JSON (empty is `{}`), or INVALID_RESPONSE (a proxy page, a truncated answer); the text is never quoted. */
function parseJsonBody(spec: RequestSpec, status: number, text: string): { value: unknown } | { error: DatabricksError } {
  if (text.length === 0) return { value: {} };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return {
      error: new DatabricksError({
        message: `Response is not JSON (${text.length} bytes)`,
        status,
        errorCode: 'INVALID_RESPONSE',
        method: spec.method,
        path: spec.path,
        operation: spec.operation,
        safeToRepeat: spec.idempotent,
      }),
    };
  }
}
