/**
 * Canary run against the emulator: a token, a client secret and a secret value that must never
 * show up in any client log line or error text while calls fail in every way we can provoke.
 */
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/common/logger.js';
import type { DatabricksError } from '../../../src/databricks/index.js';
import { useEmulator } from './emulator.js';

const CANARY_TOKEN = 'dapiCANARY0123456789abcdefCANARY';
const CANARY_SECRET = 'sp-secret-CANARY-9876';
const CANARY_VALUE = 'value-CANARY-5555';

const ctx = useEmulator({ tokens: [CANARY_TOKEN], oauthClients: [{ clientId: 'canary-sp', clientSecret: CANARY_SECRET }], rateLimitPerSecond: 3 });

describe('secret canaries during a failing run', () => {
  it('never appear in client logs, errors or hook events', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'trace',
      destination: new Writable({
        write(chunk, _e, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    });
    const events: unknown[] = [];
    const client = ctx.makeClient({ token: CANARY_TOKEN, logger, retryBudgetMs: 5000, rateLimitPerSecond: 0, hooks: { onResponse: (e) => events.push(e) } });
    const wrongSp = ctx.makeClient({ token: undefined, clientId: 'canary-sp', clientSecret: `${CANARY_SECRET}-wrong`, logger });
    const errors: unknown[] = [];
    const attempt = (p: Promise<unknown>) => p.catch((e: unknown) => errors.push(e));

    ctx.emu.faults.add({ method: 'POST', path: '/api/2.1/clusters/create', action: 'drop_after_apply', times: 1 });
    ctx.emu.faults.add({ method: 'POST', path: '/api/2.0/secrets/put', action: 'respond', status: 500, body: { error_code: 'INTERNAL_ERROR', message: 'boom' }, times: 1 });
    await attempt(client.clusters.create({ spark_version: '16.4.x-scala2.12', node_type_id: 'm5d.large', num_workers: 1 }));
    await attempt(client.clusters.get({ cluster_id: 'no-such-cluster' }));
    await attempt(client.secrets.put({ scope: 'missing-scope', key: 'k', string_value: CANARY_VALUE }));
    await attempt(client.secrets.put({ scope: 'missing-scope', key: 'k', string_value: CANARY_VALUE }));
    await attempt(client.jobs.getRun({ run_id: 42 }));
    await attempt(wrongSp.clusters.sparkVersions());
    // A burst over the emulator's 3 req/s: 429s with Retry-After, retried within the budget or surfaced.
    await Promise.all(Array.from({ length: 12 }, () => attempt(client.clusters.sparkVersions())));

    expect(errors.length).toBeGreaterThanOrEqual(6);
    expect(lines.some((l) => l.includes('retrying'))).toBe(true);
    const texts = [
      ...errors.flatMap((e) => {
        const err = e as DatabricksError;
        return [String(err), err.message, err.stack ?? '', JSON.stringify(err), inspect(err, { depth: 10, showHidden: true })];
      }),
      ...lines,
      ...events.map((e) => JSON.stringify(e)),
      inspect(client, { depth: 5 }),
      inspect(wrongSp, { depth: 5 }),
    ];
    for (const t of texts) {
      expect(t).not.toContain(CANARY_TOKEN);
      expect(t).not.toContain(CANARY_SECRET);
      expect(t).not.toContain(CANARY_VALUE);
    }
  });
});
