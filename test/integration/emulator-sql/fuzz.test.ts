import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulator, warehouse } from './client.js';

/**
 * Random and mutated requests against the part-2 endpoints: never a 500, always a real error
 * body, and a rejected request changes nothing — compared through the state snapshot and the
 * Unity Catalog tree (which lives in DuckDB, outside the snapshot).
 */
interface Seeded {
  wh: string;
  statement: string;
  cluster: string;
}
type Endpoint = { method: 'GET' | 'POST' | 'PATCH'; path: (s: Seeded) => string; body: (s: Seeded) => Record<string, unknown> };

const endpoints: Endpoint[] = [
  { method: 'POST', path: () => '/api/2.0/sql/warehouses', body: () => ({ name: 'fz', cluster_size: 'Small', auto_stop_mins: 20, max_num_clusters: 2 }) },
  { method: 'POST', path: (s) => `/api/2.0/sql/warehouses/${s.wh}/edit`, body: () => ({ cluster_size: 'Medium', auto_stop_mins: 30 }) },
  { method: 'GET', path: (s) => `/api/2.0/sql/warehouses/${s.wh}`, body: () => ({}) },
  { method: 'GET', path: () => '/api/2.0/sql/warehouses', body: () => ({ page_size: 1 }) },
  {
    method: 'POST',
    path: () => '/api/2.0/sql/statements',
    body: (s) => ({ warehouse_id: s.wh, statement: 'SELECT :p AS p', wait_timeout: '5s', parameters: [{ name: 'p', value: '1', type: 'INT' }], row_limit: 10 }),
  },
  { method: 'GET', path: (s) => `/api/2.0/sql/statements/${s.statement}/result/chunks/0`, body: () => ({}) },
  { method: 'POST', path: () => '/api/2.1/unity-catalog/catalogs', body: () => ({ name: 'fz_cat', comment: 'c' }) },
  { method: 'POST', path: () => '/api/2.1/unity-catalog/schemas', body: () => ({ name: 'fz_schema', catalog_name: 'main' }) },
  {
    method: 'POST',
    path: () => '/api/2.1/unity-catalog/tables',
    body: () => ({ name: 'fz_t', catalog_name: 'main', schema_name: 'default', table_type: 'MANAGED', data_source_format: 'DELTA', storage_location: 'x', columns: [{ name: 'a', type_text: 'int' }] }),
  },
  { method: 'GET', path: () => '/api/2.1/unity-catalog/tables', body: () => ({ catalog_name: 'main', schema_name: 'default', max_results: 1 }) },
  { method: 'POST', path: () => '/api/2.0/token/create', body: () => ({ comment: 'fz', lifetime_seconds: 600 }) },
  { method: 'POST', path: () => '/api/2.0/token/delete', body: () => ({ token_id: 'unknown' }) },
  { method: 'POST', path: () => '/api/2.0/token-management/on-behalf-of/tokens', body: () => ({ application_id: 'fz-app', comment: 'fz', lifetime_seconds: 600 }) },
  { method: 'GET', path: () => '/api/2.0/token-management/tokens', body: () => ({ created_by_username: 'admin@emulator.local', created_by_id: 1 }) },
  { method: 'PATCH', path: (s) => `/api/2.0/permissions/warehouses/${s.wh}`, body: () => ({ access_control_list: [{ user_name: 'admin@emulator.local', permission_level: 'CAN_USE' }] }) },
  { method: 'POST', path: () => '/api/2.0/instance-pools/create', body: () => ({ instance_pool_name: 'fz', node_type_id: 'i3.xlarge', max_capacity: 3 }) },
  { method: 'POST', path: () => '/api/2.0/libraries/install', body: (s) => ({ cluster_id: s.cluster, libraries: [{ pypi: { package: 'x' } }] }) },
  { method: 'POST', path: () => '/api/2.0/repos', body: () => ({ url: 'https://github.com/a/b.git', provider: 'gitHub' }) },
  { method: 'POST', path: () => '/api/2.0/sql/queries', body: (s) => ({ query: { display_name: 'q', query_text: 'SELECT 1', warehouse_id: s.wh } }) },
];

type Mutation = { kind: 'valid' } | { kind: 'drop'; index: number } | { kind: 'replace'; index: number; value: unknown } | { kind: 'whole'; value: unknown } | { kind: 'raw'; text: string };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>({ kind: 'valid' }),
  fc.nat(6).map((index): Mutation => ({ kind: 'drop', index })),
  fc.record({ index: fc.nat(6), value: fc.jsonValue({ maxDepth: 2 }) }).map((r): Mutation => ({ kind: 'replace', ...r })),
  fc.jsonValue({ maxDepth: 3 }).map((value): Mutation => ({ kind: 'whole', value })),
  fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('{', 'null', '[]', '{"statement": 1}')).map((text): Mutation => ({ kind: 'raw', text })),
);

function apply(body: Record<string, unknown>, m: Mutation): unknown {
  const keys = Object.keys(body);
  if (m.kind === 'valid') return body;
  if (m.kind === 'whole') return m.value;
  if (m.kind === 'raw') return m.text;
  if (keys.length === 0) return body;
  const k = keys[m.index % keys.length]!;
  if (m.kind === 'drop') {
    const copy = { ...body };
    delete copy[k];
    return copy;
  }
  return { ...body, [k]: m.value };
}

const toQuery = (v: unknown) =>
  v !== null && typeof v === 'object' && !Array.isArray(v)
    ? new URLSearchParams(Object.entries(v).map(([k, x]): [string, string] => [k, typeof x === 'string' ? x : (JSON.stringify(x) ?? '')])).toString()
    : `v=${encodeURIComponent(JSON.stringify(v) ?? '')}`;

let ctx: Awaited<ReturnType<typeof emulator>>;
let seeded: Seeded;
beforeAll(async () => {
  ctx = await emulator({ speed: 0, oauthClients: [{ clientId: 'fz-app', clientSecret: 'fz-app-secret-1' }] });
  const wh = await warehouse(ctx.call, 'seed');
  const cluster = (await ctx.call('POST', '/api/2.1/clusters/create', { spark_version: '15.4.x-scala2.12', node_type_id: 'i3.xlarge', num_workers: 1 })).body.cluster_id as string;
  ctx.emu.clock.advance(10 * 60_000);
  ctx.emu.tick();
  const st = await ctx.call('POST', '/api/2.0/sql/statements', { warehouse_id: wh, statement: 'SELECT 1', wait_timeout: '5s' });
  seeded = { wh, cluster, statement: st.body.statement_id as string };
});
afterAll(() => ctx.emu.close());

async function fingerprint(): Promise<string> {
  const state = (await (await fetch(`${ctx.emu.url}/_emulator/state`)).json()) as Record<string, unknown>;
  delete state.virtual_time;
  const catalogs = (await ctx.call('GET', '/api/2.1/unity-catalog/catalogs')).body.catalogs as { name: string }[];
  const tree: unknown[] = [];
  for (const c of catalogs) {
    const schemas = (await ctx.call('GET', `/api/2.1/unity-catalog/schemas?catalog_name=${c.name}`)).body.schemas as { name: string }[];
    for (const s of schemas) tree.push([c.name, s.name, (await ctx.call('GET', `/api/2.1/unity-catalog/tables?catalog_name=${c.name}&schema_name=${s.name}&omit_columns=true`)).body.tables?.map((t: { name: string }) => t.name)]);
  }
  return JSON.stringify([state, tree]);
}

describe('fuzzing the part-2 endpoints', () => {
  it('never crashes, always answers a real error body, and changes nothing on rejection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(endpoints.length - 1), mutation, fc.constantFrom<string | undefined>('application/json', 'text/plain', undefined), async (i, m, contentType) => {
        const ep = endpoints[i]!;
        const payload = apply(ep.body(seeded), m);
        const before = await fingerprint();
        const path = ep.path(seeded);
        const url = ep.method === 'GET' ? `${ctx.emu.url}${path}?${typeof payload === 'string' ? payload : toQuery(payload)}` : `${ctx.emu.url}${path}`;
        const res = await fetch(url, {
          method: ep.method,
          headers: { authorization: `Bearer ${ctx.emu.token}`, ...(contentType ? { 'content-type': contentType } : {}) },
          ...(ep.method !== 'GET' ? { body: typeof payload === 'string' ? payload : JSON.stringify(payload) } : {}),
        });
        const text = await res.text();
        expect(res.status, text).toBeLessThan(500);
        if (res.status >= 400) {
          const body = JSON.parse(text) as Record<string, unknown>;
          expect(typeof body.error_code, text).toBe('string');
          expect(typeof body.message === 'string' && body.message.length > 0, text).toBe(true);
          expect(await fingerprint(), `${ep.method} ${path} ${text}`).toBe(before);
        }
      }),
      { numRuns: 150, seed: 5 },
    );
    expect((await ctx.call('GET', `/api/2.0/sql/warehouses/${seeded.wh}`)).status).toBe(200);
  }, 120_000);
});
