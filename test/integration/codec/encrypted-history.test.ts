import { randomBytes } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptionCodec } from '../../../src/common/codec/encryption-codec.js';
import { FAILURE_CONVERTER_PATH, dataConverterFromEnv } from '../../../src/common/codec/data-converter.js';
import { parseCodecKeys } from '../../../src/common/codec/keys.js';
import { join } from 'node:path';
import { startCodecServer } from '../../../src/worker/codec-server.js';
import { quietRuntime, timeSkippingEnv } from '../../support/temporal.js';

const CANARY = 'canary-history-secret-91b2';
const env_ = { DURABRICKS_CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}` };

describe('encrypted payloads and failure messages in history', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    quietRuntime();
    env = await timeSkippingEnv({ dataConverter: dataConverterFromEnv(env_) });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('history holds neither inputs, results nor failure messages in clear; the codec server decodes them', async () => {
    const dataConverter = dataConverterFromEnv(env_)!;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'codec',
      workflowBundle: await bundleWorkflowCode({ workflowsPath: join(import.meta.dirname, '../../fixtures/workflows/codec-probe.ts'), failureConverterPath: FAILURE_CONVERTER_PATH, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } }),
      dataConverter,
      activities: { echo: async (text: string) => text },
    });
    const outcome = await worker.runUntil(async () => {
      const result = await env.client.workflow.execute('codecProbe', { taskQueue: 'codec', workflowId: 'codec-ok', args: [{ canary: CANARY, fail: false }] });
      const failure = await env.client.workflow.execute('codecProbe', { taskQueue: 'codec', workflowId: 'codec-fail', args: [{ canary: CANARY, fail: true }] }).catch((e: unknown) => e);
      return { result, failure };
    });
    // The key holder (this client) sees the real values and the real failure message.
    expect(outcome.result).toBe(CANARY);
    expect((outcome.failure as { cause?: Error }).cause?.message).toBe(`probe failed while holding ${CANARY}`);

    const history = await env.client.workflow.getHandle('codec-ok').fetchHistory();
    const failedHistory = await env.client.workflow.getHandle('codec-fail').fetchHistory();
    const raw = JSON.stringify([history, failedHistory]);
    expect(raw.length).toBeGreaterThan(500);
    expect(raw).not.toContain(CANARY);
    expect(Buffer.from(raw).toString('base64')).not.toContain(Buffer.from(CANARY).toString('base64'));

    const codec = new EncryptionCodec(parseCodecKeys(env_.DURABRICKS_CODEC_KEYS));
    const server = await startCodecServer({ codec });
    try {
      const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
      const body = { payloads: [{ metadata: Object.fromEntries(Object.entries(input.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(input.data!).toString('base64') }] };
      const decoded = (await (await fetch(`${server.url}/decode`, { method: 'POST', body: JSON.stringify(body) })).json()) as { payloads: { data: string }[] };
      expect(Buffer.from(decoded.payloads[0]!.data, 'base64').toString()).toContain(CANARY);
      const bad = await fetch(`${server.url}/decode`, { method: 'POST', body: '{"payloads": 3}' });
      expect(bad.status).toBe(400);
    } finally {
      await server.close();
    }
  });
});
