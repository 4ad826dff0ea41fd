import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, resolveGrpcCompression } from '../../../src/worker/grpc-compression.js';
import { loadWorkerConfig } from '../../../src/worker/config.js';

describe('gRPC compression to the Temporal server', () => {
  it('recognises loopback addresses with and without a port', () => {
    for (const a of ['localhost:7233', 'LOCALHOST:7233', 'temporal.localhost:7233', '127.0.0.1:7233', '127.1.2.3:7233', '[::1]:7233', '::1', 'localhost']) {
      expect(isLoopbackAddress(a), a).toBe(true);
    }
    for (const a of ['temporal:7233', 'temporal.example:7233', '10.0.0.5:7233', '[2001:db8::1]:7233', '127.0.0.1.example.com:7233', 'localhost.example:7233', 'my-ns.tmprl.cloud:7233']) {
      expect(isLoopbackAddress(a), a).toBe(false);
    }
  });

  it('auto turns gzip off only for a server on this host; explicit settings win', () => {
    expect(resolveGrpcCompression('auto', 'localhost:7233')).toBe('none');
    expect(resolveGrpcCompression('auto', 'temporal:7233')).toBe('gzip');
    expect(resolveGrpcCompression('gzip', '127.0.0.1:7233')).toBe('gzip');
    expect(resolveGrpcCompression('none', 'temporal.example:7233')).toBe('none');
  });

  it('is resolved by the worker config from DURABRICKS_GRPC_COMPRESSION and the address', () => {
    expect(loadWorkerConfig({ TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' }).grpcCompression).toBe('none');
    expect(loadWorkerConfig({ TEMPORAL_ADDRESS: 'temporal.example:7233' }).grpcCompression).toBe('gzip');
    expect(loadWorkerConfig({ TEMPORAL_ADDRESS: 'localhost:7233', DURABRICKS_GRPC_COMPRESSION: 'gzip' }).grpcCompression).toBe('gzip');
    expect(() => loadWorkerConfig({ DURABRICKS_GRPC_COMPRESSION: 'zstd' })).toThrow(/DURABRICKS_GRPC_COMPRESSION/);
  });
});
