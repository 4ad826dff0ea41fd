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

export interface SeenRequest {
  method: string;
  path: string;
  body: unknown;
}

/** Answers each request with the next of `replies` (the last one repeats; none = `{}`) and records what was sent. */
export function recordRequests(h: Harness, ...replies: unknown[]): SeenRequest[] {
  const seen: SeenRequest[] = [];
  h.pool
    .intercept({ path: () => true, method: () => true })
    .reply((o) => {
      seen.push({ method: o.method, path: o.path, body: o.body === undefined || o.body === null ? undefined : JSON.parse(String(o.body)) });
      return { statusCode: 200, data: JSON.stringify(replies.length === 0 ? {} : replies[Math.min(seen.length, replies.length) - 1]) };
    })
    .persist();
  return seen;
}
