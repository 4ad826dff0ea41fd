import { MockAgent } from 'undici';
import { DatabricksClient, type DatabricksClientConfig, type ResponseEvent } from '../../../src/databricks/index.js';
import type { Clock } from '../../../src/databricks/config.js';

/** Virtual time: `sleep` records the delay and advances time at once, so tests never wait. */
export class FakeClock implements Clock {
  t = 1_700_000_000_000;
  sleeps: number[] = [];
  now = (): number => this.t;
  sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.t += ms;
  };
}

export const HOST = 'https://unit.cloud.databricks.com';
export const TOKEN = 'dapi0123456789abcdef0123456789abcdef';

export interface Harness {
  client: DatabricksClient;
  agent: MockAgent;
  pool: ReturnType<MockAgent['get']>;
  clock: FakeClock;
  events: ResponseEvent[];
}

let hostSeq = 0;

/** A client on a MockAgent with no network, a fake clock and a recording hook. Each call gets its own host (own rate-limit bucket). */
export function harness(config: DatabricksClientConfig = {}): Harness {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const host = config.host ?? HOST.replace('unit', `unit${++hostSeq}`);
  const clock = new FakeClock();
  const events: ResponseEvent[] = [];
  const client = new DatabricksClient({
    host,
    token: TOKEN,
    env: {},
    dispatcher: agent,
    clock,
    hooks: { onResponse: (e) => events.push(e) },
    ...config,
  });
  return { client, agent, pool: agent.get(new URL(client.host).origin), clock, events };
}

export const errBody = (error_code: string, message: string) => ({ error_code, message });
