/**
 * SQL speed of the emulator at instant timings, over HTTP as clients see it:
 *   npx tsx bench/emulator-sql.ts [rows]
 * Target (issue 5): a statement over 1 million rows completes in under ~1 s of wall time.
 */
import { startEmulator } from '../src/emulator/index.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const emu = await startEmulator({ speed: Infinity, rateLimitPerSecond: 0, seed: 1 });
const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

try {
  const wh = (await call('POST', '/api/2.0/sql/warehouses', { name: 'bench' })).id as string;
  await call('POST', '/api/2.0/sql/statements', { warehouse_id: wh, statement: 'SELECT 1', wait_timeout: '50s' });
  const timed = async (label: string, statement: string) => {
    const t0 = performance.now();
    const r = await call('POST', '/api/2.0/sql/statements', { warehouse_id: wh, statement, wait_timeout: '50s' });
    let fetched = r.result?.data_array?.length ?? 0;
    let next = r.result?.next_chunk_internal_link as string | undefined;
    while (next) {
      const c = await call('GET', next);
      fetched += c.data_array.length;
      next = c.next_chunk_internal_link;
    }
    const ms = performance.now() - t0;
    if (r.status.state !== 'SUCCEEDED') throw new Error(`${label}: ${JSON.stringify(r.status)}`);
    console.log(`${label.padEnd(48)} ${ms.toFixed(0).padStart(6)} ms  rows returned ${fetched}`);
  };
  await timed(`CTAS ${rows} rows`, `CREATE OR REPLACE TABLE main.default.bench AS SELECT range AS id, range % 97 AS k, range * 1.5 AS v, 'name' || range AS s FROM range(${rows})`);
  await timed(`aggregate over ${rows} rows`, 'SELECT k, count(*) AS n, sum(v) AS total, avg(id) AS mean FROM main.default.bench GROUP BY k ORDER BY k');
  await timed(`division (ANSI operator macro) over ${rows} rows`, 'SELECT sum(v / (k + 1)) AS s, avg(id % 7) AS m FROM main.default.bench');
  await timed(`filter + order over ${rows} rows (top 1000)`, 'SELECT * FROM main.default.bench WHERE k = 3 ORDER BY v DESC LIMIT 1000');
  await timed(`MERGE 10% of ${rows} rows`, `MERGE INTO main.default.bench t USING (SELECT id, v + 1 AS v FROM main.default.bench WHERE id % 10 = 0) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v`);
  await timed(`fetch ${rows / 10} rows through chunks`, `SELECT id, v, s FROM main.default.bench WHERE id % 10 = 0`);
} finally {
  await emu.close();
}
