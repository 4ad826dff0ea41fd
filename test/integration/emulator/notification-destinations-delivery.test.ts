import { Writable } from 'node:stream';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/common/logger.js';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../../../src/client/webhook-receiver.js';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { startCapture, startTestEmulator, type TestClient } from './helpers.js';

/**
 * Job webhooks to destinations created with the Notification Destinations API: a one-time run whose
 * `webhook_notifications` names a generic webhook reaches it in the Databricks shape with the
 * destination's credentials as HTTP Basic auth — and durabricks' own receiver lets that in when the
 * password is its secret, and refuses it otherwise.
 */
const ND = '/api/2.0/notification-destinations';
const PASSWORD = 'hook-password-4d9e2a';

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

const logLines: string[] = [];
let emu: RunningEmulator;
let api: TestClient;
let capture: Awaited<ReturnType<typeof startCapture>>;
let captureUrl: string;
let received: Awaited<ReturnType<typeof startCapture>>['received'];

beforeAll(async () => {
  const logger = createLogger({ level: 'debug', destination: new Writable({ write: (chunk: Buffer, _e, done) => (logLines.push(chunk.toString()), done()) }) });
  ({ emu, api } = await startTestEmulator({ logger }));
  capture = await startCapture();
  ({ url: captureUrl, received } = capture);
});
afterAll(async () => {
  await emu.close();
  await capture.close();
});
beforeEach(async () => {
  received.length = 0;
  await emu.reset();
  await api.control('POST', '/notifications', { urls: [], destinations: {} });
});

const destination = async (config: Record<string, unknown>) => (await api.post<{ id: string }>(ND, { display_name: 'hook', config })).body.id;

async function submit(hooks: Record<string, { id: string }[]>, outcome = 'SUCCESS'): Promise<number> {
  const { body } = await api.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', {
    run_name: 'hooked',
    webhook_notifications: hooks,
    tasks: [{ task_key: 't', notebook_task: { notebook_path: '/n', base_parameters: { 'emulator.outcome': outcome } } }],
  });
  return body.run_id;
}

describe('delivery to API-created destinations', () => {
  it('a one-time run with on_success naming a generic webhook POSTs the Databricks shape with Basic auth', async () => {
    const id = await destination({ generic_webhook: { url: captureUrl, username: 'databricks', password: PASSWORD } });
    const runId = await submit({ on_success: [{ id }] });
    await api.get('/api/2.2/jobs/runs/get', { run_id: runId });
    await until(() => received.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(received.map((r) => r.body)).toEqual([{ event_type: 'jobs.on_success', workspace_id: expect.stringMatching(/^\d+$/), run: { run_id: String(runId) } }]);
    expect(received[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`databricks:${PASSWORD}`).toString('base64')}`);
    expect(received[0]!.headers['content-type']).toBe('application/json');
  });

  it('a webhook without credentials gets no Authorization header; a deleted destination or a Slack one gets nothing', async () => {
    const plain = await destination({ generic_webhook: { url: captureUrl } });
    const gone = await destination({ generic_webhook: { url: captureUrl, password: PASSWORD } });
    const slack = await destination({ slack: { url: captureUrl } });
    await api.call('DELETE', `${ND}/${gone}`);
    const runId = await submit({ on_failure: [{ id: gone }, { id: slack }, { id: plain }] }, 'FAILED');
    await api.get('/api/2.2/jobs/runs/get', { run_id: runId });
    await until(() => received.length >= 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(received.map((r) => r.body.event_type)).toEqual(['jobs.on_failure']);
    expect(received[0]!.headers.authorization).toBeUndefined();
  });

  it('an API destination wins over a control-API destination with the same id; other control-API ids still work', async () => {
    const id = await destination({ generic_webhook: { url: `${captureUrl}?from=api`, password: PASSWORD } });
    await api.control('POST', '/notifications', { destinations: { [id]: `${captureUrl}?from=control`, 'ctl-1': `${captureUrl}?from=control` } });
    const runId = await submit({ on_success: [{ id }, { id: 'ctl-1' }] });
    await api.get('/api/2.2/jobs/runs/get', { run_id: runId });
    await until(() => received.length >= 2);
    expect(received.map((r) => Boolean(r.headers.authorization)).sort()).toEqual([false, true]);
  });

  it('a failed delivery is logged by destination id, without the URL or the password', async () => {
    const secretUrl = `http://127.0.0.1:1/hooks/T000/${PASSWORD}`;
    const id = await destination({ generic_webhook: { url: secretUrl, username: 'u', password: PASSWORD } });
    logLines.length = 0;
    const runId = await submit({ on_success: [{ id }] });
    await api.get('/api/2.2/jobs/runs/get', { run_id: runId });
    await until(() => logLines.some((l) => l.includes('run notification delivery failed')));
    const line = logLines.find((l) => l.includes('run notification delivery failed'))!;
    expect(JSON.parse(line)).toMatchObject({ destination: id });
    expect(logLines.join('\n')).not.toContain(PASSWORD);
    expect(logLines.join('\n')).not.toContain(Buffer.from(`u:${PASSWORD}`).toString('base64'));
  });
});

describe("delivery to durabricks' webhook receiver", () => {
  let receiver: RunningWebhookReceiver;
  const signals: { workflowId: string; runId: number }[] = [];
  const owners: Record<string, number | undefined> = {};
  beforeAll(async () => {
    // A one-time run's Databricks-shape webhook has no run name, so the receiver asks the running pipelines.
    const client = {
      workflow: {
        list: () =>
          (async function* () {
            for (const workflowId of Object.keys(owners)) yield { workflowId, runId: 'r', status: { name: 'RUNNING' }, startTime: new Date() };
          })(),
        getHandle: (workflowId: string) => ({
          query: async () => ({ runId: owners[workflowId] }),
          signal: async (_d: unknown, e: { run_id: number }) => void signals.push({ workflowId, runId: e.run_id }),
        }),
      },
    } as unknown as Client;
    receiver = await startWebhookReceiver({ client, secret: PASSWORD });
  });
  afterAll(() => receiver.close());

  it('Basic auth with the secret as password is signalled; a destination with a wrong password is refused', async () => {
    const good = await destination({ generic_webhook: { url: receiver.url, username: 'databricks', password: PASSWORD } });
    const bad = await destination({ generic_webhook: { url: receiver.url, username: 'databricks', password: 'not-the-secret' } });
    // The refused start notification is sent before the accepted end one.
    const runId = await submit({ on_start: [{ id: bad }], on_success: [{ id: good }] });
    owners['wf-delivery'] = runId;
    await api.get('/api/2.2/jobs/runs/get', { run_id: runId });
    await until(() => signals.length >= 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(signals).toEqual([{ workflowId: 'wf-delivery', runId }]);
    expect(receiver.stats).toEqual({ received: 1, signalled: 1, unmatched: 0 });
  });
});
