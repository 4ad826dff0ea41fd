/**
 * A Temporal client for durabricks callers, configured the same way as the worker: TEMPORAL_* env
 * or profile (@temporalio/envconfig), DURABRICKS_TASK_QUEUE, and the shared data converter (so an
 * encrypting worker and this client agree on payloads).
 */
import { Client, Connection } from '@temporalio/client';
import { dataConverterFromEnv } from '../common/codec/data-converter.js';
import { loadWorkerConfig } from '../worker/config.js';

export interface DurabricksClient {
  client: Client;
  taskQueue: string;
  namespace: string;
  address: string;
  close(): Promise<void>;
}

export class TemporalConnectError extends Error {
  override name = 'TemporalConnectError';
}

export async function connectDurabricks(env: NodeJS.ProcessEnv = process.env): Promise<DurabricksClient> {
  const config = loadWorkerConfig(env);
  const address = config.temporal.connectionOptions.address ?? 'localhost:7233';
  const namespace = config.temporal.namespace ?? 'default';
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...config.temporal.connectionOptions, connectTimeout: '5 seconds' });
  } catch (err) {
    throw new TemporalConnectError(
      `cannot reach the Temporal server at ${address} (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); set TEMPORAL_ADDRESS, or run "durabricks dev" for a local server.`,
    );
  }
  const client = new Client({ connection, namespace, dataConverter: dataConverterFromEnv(env) });
  return { client, taskQueue: config.taskQueue, namespace, address, close: () => connection.close() };
}
