import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { startCapture, startTestEmulator, type TestClient } from './helpers.js';

/** `durabricks webhook-destination`: registers (then updates) the receiver as a notification destination. */

const run = promisify(execFile);
const SECRET = 'whsec-cli-0123456789';
type Destination = { id: string; display_name: string; destination_type: string; config: { generic_webhook?: Record<string, boolean> } };

describe('durabricks webhook-destination (CLI)', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  beforeAll(async () => {
    ({ emu, api } = await startTestEmulator({ tokens: ['dapi-admin'] }));
  });
  afterAll(() => emu.close());

  const cli = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'webhook-destination', ...args], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH, HOME: '/nonexistent', DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: 'dapi-admin', ...env },
    });
  const destinations = async () => (await api.get<{ results?: Destination[] }>('/api/2.0/notification-destinations')).body.results ?? [];

  it('creates the destination once, updates it on a second run, and run events then arrive with the secret as Basic auth', async () => {
    const capture = await startCapture();
    const url = capture.url;
    try {
      const first = await cli(['--url', 'http://127.0.0.1:9/old'], { DURABRICKS_WEBHOOK_SECRET: SECRET });
      const id = /created notification destination durabricks-run-events: (\S+)/.exec(first.stdout)?.[1];
      expect(id, first.stdout).toBeDefined();
      expect(first.stdout).toContain(`on_success: [{ id: "${id}" }]`);
      const second = await cli(['--url', url], { DURABRICKS_WEBHOOK_SECRET: SECRET });
      expect(second.stdout).toContain(`updated notification destination durabricks-run-events: ${id}`);
      expect(`${first.stdout}${first.stderr}${second.stdout}${second.stderr}`).not.toContain(SECRET);
      const [only, ...others] = await destinations();
      expect(others).toEqual([]);
      expect(only).toMatchObject({ id, display_name: 'durabricks-run-events', destination_type: 'WEBHOOK' });

      const submitted = await api.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', {
        run_name: 'notify',
        tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/n' }, existing_cluster_id: 'none' }],
        webhook_notifications: { on_failure: [{ id }], on_success: [{ id }] },
      });
      expect(submitted.status).toBe(200);
      await expect.poll(() => capture.received.length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(capture.received[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`durabricks:${SECRET}`).toString('base64')}`);
    } finally {
      await capture.close();
    }
  });

  it('refuses a name taken by a destination of another kind, and a bad URL, changing nothing', async () => {
    await api.post('/api/2.0/notification-destinations', { display_name: 'team-slack', config: { slack: { url: 'https://hooks.slack.com/services/T/B/x' } } });
    const before = await destinations();
    const taken = await cli(['--url', 'https://example.com/', '--name', 'team-slack']).catch((e: { code: number; stderr: string }) => e);
    expect(taken).toMatchObject({ code: 1, stderr: expect.stringMatching(/the notification destination named team-slack \(\S+\) is a SLACK destination, not a webhook; pass another name/) });
    const bad = await cli(['--url', 'not a url']).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2, stderr: 'error: --url not a url is not a URL\n' });
    const short = await cli(['--url', 'https://example.com/'], { DURABRICKS_WEBHOOK_SECRET: 'short' }).catch((e: { code: number; stderr: string }) => e);
    expect(short).toMatchObject({ code: 2, stderr: 'error: DURABRICKS_WEBHOOK_SECRET must be at least 16 characters (the worker requires it)\n' });
    expect(await destinations()).toEqual(before);
  });
});
