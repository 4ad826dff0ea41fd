import { describe, expect, it } from 'vitest';
import { NotFoundError, PermissionDeniedError, ValidationError, type DatabricksError } from '../../../src/databricks/index.js';
import { useEmulator } from './emulator.js';

const ctx = useEmulator();
const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as DatabricksError,
  );
const PASSWORD = 'client-test-password-77';

describe('notification destinations client against the emulator', () => {
  it('create, get, update, list across pages and delete', async () => {
    const nd = ctx.client.notificationDestinations;
    const hook = await nd.create({ display_name: 'receiver', config: { generic_webhook: { url: 'https://example.test/hook', username: 'databricks', password: PASSWORD } } });
    expect(hook).toEqual({ id: expect.any(String), display_name: 'receiver', destination_type: 'WEBHOOK', config: { generic_webhook: { url_set: true, username_set: true, password_set: true } } });
    expect(await nd.get({ id: hook.id })).toEqual(hook);

    const updated = await nd.update({ id: hook.id, display_name: 'receiver 2', config: { generic_webhook: { password: '' } } });
    expect(updated).toEqual({ ...hook, display_name: 'receiver 2', config: { generic_webhook: { url_set: true, username_set: true, password_set: false } } });

    const mails = [];
    for (let i = 0; i < 4; i++) mails.push(await nd.create({ display_name: `mail ${i}`, config: { email: { addresses: [`u${i}@example.test`] } } }));
    const creates = ctx.events.filter((e) => e.operation === 'notificationDestinations.list').length;
    const listed = await nd.list({ page_size: 2 }).toArray();
    expect(listed).toEqual([hook, ...mails].map((d) => ({ id: d.id, display_name: d.id === hook.id ? 'receiver 2' : d.display_name, destination_type: d.destination_type })));
    // Five destinations in pages of two: three requests.
    expect(ctx.events.filter((e) => e.operation === 'notificationDestinations.list').length - creates).toBe(3);
    expect(await nd.list({ page_size: 2, limit: 3 }).toArray()).toEqual(listed.slice(0, 3));

    await nd.delete({ id: hook.id });
    expect(await fail(nd.get({ id: hook.id }))).toBeInstanceOf(NotFoundError);
    expect((await nd.list().toArray()).map((d) => d.id)).toEqual(mails.map((m) => m.id));
  });

  it('a non-admin is refused writes and sees no config; bad input is a ValidationError before anything is sent', async () => {
    const nd = ctx.client.notificationDestinations;
    const created = await nd.create({ display_name: 'pd', config: { pagerduty: { integration_key: 'pd-key-123456' } } });
    const user = ctx.makeClient({ token: 'dapi-integration-user-2' }).notificationDestinations;
    expect(await user.get({ id: created.id })).toEqual({ id: created.id, display_name: 'pd', destination_type: 'PAGERDUTY' });
    const denied = await fail(user.create({ display_name: 'x', config: { email: { addresses: ['a@b.c'] } } }));
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect(denied.message).toContain('Only workspace admins can create notification destinations.');

    const sent = ctx.events.length;
    const cases: [() => Promise<unknown>, string][] = [
      [() => nd.create({ display_name: 'x', config: {} }), 'config'],
      [() => nd.create({ display_name: 'x', config: { slack: { url: 'https://hooks.example.test/a' }, email: { addresses: ['a@b.c'] } } }), 'config'],
      [() => nd.create({ display_name: '', config: { email: { addresses: ['a@b.c'] } } }), 'display_name'],
      [() => nd.update({ id: created.id }), 'display_name'],
      [() => nd.get({ id: '' }), 'id'],
      [async () => nd.list({ page_size: 0 }).toArray(), 'page_size'],
    ];
    for (const [call, argument] of cases) {
      const e = await fail(call());
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).argument).toBe(argument);
    }
    expect(ctx.events.length).toBe(sent);
  });

  it('a server error that echoes a secret from the request has it scrubbed from the error', async () => {
    ctx.emu.faults.add({ method: 'PATCH', path_regex: '^/api/2.0/notification-destinations/', action: 'respond', status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: `bad url https://example.test/${PASSWORD}` }, times: 1 });
    const nd = ctx.client.notificationDestinations;
    const { id } = await nd.create({ display_name: 'x', config: { slack: { url: 'https://example.test/slack' } } });
    const e = await fail(nd.update({ id, config: { slack: { url: `https://example.test/${PASSWORD}` } } }));
    expect(e.status).toBe(400);
    expect(e.message).toContain('bad url [REDACTED]');
    expect(e.message).not.toContain(PASSWORD);
  });

  it('create is not retried after the connection drops once the destination exists (it is not idempotent)', async () => {
    const nd = ctx.client.notificationDestinations;
    const before = (await nd.list().toArray()).length;
    ctx.emu.faults.add({ method: 'POST', path: '/api/2.0/notification-destinations', action: 'drop_after_apply', times: 1 });
    const attempts = ctx.events.length;
    await fail(nd.create({ display_name: 'once', config: { email: { addresses: ['a@b.c'] } } }));
    expect(ctx.events.length - attempts).toBe(1);
    expect((await nd.list().toArray()).filter((d) => d.display_name === 'once')).toHaveLength(1);
    expect(await nd.list().toArray()).toHaveLength(before + 1);
  });
});
