import { describe, expect, it } from 'vitest';
import { FailureType } from '../../../src/common/activity-policies.js';
import { REDACTED } from '../../../src/activities/secret-refs.js';
import { DatabricksClient } from '../../../src/databricks/index.js';
import type { OAuthApi } from '../../../src/emulator/services/oauth/index.js';
import { mockEnv, rejection, useEmulatorActivities } from './helpers.js';

/**
 * Token management activities: the reads and delete are plain operations; the on-behalf-of create
 * never returns the token into workflow history (redacted; optionally stored in a secret scope).
 */
const SP = { clientId: 'act-sp-app', clientSecret: 'act-sp-secret-0123' };

describe('token management activities', () => {
  const ctx = useEmulatorActivities();
  const addSp = () => ctx.emu.service<OAuthApi>('oauth')!.addClient(SP);

  it('tokenManagementCreateOboToken stores the value in a secret and returns it redacted; the stored token acts as the SP', async () => {
    addSp();
    await ctx.client.secrets.createScope({ scope: 'obo' });
    const r = await mockEnv().exec(ctx.acts.tokenManagementCreateOboToken, { application_id: SP.clientId, comment: 'act', lifetime_seconds: 600, store_in: { scope: 'obo', key: 'sp' } });
    expect(r.token_value).toBe(REDACTED);
    expect(r.stored_in).toEqual({ scope: 'obo', key: 'sp' });
    expect(r.token_info).toMatchObject({ comment: 'act', created_by_username: 'admin@emulator.local' });

    const stored = Buffer.from((await ctx.client.secrets.get({ scope: 'obo', key: 'sp' })).value ?? '', 'base64').toString();
    expect(stored).toMatch(/^dapi/);
    // The value is in neither the result nor anything derived from it.
    expect(JSON.stringify(r)).not.toContain(stored);
    const asSp = new DatabricksClient({ host: ctx.emu.url, token: stored, env: {}, rateLimitPerSecond: 0 });
    try {
      expect((await asSp.tokens.list().toArray()).map((t) => t.token_id)).toEqual([r.token_info!.token_id]);
    } finally {
      await asSp.close();
    }

    const listed = await mockEnv().exec(ctx.acts.tokenManagementList, { created_by_username: 'admin@emulator.local' });
    expect(listed.map((t) => t.token_id)).toEqual([r.token_info!.token_id]);
    expect((await mockEnv().exec(ctx.acts.tokenManagementGet, { token_id: r.token_info!.token_id })).token_info).toEqual(r.token_info);
    await mockEnv().exec(ctx.acts.tokenManagementDelete, { token_id: r.token_info!.token_id });
    expect(await mockEnv().exec(ctx.acts.tokenManagementList, {})).toEqual([]);
  });

  it('an OBO token whose secret cannot be stored is deleted, not left live', async () => {
    addSp();
    const err = await rejection(mockEnv().exec(ctx.acts.tokenManagementCreateOboToken, { application_id: SP.clientId, comment: 'orphan', store_in: { scope: 'no-such-scope', key: 'k' } }));
    expect(err.type).toBe(FailureType.NotFound);
    expect(await ctx.client.tokenManagement.list().toArray()).toEqual([]);
    expect(ctx.events.map((e) => e.operation)).toEqual(['tokenManagement.createOboToken', 'secrets.put', 'tokenManagement.delete', 'tokenManagement.list']);
  });

  it('a create whose response is lost is OutcomeUnknown (no blind retry minting a second token); an unknown SP fails non-retryably', async () => {
    addSp();
    ctx.emu.faults.add({ action: 'drop_after_apply', method: 'POST', path: '/api/2.0/token-management/on-behalf-of/tokens', times: 1 });
    const lost = await rejection(mockEnv().exec(ctx.acts.tokenManagementCreateOboToken, { application_id: SP.clientId, lifetime_seconds: 60 }));
    expect(lost.type).toBe(FailureType.OutcomeUnknown);
    expect(lost.nonRetryable).toBe(true);
    expect(await ctx.client.tokenManagement.list().toArray()).toHaveLength(1);

    const unknown = await rejection(mockEnv().exec(ctx.acts.tokenManagementCreateOboToken, { application_id: 'no-such-app', lifetime_seconds: 60 }));
    expect(unknown.type).toBe(FailureType.NotFound);
    expect(unknown.nonRetryable).toBe(true);
  });
});
