import { describe, expect, it } from 'vitest';
import { acrossRestart, useAdminAndUser } from './helpers.js';

/** Global init scripts on the wire: admin only, Base64 bodies up to 64 KB, positions that shift. */

const G = '/api/2.0/global-init-scripts';
const b64 = (s: string) => Buffer.from(s).toString('base64');
type Details = { script_id: string; name: string; position: number; enabled: boolean; created_at: number; created_by: string; updated_at: number; updated_by: string; script?: string };

describe('global init scripts', () => {
  const ctx = useAdminAndUser({ tokens: ['dapi-admin', 'dapi-user1'] });
  const create = async (body: Record<string, unknown>) => {
    const r = await ctx.admin.post<{ script_id: string }>(G, body);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.script_id;
  };
  const order = async () => ((await ctx.admin.get<{ scripts?: Details[] }>(G)).body.scripts ?? []).map((s) => [s.name, s.position]);

  it('create, get (with the Base64 body), list (without it), update and delete; enabled defaults to false', async () => {
    const id = await create({ name: 'hello', script: b64('#!/bin/bash\necho hello\n') });
    expect(id).toMatch(/^[0-9A-F]{16}$/);
    const got = await ctx.admin.get<Details>(`${G}/${id}`);
    expect(got.body).toEqual({
      script_id: id,
      name: 'hello',
      script: b64('#!/bin/bash\necho hello\n'),
      position: 0,
      enabled: false,
      created_at: expect.any(Number),
      created_by: 'admin@emulator.local',
      updated_at: expect.any(Number),
      updated_by: 'admin@emulator.local',
    });
    const { script: _s, ...listed } = got.body;
    expect((await ctx.admin.get(G)).body).toEqual({ scripts: [listed] });

    const upd = await ctx.admin.call('PATCH', `${G}/${id}`, { name: 'hello-2', script: b64('echo 2'), enabled: true });
    expect({ status: upd.status, body: upd.body }).toEqual({ status: 200, body: {} });
    expect((await ctx.admin.get<Details>(`${G}/${id}`)).body).toMatchObject({ name: 'hello-2', script: b64('echo 2'), enabled: true, position: 0 });
    // Update needs name and script, as the API spec (and every SDK) has it; a refused update changes nothing.
    const partial = await ctx.admin.call('PATCH', `${G}/${id}`, { enabled: false });
    expect({ status: partial.status, body: partial.body }).toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: name' } });
    expect((await ctx.admin.get<Details>(`${G}/${id}`)).body.enabled).toBe(true);

    expect((await ctx.admin.call('DELETE', `${G}/${id}`)).status).toBe(200);
    const gone = await ctx.admin.get(`${G}/${id}`);
    expect({ status: gone.status, body: gone.body }).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `The global init script with ID ${id} does not exist.` } });
    expect((await ctx.admin.call('DELETE', `${G}/${id}`)).status).toBe(404);
    expect((await ctx.admin.get(G)).body).toEqual({});
  });

  it('positions: omitted or past the end means last; a taken one shifts the rest; deleting closes the gap', async () => {
    const a = await create({ name: 'a', script: b64('a') });
    await create({ name: 'b', script: b64('b') });
    await create({ name: 'c', script: b64('c'), position: 99 });
    expect(await order()).toEqual([['a', 0], ['b', 1], ['c', 2]]);
    await create({ name: 'first', script: b64('f'), position: 0 });
    await create({ name: 'mid', script: b64('m'), position: 2 });
    expect(await order()).toEqual([['first', 0], ['a', 1], ['mid', 2], ['b', 3], ['c', 4]]);
    // Moving one to the end: any position at or past the last.
    await ctx.admin.call('PATCH', `${G}/${a}`, { name: 'a', script: b64('a'), position: 4 });
    expect(await order()).toEqual([['first', 0], ['mid', 1], ['b', 2], ['c', 3], ['a', 4]]);
    await ctx.admin.call('DELETE', `${G}/${a}`);
    const [first] = ((await ctx.admin.get<{ scripts: Details[] }>(G)).body.scripts ?? []).map((s) => s.script_id);
    await ctx.admin.call('PATCH', `${G}/${first}`, { name: 'first', script: b64('f'), position: 1 });
    expect(await order()).toEqual([['mid', 0], ['first', 1], ['b', 2], ['c', 3]]);
    const negative = await ctx.admin.post(G, { name: 'neg', script: b64('n'), position: -1 });
    expect(negative.status).toBe(400);
  });

  it('the script must be Base64 of at most 64 KB; name and script are required; a refusal changes nothing', async () => {
    const at = (body: Record<string, unknown>) => ctx.admin.post(G, body);
    const limit = await at({ name: 'big', script: Buffer.alloc(64 * 1024, 'x').toString('base64') });
    expect(limit.status).toBe(200);
    const tooBig = await at({ name: 'bigger', script: Buffer.alloc(64 * 1024 + 1, 'x').toString('base64') });
    expect({ status: tooBig.status, body: tooBig.body }).toEqual({
      status: 400,
      body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid value for field script: the script is 65537 bytes; a global init script may be at most 65536 bytes' },
    });
    const notB64 = await at({ name: 'plain', script: 'echo hello' });
    expect(notB64.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid value for field script: must be Base64-encoded content' });
    expect((await at({ script: b64('x') })).body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: name' });
    expect((await at({ name: 'x' })).body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: script' });
    expect(await order()).toEqual([['big', 0]]);
  });

  it('admins only, for every verb', async () => {
    const id = await create({ name: 'guarded', script: b64('x'), enabled: true });
    const calls = [
      ['POST', G, { name: 'mine', script: b64('x') }],
      ['GET', G, undefined],
      ['GET', `${G}/${id}`, undefined],
      ['PATCH', `${G}/${id}`, { name: 'mine', script: b64('x') }],
      ['DELETE', `${G}/${id}`, undefined],
    ] as const;
    for (const [method, path, body] of calls) {
      const r = await ctx.user.call(method, path, body);
      expect({ method, path, status: r.status, body: r.body }).toEqual({
        method,
        path,
        status: 403,
        body: { error_code: 'PERMISSION_DENIED', message: 'Only workspace admins can manage global init scripts.' },
      });
    }
    expect(await order()).toEqual([['guarded', 0]]);
  });

  it('survive a restart with a data dir, in order', async () => {
    let before: unknown;
    const after = await acrossRestart(
      async (api) => {
        await api.post(G, { name: 'one', script: b64('1'), enabled: true });
        await api.post(G, { name: 'zero', script: b64('0'), position: 0 });
        before = (await api.get(G)).body;
      },
      async (api) => (await api.get(G)).body,
    );
    expect(after).toEqual(before);
    expect(JSON.stringify(after)).toMatch(/"zero".*"one"/);
  });
});
