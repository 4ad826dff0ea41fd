import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../src/emulator/index.js';
import { expectErrorShape, TestClient, useAdminAndUser } from './helpers.js';

/**
 * Notification Destinations (`/api/2.0/notification-destinations`): admins create, update and delete;
 * everyone lists and gets, but only admins see a config; secrets (URLs, webhook credentials, the
 * PagerDuty key) are never answered back, only whether they are set.
 */
const OPTIONS = { speed: Infinity, seed: 7, rateLimitPerSecond: 0, tokens: ['dapi-admin', 'dapi-user1'] };
const ND = '/api/2.0/notification-destinations';
const SECRETS = ['s3cr3t-pass', 'hooks.slack.test/T000/B000/XXXX', 'pd-key-0001', 'teams.test/webhookb2'];

interface Destination {
  id: string;
  display_name: string;
  destination_type: string;
  config?: Record<string, Record<string, unknown>>;
}

const ctx = useAdminAndUser(OPTIONS);

const create = (body: Record<string, unknown>, as = ctx.admin) => as.post<Destination>(ND, body);
const patch = (id: string, body: Record<string, unknown>, as = ctx.admin) => as.call<Destination>('PATCH', `${ND}/${id}`, body);
const stored = () => (ctx.emu.snapshot().services as Record<string, { destinations: unknown[] }>)['notification-destinations']!;
/** The service's whole state, secrets included, to show that a refused request changed nothing. */
const state = () => JSON.stringify(stored().destinations);

describe('notification destinations: each config type', () => {
  const cases: [Record<string, unknown>, string, Record<string, unknown>][] = [
    [{ generic_webhook: { url: 'https://example.test/hook', username: 'durabricks', password: 's3cr3t-pass' } }, 'WEBHOOK', { generic_webhook: { url_set: true, username_set: true, password_set: true } }],
    [{ generic_webhook: { url: 'http://127.0.0.1:9/hook' } }, 'WEBHOOK', { generic_webhook: { url_set: true, username_set: false, password_set: false } }],
    [{ slack: { url: 'https://hooks.slack.test/T000/B000/XXXX' } }, 'SLACK', { slack: { url_set: true } }],
    [{ microsoft_teams: { url: 'https://teams.test/webhookb2/abc' } }, 'MICROSOFT_TEAMS', { microsoft_teams: { url_set: true } }],
    [{ pagerduty: { integration_key: 'pd-key-0001' } }, 'PAGERDUTY', { pagerduty: { integration_key_set: true } }],
    [{ email: { addresses: ['ops@example.test', 'oncall@example.test'] } }, 'EMAIL', { email: { addresses: ['ops@example.test', 'oncall@example.test'] } }],
  ];
  it.each(cases)('create %j answers type %s and a config without secrets; get answers the same', async (config, type, shown) => {
    const created = await create({ display_name: `dest ${type}`, config });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), display_name: `dest ${type}`, destination_type: type, config: shown });
    const got = await ctx.admin.get<Destination>(`${ND}/${created.body.id}`);
    expect(got.body).toEqual(created.body);
    for (const s of SECRETS) expect(JSON.stringify([created.body, got.body])).not.toContain(s);
  });

  it('a non-admin gets and lists destinations without their config, and cannot create, update or delete', async () => {
    const { body } = await create({ display_name: 'hook', config: { generic_webhook: { url: 'https://example.test/h' } } });
    expect((await ctx.user.get(`${ND}/${body.id}`)).body).toEqual({ id: body.id, display_name: 'hook', destination_type: 'WEBHOOK' });
    expect((await ctx.user.get(ND)).body).toEqual({ results: [{ id: body.id, display_name: 'hook', destination_type: 'WEBHOOK' }] });
    const before = state();
    for (const r of [
      await create({ display_name: 'x', config: { email: { addresses: ['a@b.c'] } } }, ctx.user),
      await patch(body.id, { display_name: 'renamed' }, ctx.user),
      await ctx.user.call('DELETE', `${ND}/${body.id}`),
    ]) {
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ error_code: 'PERMISSION_DENIED', message: expect.stringMatching(/^Only workspace admins can (create|update|delete) notification destinations\.$/) });
    }
    expect(state()).toBe(before);
  });
});

describe('notification destinations: list paging', () => {
  it('pages with page_size and page_token in creation order; a token it did not mint is a 400', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create({ display_name: `d${i}`, config: { email: { addresses: [`u${i}@example.test`] } } })).body.id);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const { body } = await ctx.admin.get<{ results?: Destination[]; next_page_token?: string }>(ND, { page_size: 2, ...(token ? { page_token: token } : {}) });
      expect(body.results!.length).toBeLessThanOrEqual(2);
      for (const r of body.results!) {
        expect(r).toEqual({ id: r.id, display_name: expect.any(String), destination_type: 'EMAIL' });
        seen.push(r.id);
      }
      token = body.next_page_token;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
    expect((await ctx.admin.get<{ results: Destination[] }>(ND)).body.results.map((r) => r.id)).toEqual(ids);
    const bad = await ctx.admin.get(ND, { page_token: 'not-a-token' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid page token: not-a-token' });
    expect((await ctx.admin.get(ND, { page_size: -1 })).status).toBe(400);
  });

  it('an empty workspace lists nothing (results left out, no token)', async () => {
    expect((await ctx.admin.get(ND)).body).toEqual({});
  });
});

describe('notification destinations: update and delete', () => {
  it('PATCH renames, and changes only the config fields it sends (secrets keep their value unless replaced)', async () => {
    const { body } = await create({ display_name: 'hook', config: { generic_webhook: { url: 'https://example.test/a', username: 'u', password: 's3cr3t-pass' } } });
    const renamed = await patch(body.id, { display_name: 'renamed' });
    expect(renamed.body).toEqual({ ...body, display_name: 'renamed' });
    const cleared = await patch(body.id, { config: { generic_webhook: { password: '' } } });
    expect(cleared.body.config).toEqual({ generic_webhook: { url_set: true, username_set: true, password_set: false } });
    expect(stored()).toMatchObject({ destinations: [{ id: body.id, display_name: 'renamed', config: { kind: 'generic_webhook', fields: { url: 'https://example.test/a', username: 'u', password: '' } } }] });
    const email = await create({ display_name: 'mail', config: { email: { addresses: ['a@example.test'] } } });
    expect((await patch(email.body.id, { config: { email: { addresses: ['b@example.test'] } } })).body.config).toEqual({ email: { addresses: ['b@example.test'] } });
  });

  it('DELETE removes the destination: get and a second delete are 404', async () => {
    const { body } = await create({ display_name: 'gone', config: { pagerduty: { integration_key: 'pd-key-0001' } } });
    expect((await ctx.admin.call('DELETE', `${ND}/${body.id}`)).body).toEqual({});
    for (const r of [await ctx.admin.get(`${ND}/${body.id}`), await ctx.admin.call('DELETE', `${ND}/${body.id}`), await patch(body.id, { display_name: 'x' })]) {
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Notification destination ${body.id} does not exist.` });
    }
  });
});

describe('notification destinations: bad requests change nothing', () => {
  const ok = { generic_webhook: { url: 'https://example.test/hook', password: 's3cr3t-pass' } };
  const badCreates: [string, Record<string, unknown>, string][] = [
    ['no display_name', { config: ok }, 'Missing required field: display_name'],
    ['empty display_name', { display_name: '', config: ok }, 'Invalid value for field display_name: must not be empty'],
    ['no config', { display_name: 'x' }, 'Missing required field: config'],
    ['an empty config', { display_name: 'x', config: {} }, 'config must wrap exactly one of generic_webhook, slack, microsoft_teams, pagerduty, email; got none.'],
    ['two configs', { display_name: 'x', config: { ...ok, slack: { url: 'https://hooks.slack.test/T000/B000/XXXX' } } }, 'config must wrap exactly one of generic_webhook, slack, microsoft_teams, pagerduty, email; got generic_webhook, slack.'],
    ['a webhook without url', { display_name: 'x', config: { generic_webhook: { password: 's3cr3t-pass' } } }, 'Missing required field: config.generic_webhook.url'],
    ['a slack url that is not a URL', { display_name: 'x', config: { slack: { url: 'hooks.slack.test/T000/B000/XXXX' } } }, 'Invalid value for field config.slack.url: must be an http(s) URL'],
    ['a non-string password', { display_name: 'x', config: { generic_webhook: { url: 'https://example.test/h', password: 42 } } }, 'Invalid value for field config.generic_webhook.password: expected string, got number.'],
    ['an empty integration key', { display_name: 'x', config: { pagerduty: { integration_key: '' } } }, 'Invalid value for field config.pagerduty.integration_key: must not be empty'],
    ['no email addresses', { display_name: 'x', config: { email: { addresses: [] } } }, 'Invalid value for field config.email.addresses: must name at least one address'],
    ['a bad email address', { display_name: 'x', config: { email: { addresses: ['ops@example.test', 'nobody'] } } }, 'Invalid value for field config.email.addresses[1]: must be an email address'],
  ];
  it.each(badCreates)('create with %s is a 400 naming the problem', async (_name, body, message) => {
    const before = state();
    const r = await create(body);
    expect(r.status).toBe(400);
    expectErrorShape(r.body as unknown as Record<string, unknown>);
    expect(r.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message });
    for (const s of SECRETS) expect(JSON.stringify(r.body)).not.toContain(s);
    expect(state()).toBe(before);
  });

  it('an update that changes the type, sends nothing, or a bad value is a 400 and changes nothing', async () => {
    const { body } = await create({ display_name: 'hook', config: ok });
    const before = state();
    const cases: [Record<string, unknown>, string][] = [
      [{ config: { slack: { url: 'https://hooks.slack.test/T000/B000/XXXX' } } }, `The type of a notification destination cannot change: ${body.id} is WEBHOOK, the update gives SLACK.`],
      [{}, 'At least one of display_name and config must be given.'],
      [{ display_name: 'renamed', config: { generic_webhook: { url: 'ftp://example.test/x' } } }, 'Invalid value for field config.generic_webhook.url: must be an http(s) URL'],
      [{ display_name: 'renamed', config: { generic_webhook: {}, email: { addresses: ['a@b.c'] } } }, 'config must wrap exactly one of generic_webhook, slack, microsoft_teams, pagerduty, email; got generic_webhook, email.'],
    ];
    for (const [update, message] of cases) {
      const r = await patch(body.id, update);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message });
    }
    expect(state()).toBe(before);
  });
});

describe('notification destinations: random bodies', () => {
  const value = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.integer(), fc.constant(''), fc.constant('https://example.test/r'), fc.array(fc.oneof(fc.string(), fc.constant('a@b.c')), { maxLength: 2 }));
  const config = fc.dictionary(fc.constantFrom('generic_webhook', 'slack', 'microsoft_teams', 'pagerduty', 'email', 'other'), fc.oneof(value, fc.record({ url: value, username: value, password: value, integration_key: value, addresses: value }, { requiredKeys: [] })), { maxKeys: 3 });
  it('never fail with a 500: a 200 creates exactly one destination, a 400 changes nothing', async () => {
    const { id } = (await create({ display_name: 'target', config: { email: { addresses: ['a@example.test'] } } })).body;
    await fc.assert(
      fc.asyncProperty(fc.record({ display_name: value, config: fc.oneof(config, value) }, { requiredKeys: [] }), fc.boolean(), async (body, update) => {
        const before = stored().destinations.length;
        const beforeState = state();
        const r = update ? await patch(id, body) : await create(body);
        expect([200, 400]).toContain(r.status);
        if (r.status === 400) {
          expectErrorShape(r.body as unknown as Record<string, unknown>);
          expect(state()).toBe(beforeState);
        } else {
          expect(stored().destinations.length).toBe(update ? before : before + 1);
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});

describe('notification destinations: persistence and reset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emu-notif-dest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('destinations survive a restart with --data-dir (secrets kept for delivery, still not answered); /_emulator/reset clears them', async () => {
    let created: Destination;
    const first = await startEmulator({ ...OPTIONS, dataDir: dir });
    try {
      created = (await new TestClient(first, 'dapi-admin').post<Destination>(ND, { display_name: 'kept', config: { generic_webhook: { url: 'https://example.test/k', username: 'u', password: 's3cr3t-pass' } } })).body;
    } finally {
      await first.close();
    }
    const second = await startEmulator({ ...OPTIONS, dataDir: dir });
    try {
      const a = new TestClient(second, 'dapi-admin');
      expect((await a.get(`${ND}/${created.id}`)).body).toEqual(created);
      expect((await a.get(ND)).body).toEqual({ results: [{ id: created.id, display_name: 'kept', destination_type: 'WEBHOOK' }] });
      expect((await a.control('POST', '/reset')).status).toBe(200);
      expect((await a.get(ND)).body).toEqual({});
      expect((await a.get(`${ND}/${created.id}`)).status).toBe(404);
    } finally {
      await second.close();
    }
  });
});
