import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { errors as undiciErrors } from 'undici';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/common/logger.js';
import type { DatabricksError } from '../../../src/databricks/index.js';
import { errBody, harness } from './helpers.js';

const CANARY_PAT = 'dapiCANARYCANARYCANARYCANARY0001';
const CANARY_SECRET = 'oauth-secret-CANARY-0002';
const CANARY_ACCESS = 'eyJCANARYaccesstoken0003';
const CANARY_VALUE = 'secret-value-CANARY-0004';
const CANARY_SP = 'sp-client-secret-CANARY-0005';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'trace', destination }) };
}

function renderings(e: unknown): string[] {
  const err = e as DatabricksError;
  return [String(err), err.message, err.stack ?? '', JSON.stringify(err), inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err.toJSON())];
}

describe('secrets never reach errors or logs', () => {
  it('PAT and secret-value canaries: a run with throttling, server errors that echo the token, resets and a 401', async () => {
    const { lines, logger } = capture();
    const h = harness({ token: CANARY_PAT, logger });
    const p = h.pool;
    const get = { path: '/api/2.1/clusters/get?cluster_id=c1', method: 'GET' as const };
    p.intercept(get).reply(429, errBody('REQUEST_LIMIT_EXCEEDED', `too many requests for Bearer ${CANARY_PAT}`), { headers: { 'retry-after': '1' } });
    p.intercept(get).reply(500, errBody('INTERNAL_ERROR', `failure while validating ${CANARY_PAT}`));
    p.intercept({ path: '/api/2.1/clusters/create', method: 'POST' }).replyWithError(new undiciErrors.SocketError(`reset while sending ${CANARY_PAT}`));
    p.intercept({ path: '/api/2.0/secrets/put', method: 'POST' }).reply(400, errBody('INVALID_PARAMETER_VALUE', `bad value ${CANARY_VALUE} for key k`));
    p.intercept({ path: '/api/2.1/unity-catalog/storage-credentials', method: 'POST' }).reply(400, errBody('INVALID_PARAMETER_VALUE', `client secret ${CANARY_SP} rejected by Entra ID`));
    p.intercept(get).reply(401, `<html><title>Error 401 token ${CANARY_PAT} invalid</title></html>`);

    const errors: unknown[] = [];
    await h.client.clusters.get({ cluster_id: 'c1' }).catch((e: unknown) => errors.push(e));
    await h.client.clusters.create({ spark_version: 'x' }).catch((e: unknown) => errors.push(e));
    await h.client.secrets.put({ scope: 's', key: 'k', string_value: CANARY_VALUE }).catch((e: unknown) => errors.push(e));
    await h.client.storageCredentials.create({ name: 'c', azure_service_principal: { directory_id: 'd', application_id: 'a', client_secret: CANARY_SP } }).catch((e: unknown) => errors.push(e));
    await h.client.clusters.get({ cluster_id: 'c1' }).catch((e: unknown) => errors.push(e));

    expect(errors).toHaveLength(5);
    const texts = errors.flatMap(renderings);
    for (const t of texts) {
      expect(t).not.toContain(CANARY_PAT);
      expect(t).not.toContain(CANARY_VALUE);
      expect(t).not.toContain(CANARY_SP);
    }
    // The scrubbed messages still say what went wrong.
    expect(texts.join('\n')).toContain('[REDACTED]');
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) {
      expect(l).not.toContain(CANARY_PAT);
      expect(l).not.toContain(CANARY_VALUE);
      expect(l).not.toContain(CANARY_SP);
    }
    for (const e of h.events) expect(JSON.stringify(e)).not.toContain(CANARY_PAT);
    await h.agent.close();
  });

  it('Basic canaries: neither the PAT nor its base64 token:<PAT> pair survives in errors, logs or events', async () => {
    const { lines, logger } = capture();
    const h = harness({ token: CANARY_PAT, authType: 'basic', logger });
    const encoded = Buffer.from(`token:${CANARY_PAT}`).toString('base64');
    const get = { path: '/api/2.1/clusters/get?cluster_id=c1', method: 'GET' as const };
    h.pool.intercept(get).reply(403, errBody('PERMISSION_DENIED', `header Basic ${encoded} (password ${CANARY_PAT}) lacks CAN_ATTACH_TO`));
    h.pool.intercept(get).replyWithError(Object.assign(new Error(`connect ECONNREFUSED while sending Basic ${encoded}`), { code: 'ECONNREFUSED' })).persist();
    const errors: unknown[] = [];
    await h.client.clusters.get({ cluster_id: 'c1' }).catch((e: unknown) => errors.push(e));
    await h.client.clusters.get({ cluster_id: 'c1' }).catch((e: unknown) => errors.push(e));
    expect(errors).toHaveLength(2);
    const texts = errors.flatMap(renderings);
    for (const t of [...texts, ...lines, ...h.events.map((e) => JSON.stringify(e))]) {
      expect(t).not.toContain(CANARY_PAT);
      expect(t).not.toContain(encoded);
    }
    expect(texts.join('\n')).toContain('[REDACTED]');
    await h.agent.close();
  });

  it('OAuth canaries: client secret and issued access token', async () => {
    const { lines, logger } = capture();
    const h = harness({ token: undefined, clientId: 'sp', clientSecret: CANARY_SECRET, logger });
    h.pool.intercept({ path: '/oidc/.well-known/oauth-authorization-server', method: 'GET' }).reply(404, '');
    h.pool.intercept({ path: '/oidc/v1/token', method: 'POST' }).reply(401, { error: 'invalid_client', error_description: `secret ${CANARY_SECRET} rejected` });
    h.pool.intercept({ path: '/oidc/v1/token', method: 'POST' }).reply(200, { access_token: CANARY_ACCESS, expires_in: 3600, token_type: 'Bearer' });
    h.pool.intercept({ path: '/api/2.1/clusters/get?cluster_id=c1', method: 'GET' }).reply(403, errBody('PERMISSION_DENIED', `token ${CANARY_ACCESS} lacks CAN_ATTACH_TO`));

    const errors: unknown[] = [];
    await h.client.clusters.get({ cluster_id: 'c1' }).catch((e: unknown) => errors.push(e));
    await h.client.clusters.get({ cluster_id: 'c1' }).catch((e: unknown) => errors.push(e));
    expect(errors.map((e) => (e as Error).name)).toEqual(['UnauthenticatedError', 'PermissionDeniedError']);
    for (const t of errors.flatMap(renderings)) {
      expect(t).not.toContain(CANARY_SECRET);
      expect(t).not.toContain(CANARY_ACCESS);
    }
    for (const l of lines) {
      expect(l).not.toContain(CANARY_SECRET);
      expect(l).not.toContain(CANARY_ACCESS);
    }
    // The client itself does not expose them through inspection either.
    expect(inspect(h.client, { depth: 2 })).not.toContain(CANARY_SECRET);
    await h.agent.close();
  });
});
