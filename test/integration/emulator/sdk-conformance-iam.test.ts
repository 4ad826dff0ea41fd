import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceClient } from '@databricks/sdk-experimental';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { sdkErrorOf } from './js-sdk-helpers.js';
import { startTestEmulator } from './helpers.js';
import { SCIM_ERRORS } from './sdk-conformance-shared.js';

/**
 * The official JS SDK (@databricks/sdk-experimental 0.17.0, unmodified) against the emulator's
 * SCIM identities: w.groupsV2, w.usersV2, w.servicePrincipalsV2 — the scenario of
 * python-sdk/conformance.py mode `iam_groups`. Where the SDK and the emulator disagree, the emulator
 * is wrong, except for three defects of this SDK version, asserted as what they are so a fixed SDK
 * shows up as a failing expectation here:
 * - `list` never advances `startIndex`: it re-requests the first page until one comes back empty,
 *   so any non-empty listing repeats forever (the Python SDK advances by the page length).
 * - PATCH bodies are never sent (the ApiClient serialises only POST/PUT), so `groupsV2.patch`
 *   arrives without `schemas`/`Operations` and is refused.
 * - SCIM error bodies (`{schemas, detail, status}`) fail its "needs error_code and message" check,
 *   so the SCIM branch of its parser is never reached: the error reads
 *   "Response from server (<status text>) <raw body>" with the status text as errorCode.
 */
describe('official Databricks JS SDK conformance: SCIM groups, users and service principals', () => {
  let emu: RunningEmulator;
  let w: WorkspaceClient;
  beforeAll(async () => {
    ({ emu } = await startTestEmulator({ oauthClients: [{ clientId: 'js-iam-app', clientSecret: 'js-iam-secret-123456' }] }));
    w = new WorkspaceClient({ host: emu.url, token: emu.token, authType: 'pat' });
  });
  afterAll(() => emu.close());
  afterEach(() => emu.reset());

  /** At most `n` items: the SDK's SCIM iterators would loop forever on a non-empty listing. */
  const take = async <T>(it: AsyncIterable<T>, n: number): Promise<T[]> => {
    const out: T[] = [];
    for await (const x of it) {
      out.push(x);
      if (out.length >= n) break;
    }
    return out;
  };

  it('groups: create, get, list (first page only, SDK bug), delete; users and service principals; SCIM errors', async () => {
    const [admin] = await take(w.usersV2.list({ filter: 'userName eq "admin@emulator.local"' }), 1);
    expect(admin?.userName).toBe('admin@emulator.local');
    const g = await w.groupsV2.create({ displayName: 'js-team', members: [{ value: admin!.id }], entitlements: [{ value: 'workspace-access' }] });
    expect(g).toMatchObject({ displayName: 'js-team', members: [{ value: admin!.id }], entitlements: [{ value: 'workspace-access' }] });
    expect((await w.groupsV2.get({ id: g.id! })).displayName).toBe('js-team');

    // One matching group, yet the iterator yields it again and again (startIndex is never advanced).
    const listed = await take(w.groupsV2.list({ filter: 'displayName eq "js-team"' }), 3);
    expect(listed.map((x) => x.id)).toEqual([g.id, g.id, g.id]);
    // An empty listing ends at once.
    expect(await take(w.groupsV2.list({ filter: 'displayName eq "nobody"' }), 3)).toEqual([]);
    expect((await take(w.servicePrincipalsV2.list({}), 5)).map((s) => s.applicationId)).toEqual(['js-iam-app', 'js-iam-app', 'js-iam-app', 'js-iam-app', 'js-iam-app']);

    const patched = await sdkErrorOf(w.groupsV2.patch({ id: g.id!, schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'remove', path: 'members' }] }));
    expect(patched.statusCode).toBe(400);
    expect(patched.message).toContain('Missing required field: schemas'); // the body never left the SDK

    const dup = await sdkErrorOf(w.groupsV2.create({ displayName: 'js-team' }));
    expect(dup.statusCode).toBe(409);
    expect(dup.errorCode).toBe('Conflict');
    expect(dup.message).toBe(`Response from server (Conflict) ${JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: SCIM_ERRORS.duplicate('js-team'), status: '409' })}`);

    const sp = await w.servicePrincipalsV2.create({ applicationId: 'js-bot', displayName: 'js bot' });
    expect(sp).toMatchObject({ applicationId: 'js-bot', displayName: 'js bot', active: true });
    await w.servicePrincipalsV2.delete({ id: sp.id! });
    await w.groupsV2.delete({ id: g.id! });
    const gone = await sdkErrorOf(w.groupsV2.get({ id: g.id! }));
    expect(gone.statusCode).toBe(404);
    expect(gone.message).toContain(SCIM_ERRORS.notFound);
  });
});
