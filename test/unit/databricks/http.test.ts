import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors as undiciErrors } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BadRequestError,
  ConnectionError,
  DatabricksClient,
  NotFoundError,
  RequestAbortedError,
  RequestTimeoutError,
  TemporarilyUnavailableError,
  TooManyRequestsError,
} from '../../../src/databricks/index.js';
import { encodeQuery } from '../../../src/databricks/http.js';
import { backoffMs, parseRetryAfter } from '../../../src/databricks/retry.js';
import { errBody, harness, type Harness } from './helpers.js';

const GET_PATH = '/api/2.1/clusters/get?cluster_id=c1';
const refused = () => Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
const reset = () => new undiciErrors.SocketError('other side closed');

let h: Harness = undefined as unknown as Harness;
afterEach(async () => {
  await h?.agent.close();
  h = undefined as unknown as Harness;
});

describe('quick retries', () => {
  it('honours Retry-After in seconds exactly, then succeeds', async () => {
    h = harness();
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(429, errBody('REQUEST_LIMIT_EXCEEDED', 'slow down'), { headers: { 'retry-after': '7' } });
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(200, { cluster_id: 'c1', state: 'RUNNING' });
    await expect(h.client.clusters.get({ cluster_id: 'c1' })).resolves.toMatchObject({ state: 'RUNNING' });
    expect(h.clock.sleeps).toEqual([7000]);
    expect(h.events.map((e) => [e.status, e.attempt, e.willRetry])).toEqual([
      [429, 1, true],
      [200, 2, false],
    ]);
    expect(h.events[0]!.error).toBeInstanceOf(TooManyRequestsError);
    expect(h.events[0]!.operation).toBe('clusters.get');
  });

  it('honours Retry-After as an HTTP date exactly', async () => {
    h = harness();
    const at = new Date(h.clock.now() + 12_000).toUTCString();
    // HTTP dates have 1 s resolution; the clock starts on a whole second so the delay is exact.
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(503, errBody('TEMPORARILY_UNAVAILABLE', 'busy'), { headers: { 'retry-after': at } });
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(200, { cluster_id: 'c1' });
    await h.client.clusters.get({ cluster_id: 'c1' });
    expect(h.clock.sleeps).toEqual([12_000]);
  });

  it('backs off exponentially with jitter when there is no Retry-After', async () => {
    h = harness();
    for (let i = 0; i < 3; i++) h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(503, errBody('TEMPORARILY_UNAVAILABLE', 'busy'));
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(200, { cluster_id: 'c1' });
    await h.client.clusters.get({ cluster_id: 'c1' });
    expect(h.clock.sleeps).toHaveLength(3);
    const [a, b, c] = h.clock.sleeps as [number, number, number];
    expect(a).toBeGreaterThanOrEqual(500);
    expect(a).toBeLessThanOrEqual(1000);
    expect(b).toBeGreaterThanOrEqual(1000);
    expect(b).toBeLessThanOrEqual(2000);
    expect(c).toBeGreaterThanOrEqual(2000);
    expect(c).toBeLessThanOrEqual(4000);
  });

  it('surfaces the typed error with retryAfterMs when the wait would exceed the budget', async () => {
    h = harness({ retryBudgetMs: 10_000 });
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(429, errBody('REQUEST_LIMIT_EXCEEDED', 'slow down'), { headers: { 'retry-after': '30' } });
    const err = await h.client.clusters.get({ cluster_id: 'c1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRequestsError);
    expect((err as TooManyRequestsError).retryAfterMs).toBe(30_000);
    expect(h.clock.sleeps).toEqual([]);
    expect(h.events).toHaveLength(1);
    expect(h.events[0]!.willRetry).toBe(false);
  });

  it('stops retrying once the budget is spent', async () => {
    h = harness({ retryBudgetMs: 20_000 });
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(503, errBody('TEMPORARILY_UNAVAILABLE', 'busy'), { headers: { 'retry-after': '8' } }).times(5);
    await expect(h.client.clusters.get({ cluster_id: 'c1' })).rejects.toBeInstanceOf(TemporarilyUnavailableError);
    expect(h.clock.sleeps).toEqual([8000, 8000]);
  });

  it('does not retry other 4xx/5xx errors', async () => {
    h = harness();
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(400, errBody('INVALID_PARAMETER_VALUE', 'Cluster c1 does not exist'), { headers: { 'x-request-id': 'req-9' } });
    const err = (await h.client.clusters.get({ cluster_id: 'c1' }).catch((e: unknown) => e)) as NotFoundError;
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ status: 400, errorCode: 'INVALID_PARAMETER_VALUE', method: 'GET', path: '/api/2.1/clusters/get', requestId: 'req-9', operation: 'clusters.get', safeToRepeat: true });
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(500, errBody('INTERNAL_ERROR', 'boom'));
    await expect(h.client.clusters.get({ cluster_id: 'c1' })).rejects.toMatchObject({ name: 'InternalError', status: 500 });
    expect(h.clock.sleeps).toEqual([]);
  });
});

describe('unsafe requests', () => {
  const CREATE = { path: '/api/2.1/clusters/create', method: 'POST' as const };

  it('retries a create after a 429 (rejected before processing)', async () => {
    h = harness();
    h.pool.intercept(CREATE).reply(429, errBody('REQUEST_LIMIT_EXCEEDED', 'x'), { headers: { 'retry-after': '1' } });
    h.pool.intercept(CREATE).reply(200, { cluster_id: 'new' });
    await expect(h.client.clusters.create({ spark_version: '13.3.x-scala2.12' })).resolves.toEqual({ cluster_id: 'new' });
  });

  it('does not retry a create after a 503 (it may have been applied)', async () => {
    h = harness();
    h.pool.intercept(CREATE).reply(503, errBody('TEMPORARILY_UNAVAILABLE', 'x'));
    await expect(h.client.clusters.create({ spark_version: '13.3.x-scala2.12' })).rejects.toBeInstanceOf(TemporarilyUnavailableError);
    expect(h.events).toHaveLength(1);
  });

  it('retries a create when the connection was refused (never sent)', async () => {
    h = harness();
    h.pool.intercept(CREATE).replyWithError(refused());
    h.pool.intercept(CREATE).reply(200, { cluster_id: 'new' });
    await expect(h.client.clusters.create({ spark_version: '13.3.x-scala2.12' })).resolves.toEqual({ cluster_id: 'new' });
    expect(h.events[0]!.error).toMatchObject({ name: 'ConnectionError', errorCode: 'ECONNREFUSED', mayHaveReachedServer: false });
  });

  it('does not re-send a create after a connection reset, but does re-send a GET', async () => {
    h = harness();
    h.pool.intercept(CREATE).replyWithError(reset());
    const err = await h.client.clusters.create({ spark_version: '13.3.x-scala2.12' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).mayHaveReachedServer).toBe(true);
    expect(err).toMatchObject({ operation: 'clusters.create', safeToRepeat: false });
    expect(h.events).toHaveLength(1);

    h.pool.intercept({ path: GET_PATH, method: 'GET' }).replyWithError(reset());
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(200, { cluster_id: 'c1' });
    await expect(h.client.clusters.get({ cluster_id: 'c1' })).resolves.toEqual({ cluster_id: 'c1' });
  });

  it('treats run-now as safe only with an idempotency_token', async () => {
    h = harness();
    const RUN_NOW = { path: '/api/2.2/jobs/run-now', method: 'POST' as const };
    h.pool.intercept(RUN_NOW).reply(503, errBody('TEMPORARILY_UNAVAILABLE', 'x'));
    await expect(h.client.jobs.runNow({ job_id: 1 })).rejects.toBeInstanceOf(TemporarilyUnavailableError);
    h.pool.intercept(RUN_NOW).reply(503, errBody('TEMPORARILY_UNAVAILABLE', 'x'));
    h.pool.intercept(RUN_NOW).reply(200, { run_id: 5 });
    await expect(h.client.jobs.runNow({ job_id: 1, idempotency_token: 'wf-1/act-2' })).resolves.toEqual({ run_id: 5 });
  });

  it('retries safe POSTs (terminate) after a reset', async () => {
    h = harness();
    const DEL = { path: '/api/2.1/clusters/delete', method: 'POST' as const };
    h.pool.intercept(DEL).replyWithError(reset());
    h.pool.intercept(DEL).reply(200, {});
    await expect(h.client.clusters.delete({ cluster_id: 'c1' })).resolves.toEqual({});
  });
});

describe('timeouts and abort', () => {
  it('times out a request that gets no response and does not re-send an unsafe one', async () => {
    let received = 0;
    const server = createServer(() => {
      received++; // never answers
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const client = new DatabricksClient({ host: `http://127.0.0.1:${port}`, token: 'dapi-timeout-test', env: {}, timeoutMs: 200 });
    try {
      const err = await client.clusters.create({ spark_version: 'x' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RequestTimeoutError);
      expect((err as RequestTimeoutError).retryable).toBe(true);
      expect(received).toBe(1);
    } finally {
      await client.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it('rejects with RequestAbortedError when the signal is already aborted, without sending', async () => {
    h = harness();
    const ac = new AbortController();
    ac.abort();
    await expect(h.client.clusters.get({ cluster_id: 'c1' }, { signal: ac.signal })).rejects.toBeInstanceOf(RequestAbortedError);
    expect(h.events.every((e) => e.status === undefined)).toBe(true);
  });

  it('aborting while waiting for the client-side rate limiter stops the call without sending', async () => {
    h = harness({ rateLimitPerSecond: 1 });
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(200, { cluster_id: 'c1' });
    await h.client.clusters.get({ cluster_id: 'c1' }); // uses the only token
    const ac = new AbortController();
    h.clock.sleep = async (_ms, signal) => {
      ac.abort();
      signal?.throwIfAborted();
    };
    await expect(h.client.clusters.get({ cluster_id: 'c1' }, { signal: ac.signal })).rejects.toBeInstanceOf(RequestAbortedError);
    expect(h.events.filter((e) => e.status !== undefined)).toHaveLength(1);
  });

  it('aborting during a retry wait stops the call', async () => {
    h = harness();
    const ac = new AbortController();
    h.clock.sleep = async (_ms, signal) => {
      ac.abort();
      signal?.throwIfAborted();
    };
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(429, errBody('REQUEST_LIMIT_EXCEEDED', 'x'));
    await expect(h.client.clusters.get({ cluster_id: 'c1' }, { signal: ac.signal })).rejects.toBeInstanceOf(RequestAbortedError);
  });
});

describe('wire format', () => {
  it('sends PATCH bodies as JSON', async () => {
    h = harness();
    let seen: { body?: unknown; headers?: unknown } = {};
    h.pool.intercept({ path: '/api/2.0/repos/42', method: 'PATCH' }).reply((opts) => {
      seen = { body: opts.body, headers: opts.headers };
      return { statusCode: 200, data: {} };
    });
    await h.client.repos.update({ repo_id: 42, branch: 'main' });
    expect(JSON.parse(String(seen.body))).toEqual({ branch: 'main' });
    expect(seen.headers).toMatchObject({ 'content-type': 'application/json' });
  });

  it('sends POSTs without fields with no body, and treats an empty response as {}', async () => {
    h = harness();
    let body: unknown = 'unset';
    h.pool.intercept({ path: '/api/2.0/sql/warehouses/w1/start', method: 'POST' }).reply((opts) => {
      body = opts.body;
      return { statusCode: 200, data: '' };
    });
    await expect(h.client.warehouses.start({ id: 'w1' })).resolves.toEqual({});
    expect(body).toBeUndefined();
  });

  it('sends the bearer token and a user agent', async () => {
    h = harness({ userAgent: 'my-app/1.0' });
    let headers: Record<string, string> = {};
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply((opts) => {
      headers = opts.headers as Record<string, string>;
      return { statusCode: 200, data: {} };
    });
    await h.client.clusters.get({ cluster_id: 'c1' });
    expect(headers.authorization).toMatch(/^Bearer dapi/);
    expect(headers['user-agent']).toMatch(/^durabricks\/\S+ node\/\S+ my-app\/1\.0$/);
  });

  it('encodes queries like the SDK (dots, repeated keys, booleans)', () => {
    expect(encodeQuery({ filter_by: { cluster_states: ['RUNNING', 'PENDING'], is_pinned: true }, page_size: 1, x: undefined })).toBe(
      '?filter_by.cluster_states=RUNNING&filter_by.cluster_states=PENDING&filter_by.is_pinned=true&page_size=1',
    );
    expect(encodeQuery({ name: 'a b' })).toBe('?name=a+b');
    expect(encodeQuery({})).toBe('');
  });

  it('maps a non-JSON error body (proxy HTML) by status', async () => {
    h = harness();
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(400, '<html><title>Error 400 Bad</title></html>');
    await expect(h.client.clusters.get({ cluster_id: 'c1' })).rejects.toMatchObject({ name: 'BadRequestError', errorCode: 'HTTP_400', message: 'Error 400 Bad' });
    expect(BadRequestError.name).toBe('BadRequestError');
  });

  it('a 2xx answer that is not JSON (a proxy page) is INVALID_RESPONSE without its text', async () => {
    h = harness();
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(200, '<html>Sign in to the corporate proxy: token=abc</html>');
    const err = (await h.client.clusters.get({ cluster_id: 'c1' }).catch((e: unknown) => e)) as Error & { errorCode: string; status: number };
    expect(err).toMatchObject({ name: 'DatabricksError', errorCode: 'INVALID_RESPONSE', status: 200, message: 'Response is not JSON (54 bytes)' });
    expect(h.events.map((e) => [e.status, e.error?.errorCode, e.willRetry])).toEqual([[200, 'INVALID_RESPONSE', false]]);
  });

  it('a throwing hook never breaks a call', async () => {
    h = harness({
      hooks: {
        onResponse: () => {
          throw new Error('metrics down');
        },
      },
    });
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(200, { cluster_id: 'c1' });
    await expect(h.client.clusters.get({ cluster_id: 'c1' })).resolves.toEqual({ cluster_id: 'c1' });
  });
});

describe('retry helpers', () => {
  it('parses Retry-After forms', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after': '3' }, now)).toBe(3000);
    expect(parseRetryAfter({ 'retry-after': '1.5' }, now)).toBe(1500);
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
    expect(parseRetryAfter({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }, now)).toBe(0);
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, now)).toBe(250);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter({}, now)).toBeUndefined();
  });

  it('caps backoff at 10 s', () => {
    expect(backoffMs(10, () => 1)).toBe(10_000);
    expect(backoffMs(10, () => 0)).toBe(5_000);
  });
});
