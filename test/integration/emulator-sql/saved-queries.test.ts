import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulator } from './client.js';

let ctx: Awaited<ReturnType<typeof emulator>>;
beforeAll(async () => {
  ctx = await emulator({ speed: 0 });
});
afterAll(() => ctx.emu.close());

const Q = '/api/2.0/sql/queries';
const create = async (display_name: string, extra: Record<string, unknown> = {}) => {
  const r = await ctx.call('POST', Q, { query: { display_name, query_text: `SELECT '${display_name}'`, ...extra } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { id: string; [k: string]: unknown };
};

describe('saved queries (/api/2.0/sql/queries)', () => {
  it('keeps what was given (description too), starts ACTIVE and names its owner', async () => {
    const q = await create('kept', { description: 'daily totals', catalog: 'main', schema: 'default' });
    expect(q).toMatchObject({ display_name: 'kept', description: 'daily totals', catalog: 'main', schema: 'default', lifecycle_state: 'ACTIVE', owner_user_name: 'admin@emulator.local', last_modifier_user_name: 'admin@emulator.local' });
    expect((await ctx.call('GET', `${Q}/${q.id}`)).body).toEqual(q);
  });

  it('delete moves a query to the trash: still readable by id as TRASHED, gone from the list', async () => {
    const q = await create('to-trash');
    expect((await ctx.call('DELETE', `${Q}/${q.id}`)).status).toBe(200);
    expect((await ctx.call('GET', `${Q}/${q.id}`)).body).toMatchObject({ id: q.id, lifecycle_state: 'TRASHED' });
    const listed = (await ctx.call('GET', `${Q}?page_size=100`)).body.results as { id: string }[];
    expect(listed.map((r) => r.id)).not.toContain(q.id);
    expect((await ctx.call('GET', `${Q}/no-such-query`)).status).toBe(404);
  });

  it('lists ACTIVE queries by creation time in pages of page_size (default 20, at most 100)', async () => {
    for (let i = 0; i < 23; i++) await create(`page-${String(i).padStart(2, '0')}`);
    const first = (await ctx.call('GET', Q)).body as { results: { display_name: string }[]; next_page_token?: string };
    expect(first.results).toHaveLength(20);
    expect(first.next_page_token).toBeDefined();
    const second = (await ctx.call('GET', `${Q}?page_token=${first.next_page_token}`)).body as { results: { display_name: string }[]; next_page_token?: string };
    const names = [...first.results, ...second.results].map((r) => r.display_name).filter((n) => n.startsWith('page-'));
    expect(names).toEqual(Array.from({ length: 23 }, (_, i) => `page-${String(i).padStart(2, '0')}`));
    expect(second.next_page_token).toBeUndefined();
    const tooBig = await ctx.call('GET', `${Q}?page_size=101`);
    expect([tooBig.status, tooBig.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect((await ctx.call('GET', `${Q}?page_token=forged`)).status).toBe(400);
  });

  it('update changes the fields its update_mask names, and only those; bad masks change nothing', async () => {
    const q = await create('before', { description: 'old', warehouse_id: 'w1' });
    const r = await ctx.call('PATCH', `${Q}/${q.id}`, { update_mask: 'query_text,description', query: { query_text: 'SELECT 2', display_name: 'ignored' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ display_name: 'before', query_text: 'SELECT 2', warehouse_id: 'w1' });
    expect(r.body.description).toBeUndefined();
    const bad = await ctx.call('PATCH', `${Q}/${q.id}`, { update_mask: 'owner_user_name', query: {} });
    expect([bad.status, bad.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const emptied = await ctx.call('PATCH', `${Q}/${q.id}`, { update_mask: 'query_text', query: {} });
    expect(emptied.status).toBe(400);
    expect((await ctx.call('GET', `${Q}/${q.id}`)).body).toMatchObject({ query_text: 'SELECT 2', display_name: 'before' });
  });
});
