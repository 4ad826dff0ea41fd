import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { startCapture, startTestEmulator, type TestClient } from './helpers.js';

describe('run notifications (control-API webhook URL)', () => {
  let emu: RunningEmulator;
  let api: TestClient;
  let capture: Awaited<ReturnType<typeof startCapture>>;
  let receiverUrl: string;
  const received = () => capture.received.map((r) => r.body);

  beforeAll(async () => {
    ({ emu, api } = await startTestEmulator());
    capture = await startCapture();
    receiverUrl = capture.url;
  });
  afterAll(async () => {
    await emu.close();
    await capture.close();
  });

  it('POSTs run.started and run.failed events for a run to the configured URL', async () => {
    expect((await api.control('POST', '/notifications', { urls: [receiverUrl] })).body).toEqual({ urls: [receiverUrl], destinations: {} });
    const { body } = await api.post<{ run_id: number }>('/api/2.2/jobs/runs/submit', { tasks: [{ task_key: 't', notebook_task: { notebook_path: '/n', base_parameters: { 'emulator.outcome': 'FAILED' } } }] });
    await api.get('/api/2.2/jobs/runs/get', { run_id: body.run_id });
    const deadline = Date.now() + 5000;
    while (received().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(received().map((e) => [e.event, e.run_id])).toEqual([
      ['run.started', body.run_id],
      ['run.failed', body.run_id],
    ]);
    expect(received()[1]).toMatchObject({ life_cycle_state: 'TERMINATED', result_state: 'FAILED' });
  });

  it("sends Databricks-style webhook payloads to the destinations named in a job's webhook_notifications", async () => {
    capture.received.length = 0;
    await api.control('POST', '/notifications', { destinations: { 'dest-1': receiverUrl } });
    const job = await api.post<{ job_id: number }>('/api/2.2/jobs/create', {
      name: 'hooked',
      webhook_notifications: { on_success: [{ id: 'dest-1' }], on_failure: [{ id: 'dest-1' }] },
      tasks: [{ task_key: 't', notebook_task: { notebook_path: '/n' } }],
    });
    const { body } = await api.post<{ run_id: number }>('/api/2.2/jobs/run-now', { job_id: job.body.job_id });
    await api.get('/api/2.2/jobs/runs/get', { run_id: body.run_id });
    const deadline = Date.now() + 5000;
    while (received().length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    expect(received()).toEqual([{ event_type: 'jobs.on_success', workspace_id: expect.stringMatching(/^\d+$/), run: { run_id: String(body.run_id) }, job: { job_id: String(job.body.job_id), name: 'hooked' } }]);
  });
});
