/** A Temporal dev server for one benchmark section, tuned for throughput, plus a client. */
import { Client, Connection } from '@temporalio/client';
import { resolveTemporalCli } from '../../src/dev/temporal-cli.js';
import { startDevServer, type RunningDevServer } from '../../src/dev/dev-server.js';
import { freePort } from '../../src/dev/ports.js';
import type { Cleanup } from './cleanup.js';

/**
 * Dev-server flags for the benchmark. In-memory SQLite (no --db-filename) with pragmas that skip
 * durability work, one task-queue partition (no forwarding between partitions with a single
 * worker), and generous persistence/RPS limits so the server is never throttled by its own config.
 */
export const TUNED_SERVER_ARGS = [
  '--sqlite-pragma', 'journal_mode=memory',
  '--sqlite-pragma', 'synchronous=off',
  '--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1',
  '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1',
  '--dynamic-config-value', 'frontend.rps=100000',
  '--dynamic-config-value', 'frontend.namespaceRPS=100000',
  '--dynamic-config-value', 'history.persistenceMaxQPS=100000',
  '--dynamic-config-value', 'frontend.persistenceMaxQPS=100000',
  '--dynamic-config-value', 'matching.persistenceMaxQPS=100000',
  // Timer tasks (activity retry backoffs included) may fire up to this late; the default is 1 s.
  '--dynamic-config-value', 'history.timerProcessorMaxTimeShift="50ms"',
  '--headless',
];

/**
 * The Go runtime collects garbage when the heap has grown by GOGC % since the last collection
 * (default 100). The server allocates heavily per workflow task; with memory to spare, collecting
 * at +400 % cut its CPU per no-op chain from 44-63 ms to 40-49 ms over 2,100 workflows (seven
 * rounds of 300 on one server, 2026-11-25), the upper end being its slowdown as completed
 * workflows pile up.
 */
export const TUNED_SERVER_ENV = { GOGC: '400' };

export interface BenchServer {
  server: RunningDevServer;
  client: Client;
  connection: Connection;
}

export async function startBenchServer(cleanup: Cleanup, options: { tuned?: boolean } = {}): Promise<BenchServer> {
  const binary = await resolveTemporalCli({});
  const server = await startDevServer({ binary, port: await freePort(), uiPort: await freePort(), ...(options.tuned === false ? { extraArgs: ['--headless'] } : { extraArgs: TUNED_SERVER_ARGS, env: TUNED_SERVER_ENV }) });
  cleanup.push('Temporal dev server', () => server.stop());
  const connection = await Connection.connect({ address: server.address });
  cleanup.push('client connection', () => connection.close());
  const client = new Client({ connection, namespace: server.namespace });
  return { server, client, connection };
}
