import { afterEach, describe, expect, it } from 'vitest';
import { RequestAbortedError, UnauthenticatedError } from '../../../src/databricks/index.js';
import { errBody, harness, type Harness } from './helpers.js';

const GET_PATH = '/api/2.1/clusters/get?cluster_id=c1';
const DISCOVERY = { path: '/oidc/.well-known/oauth-authorization-server', method: 'GET' as const };
const TOKEN = { path: '/oidc/v1/token', method: 'POST' as const };

let h: Harness = undefined as unknown as Harness;
afterEach(async () => {
  await h?.agent.close();
  h = undefined as unknown as Harness;
});

function captureAuth(h: Harness, times = 1): string[] {
  const seen: string[] = [];
  h.pool
    .intercept({ path: GET_PATH, method: 'GET' })
    .reply((o) => {
      seen.push((o.headers as Record<string, string>).authorization!);
      return { statusCode: 200, data: { cluster_id: 'c1' } };
    })
    .times(times);
  return seen;
}

describe('PAT and Basic', () => {
  it('PAT is sent as Bearer', async () => {
    h = harness({ token: 'dapi-pat-1234' });
    const seen = captureAuth(h);
    await h.client.clusters.get({ cluster_id: 'c1' });
    expect(seen).toEqual(['Bearer dapi-pat-1234']);
  });

  it("Basic is token:<PAT>", async () => {
    h = harness({ token: 'dapi-pat-1234', authType: 'basic' });
    const seen = captureAuth(h);
    await h.client.clusters.get({ cluster_id: 'c1' });
    expect(seen).toEqual([`Basic ${Buffer.from('token:dapi-pat-1234').toString('base64')}`]);
  });

  it('a 401 with a PAT is not retried', async () => {
    h = harness();
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(401, errBody('UNAUTHENTICATED', 'Invalid access token.'));
    await expect(h.client.clusters.get({ cluster_id: 'c1' })).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(h.events).toHaveLength(1);
  });
});

describe('OAuth M2M', () => {
  const oauth = () => harness({ token: undefined, clientId: 'sp-client', clientSecret: 'sp-secret-canary' });

  function tokenReplies(h: Harness, tokens: { access_token: string; expires_in: number }[]): { bodies: string[]; auths: string[] } {
    const bodies: string[] = [];
    const auths: string[] = [];
    for (const t of tokens) {
      h.pool.intercept(TOKEN).reply((o) => {
        bodies.push(String(o.body));
        auths.push((o.headers as Record<string, string>).authorization!);
        return { statusCode: 200, data: { ...t, token_type: 'Bearer', scope: 'all-apis' } };
      });
    }
    return { bodies, auths };
  }

  it('discovers the token endpoint, posts client credentials with Basic client auth, and caches the token', async () => {
    h = oauth();
    h.pool.intercept(DISCOVERY).reply(200, { authorization_endpoint: `${h.client.host}/oidc/v1/authorize`, token_endpoint: `${h.client.host}/oidc/v1/token` });
    const { bodies, auths } = tokenReplies(h, [{ access_token: 'at-1', expires_in: 3600 }]);
    const seen = captureAuth(h, 3);
    for (let i = 0; i < 3; i++) await h.client.clusters.get({ cluster_id: 'c1' });
    expect(seen).toEqual(['Bearer at-1', 'Bearer at-1', 'Bearer at-1']);
    expect(bodies).toHaveLength(1);
    expect(new URLSearchParams(bodies[0])).toEqual(new URLSearchParams('grant_type=client_credentials&scope=all-apis'));
    expect(auths[0]).toBe(`Basic ${Buffer.from('sp-client:sp-secret-canary').toString('base64')}`);
    expect(h.events.map((e) => e.operation)).toEqual(['oauth.discovery', 'oauth.token', 'clusters.get', 'clusters.get', 'clusters.get']);
  });

  it('falls back to /oidc/v1/token when discovery fails', async () => {
    h = oauth();
    h.pool.intercept(DISCOVERY).reply(404, 'not here');
    tokenReplies(h, [{ access_token: 'at-fallback', expires_in: 3600 }]);
    const seen = captureAuth(h);
    await h.client.clusters.get({ cluster_id: 'c1' });
    expect(seen).toEqual(['Bearer at-fallback']);
  });

  it('refreshes 40 s before expiry, so a long-running worker never sends an expired token', async () => {
    h = oauth();
    h.pool.intercept(DISCOVERY).reply(404, '');
    const { bodies } = tokenReplies(h, [
      { access_token: 'at-1', expires_in: 3600 },
      { access_token: 'at-2', expires_in: 3600 },
    ]);
    const seen = captureAuth(h, 3);
    await h.client.clusters.get({ cluster_id: 'c1' });
    h.clock.t += 3600_000 - 41_000; // still fresh
    await h.client.clusters.get({ cluster_id: 'c1' });
    h.clock.t += 2_000; // now within 40 s of expiry
    await h.client.clusters.get({ cluster_id: 'c1' });
    expect(seen).toEqual(['Bearer at-1', 'Bearer at-1', 'Bearer at-2']);
    expect(bodies).toHaveLength(2);
  });

  it('shares one in-flight refresh between concurrent requests', async () => {
    h = oauth();
    h.pool.intercept(DISCOVERY).reply(404, '');
    const { bodies } = tokenReplies(h, [{ access_token: 'at-1', expires_in: 3600 }]);
    const seen = captureAuth(h, 5);
    await Promise.all(Array.from({ length: 5 }, () => h.client.clusters.get({ cluster_id: 'c1' })));
    expect(bodies).toHaveLength(1);
    expect(seen).toEqual(Array(5).fill('Bearer at-1'));
  });

  it('a 401 triggers one refresh and one retry', async () => {
    h = oauth();
    h.pool.intercept(DISCOVERY).reply(404, '');
    const { bodies } = tokenReplies(h, [
      { access_token: 'at-revoked', expires_in: 3600 },
      { access_token: 'at-new', expires_in: 3600 },
    ]);
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(401, errBody('UNAUTHENTICATED', 'Token expired'));
    const seen = captureAuth(h);
    await expect(h.client.clusters.get({ cluster_id: 'c1' })).resolves.toEqual({ cluster_id: 'c1' });
    expect(seen).toEqual(['Bearer at-new']);
    expect(bodies).toHaveLength(2);
  });

  it('a second 401 in a row surfaces UnauthenticatedError', async () => {
    h = oauth();
    h.pool.intercept(DISCOVERY).reply(404, '');
    tokenReplies(h, [
      { access_token: 'at-1', expires_in: 3600 },
      { access_token: 'at-2', expires_in: 3600 },
    ]);
    h.pool.intercept({ path: GET_PATH, method: 'GET' }).reply(401, errBody('UNAUTHENTICATED', 'no')).times(2);
    await expect(h.client.clusters.get({ cluster_id: 'c1' })).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('a rejected client secret is an UnauthenticatedError that does not contain the secret', async () => {
    h = oauth();
    h.pool.intercept(DISCOVERY).reply(404, '');
    h.pool.intercept(TOKEN).reply(401, { error: 'invalid_client', error_description: 'Client authentication failed for sp-secret-canary' });
    const err = await h.client.clusters.get({ cluster_id: 'c1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnauthenticatedError);
    expect(String(err)).toContain('invalid_client');
    expect(String(err)).not.toContain('sp-secret-canary');
  });

  it('retries a transient token-endpoint failure even for an unsafe API call (the call was not sent yet)', async () => {
    h = oauth();
    h.pool.intercept(DISCOVERY).reply(404, '');
    h.pool.intercept(TOKEN).reply(503, errBody('TEMPORARILY_UNAVAILABLE', 'busy'));
    tokenReplies(h, [{ access_token: 'at-1', expires_in: 3600 }]);
    h.pool.intercept({ path: '/api/2.1/clusters/create', method: 'POST' }).reply(200, { cluster_id: 'new' });
    await expect(h.client.clusters.create({ spark_version: 'x' })).resolves.toEqual({ cluster_id: 'new' });
  });

  it('uses /oidc/v1/token when discovery answers 200 without both endpoints', async () => {
    h = oauth();
    h.pool.intercept(DISCOVERY).reply(200, { issuer: 'x' });
    tokenReplies(h, [{ access_token: 'at-x', expires_in: 3600 }]);
    const seen = captureAuth(h);
    await h.client.clusters.get({ cluster_id: 'c1' });
    expect(seen).toEqual(['Bearer at-x']);
  });

  it('a token response without access_token is UnauthenticatedError', async () => {
    h = oauth();
    h.pool.intercept(DISCOVERY).reply(404, '');
    h.pool.intercept(TOKEN).reply(200, { token_type: 'Bearer', expires_in: 3600 });
    await expect(h.client.clusters.get({ cluster_id: 'c1' })).rejects.toMatchObject({ name: 'UnauthenticatedError', message: expect.stringContaining('no access_token') });
  });

  it('retries when the token endpoint refuses the connection', async () => {
    h = oauth();
    h.pool.intercept(DISCOVERY).reply(404, '');
    h.pool.intercept(TOKEN).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    tokenReplies(h, [{ access_token: 'at-after-refused', expires_in: 3600 }]);
    const seen = captureAuth(h);
    await h.client.clusters.get({ cluster_id: 'c1' });
    expect(seen).toEqual(['Bearer at-after-refused']);
    expect(h.clock.sleeps).toHaveLength(1);
  });

  it('one caller aborting does not fail the others sharing the refresh', async () => {
    h = oauth();
    h.pool.intercept(DISCOVERY).reply(404, '');
    h.pool.intercept(TOKEN).reply(200, { access_token: 'at-shared', expires_in: 3600 }).delay(50);
    const seen = captureAuth(h);
    const ac = new AbortController();
    const a = h.client.clusters.get({ cluster_id: 'c1' }, { signal: ac.signal }).catch((e: unknown) => e);
    const b = h.client.clusters.get({ cluster_id: 'c1' });
    setTimeout(() => ac.abort(), 10);
    expect(await a).toBeInstanceOf(RequestAbortedError);
    await expect(b).resolves.toEqual({ cluster_id: 'c1' });
    expect(seen).toEqual(['Bearer at-shared']);
  });
});
