/**
 * Client overhead benchmark: requests/s of DatabricksClient vs a raw undici.request loop against
 * the same emulator endpoint (clusters/get) in the same run, and their ratio (target ≥ 0.8).
 * Rate limits are off on both sides so the numbers measure client overhead (auth header,
 * validation, retry bookkeeping, hooks, JSON), not throttling.
 *
 *   npm run bench:client [-- --seconds 3 --concurrency 16 --rounds 3]
 */
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { startEmulator } from '../src/emulator/index.js';
import { DatabricksClient } from '../src/databricks/index.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '4' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const TOKEN = 'dapi-bench-token-0123456789abcdef';

/** Runs `call` from `concurrency` loops for `seconds`; returns completed calls per second. */
async function measure(call: () => Promise<unknown>): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      await call();
      done++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - start) / 1000);
}

const emu = await startEmulator({ port: 0, tokens: [TOKEN], speed: Infinity, rateLimitPerSecond: 0 });
const client = new DatabricksClient({ host: emu.url, token: TOKEN, env: {}, rateLimitPerSecond: 0, hooks: { onResponse: () => undefined } });
const rawAgent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
try {
  const { cluster_id } = await client.clusters.create({ spark_version: '16.4.x-scala2.12', node_type_id: 'm5d.large', num_workers: 1 });
  const url = `${emu.url}/api/2.1/clusters/get?cluster_id=${cluster_id}`;
  const headers = { authorization: `Bearer ${TOKEN}`, accept: 'application/json' };

  const raw = async (): Promise<unknown> => {
    const res = await request(url, { method: 'GET', headers, dispatcher: rawAgent });
    const body = (await res.body.json()) as { cluster_id?: string };
    if (res.statusCode !== 200 || body.cluster_id !== cluster_id) throw new Error(`raw request failed: ${res.statusCode}`);
    return body;
  };
  const viaClient = (): Promise<unknown> => client.clusters.get({ cluster_id });

  // Warm up both paths (JIT of client, emulator and undici; connections) before measuring.
  const warmSeconds = Math.min(1, seconds);
  for (const f of [raw, viaClient]) {
    const until = performance.now() + warmSeconds * 1000;
    while (performance.now() < until) await Promise.all(Array.from({ length: concurrency }, f));
  }

  const rawRates: number[] = [];
  const clientRates: number[] = [];
  // Interleave rounds, alternating which goes first, so both see the same machine load (other
  // processes share the cores) and neither always benefits from the other's warm-up.
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      rawRates.push(await measure(raw));
      clientRates.push(await measure(viaClient));
    } else {
      clientRates.push(await measure(viaClient));
      rawRates.push(await measure(raw));
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rawRps = median(rawRates);
  const clientRps = median(clientRates);
  const ratio = clientRps / rawRps;
  console.log(`endpoint: GET /api/2.1/clusters/get (emulator, in-process), concurrency ${concurrency}, ${rounds} × ${seconds}s rounds each`);
  console.log(`raw undici.request : ${rawRps.toFixed(0)} req/s  (rounds: ${rawRates.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`DatabricksClient   : ${clientRps.toFixed(0)} req/s  (rounds: ${clientRates.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`ratio client/raw   : ${ratio.toFixed(3)} (target ≥ 0.80) ${ratio >= 0.8 ? 'OK' : 'BELOW TARGET'}`);
} finally {
  await client.close();
  await rawAgent.close();
  await emu.close();
}
