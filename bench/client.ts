/**
 * Client overhead benchmark: requests/s of DatabricksClient vs a raw undici.request loop against
 * the same emulator endpoint (clusters/get) in the same run, and their ratio (target ≥ 0.8).
 * Rate limits are off on both sides so the numbers measure client overhead (auth header,
 * validation, retry bookkeeping, hooks, JSON), not throttling.
 *
 * The two are measured in many short rounds, alternating (ABBA), and the ratio is the median of
 * each adjacent pair's ratio: this VM's speed drifts by ±20 % over seconds, which long rounds of
 * one path and then the other turned into ratios anywhere from 0.76 to 1.16 run to run.
 *
 *   npm run bench:client [-- --seconds 12 --concurrency 16 --rounds 40]
 *   (--seconds: measuring time per path, split over --rounds rounds of each)
 */
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { startEmulator } from '../src/emulator/index.js';
import { DatabricksClient } from '../src/databricks/index.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '12' },
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '40' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const roundSeconds = seconds / rounds;
const TOKEN = 'dapi-bench-token-0123456789abcdef';

/** Runs `call` from `concurrency` loops for one round; returns completed calls per second. */
async function measure(call: () => Promise<unknown>): Promise<number> {
  const end = performance.now() + roundSeconds * 1000;
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
  // Short rounds, alternating which goes first (ABBA), so each pair sees the same machine speed
  // (other processes share the cores) and neither always benefits from the other's warm-up.
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      rawRates.push(await measure(raw));
      clientRates.push(await measure(viaClient));
    } else {
      clientRates.push(await measure(viaClient));
      rawRates.push(await measure(raw));
    }
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  const pairRatios = clientRates.map((c, i) => c / rawRates[i]!);
  const ratio = median(pairRatios);
  const spread = `${Math.min(...pairRatios).toFixed(2)}–${Math.max(...pairRatios).toFixed(2)}`;
  console.log(`endpoint: GET /api/2.1/clusters/get (emulator, in-process), concurrency ${concurrency}, ${rounds} alternating rounds of ${roundSeconds.toFixed(2)} s each`);
  console.log(`raw undici.request : ${median(rawRates).toFixed(0)} req/s  (median of rounds ${Math.min(...rawRates).toFixed(0)}–${Math.max(...rawRates).toFixed(0)})`);
  console.log(`DatabricksClient   : ${median(clientRates).toFixed(0)} req/s  (median of rounds ${Math.min(...clientRates).toFixed(0)}–${Math.max(...clientRates).toFixed(0)})`);
  console.log(`ratio client/raw   : ${ratio.toFixed(3)} (median of ${rounds} paired rounds, ${spread}; target ≥ 0.80) ${ratio >= 0.8 ? 'OK' : 'BELOW TARGET'}`);
} finally {
  await client.close();
  await rawAgent.close();
  await emu.close();
}
