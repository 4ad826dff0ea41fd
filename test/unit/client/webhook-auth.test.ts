/**
 * The webhook receiver's shared secret: `Bearer <secret>` and a Databricks generic webhook's
 * `Basic base64(<username>:<secret>)` are let in; anything else is a 401 and signals nothing.
 */
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { carriesSecret } from '../../../src/client/webhook-auth.js';
import { startWebhookReceiver } from '../../../src/client/webhook-receiver.js';

const SECRET = 'receiver-secret-0123456789';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('carriesSecret', () => {
  it.each([
    ['Bearer', `Bearer ${SECRET}`, true],
    ['bearer, scheme in lower case', `bearer ${SECRET}`, true],
    ['Basic with any username', basic('databricks', SECRET), true],
    ['Basic with an empty username', basic('', SECRET), true],
    ['Basic whose password holds a colon', basic('u', `a:${SECRET}`), false],
    ['Basic with the secret as username', basic(SECRET, 'x'), false],
    ['Basic with a wrong password', basic('databricks', `${SECRET}x`), false],
    ['Basic without a colon', `Basic ${Buffer.from(SECRET).toString('base64')}`, false],
    ['Bearer with a prefix of the secret', `Bearer ${SECRET.slice(0, -1)}`, false],
    ['the bare secret', SECRET, false],
    ['another scheme', `Token ${SECRET}`, false],
    ['no header', undefined, false],
  ])('%s → %s', (_name, header, expected) => {
    expect(carriesSecret(header, SECRET)).toBe(expected);
  });
});

describe('webhook receiver with a secret', () => {
  it('signals for Bearer and Basic credentials; a wrong or missing one is a 401 that signals nothing', async () => {
    const signals: { workflowId: string; runId: number }[] = [];
    const client = {
      workflow: { getHandle: (workflowId: string) => ({ signal: async (_d: unknown, e: { run_id: number }) => void signals.push({ workflowId, runId: e.run_id }) }) },
    } as unknown as Client;
    const receiver = await startWebhookReceiver({ client, secret: SECRET });
    const post = (runId: number, authorization?: string) =>
      fetch(receiver.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ event: 'run.succeeded', run_id: runId, run_name: `etl [durabricks:wf-${runId}]` }),
      }).then((r) => r.status);
    try {
      expect(await post(1, `Bearer ${SECRET}`)).toBe(202);
      expect(await post(2, basic('databricks', SECRET))).toBe(202);
      expect(await post(3, basic('databricks', 'wrong-password'))).toBe(401);
      expect(await post(4, `Bearer wrong-password`)).toBe(401);
      expect(await post(5)).toBe(401);
      for (let i = 0; i < 100 && signals.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      expect(signals.sort((a, b) => a.runId - b.runId)).toEqual([
        { workflowId: 'wf-1', runId: 1 },
        { workflowId: 'wf-2', runId: 2 },
      ]);
      expect(receiver.stats).toEqual({ received: 2, signalled: 2, unmatched: 0 });
    } finally {
      await receiver.close();
    }
  });
});
