import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDevServer, type RunningDevServer } from '../../../src/dev/dev-server.js';
import { freePort } from '../../../src/dev/ports.js';
import { loadWorkerConfig } from '../../../src/worker/config.js';
import { connectToTemporal } from '../../../src/worker/create-worker.js';
import { temporalCliPath } from '../../support/temporal.js';

let server: RunningDevServer;
beforeAll(async () => {
  server = await startDevServer({ binary: { path: temporalCliPath(), source: 'env', detail: 'test' }, port: await freePort(), uiPort: await freePort(), extraArgs: ['--headless'] });
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

describe("the worker's connection with and without gRPC gzip", () => {
  it.each(['gzip', 'none', 'auto'] as const)('DURABRICKS_GRPC_COMPRESSION=%s talks to a real server', async (setting) => {
    const config = loadWorkerConfig({ TEMPORAL_ADDRESS: server.address, DURABRICKS_GRPC_COMPRESSION: setting });
    // The dev server listens on loopback, so auto turns gzip off.
    expect(config.grpcCompression).toBe(setting === 'auto' ? 'none' : setting);
    const connect = vi.spyOn(NativeConnection, 'connect');
    let options: unknown;
    const connection = await connectToTemporal(config).finally(() => {
      options = connect.mock.calls[0]?.[0];
      connect.mockRestore();
    });
    expect(options).toMatchObject({ address: server.address, grpcCompression: { codec: config.grpcCompression } });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toMatch(/^\d+\.\d+/);
      const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(ns.namespaceInfo?.name).toBe('default');
    } finally {
      await connection.close();
    }
  });
});
