/** Storage credentials and external locations: wire shapes, paging and validation before sending. */
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/databricks/index.js';
import { harness, recordRequests as record, type Harness } from './helpers.js';

let h: Harness = undefined as unknown as Harness;
afterEach(async () => {
  await h?.agent.close();
  h = undefined as unknown as Harness;
});

const UC = '/api/2.1/unity-catalog';

describe('storage credentials and external locations on the wire', () => {
  it('storage credentials: create, get, update (PATCH by name), delete with force', async () => {
    h = harness();
    const seen = record(h, { name: 'cred' });
    const sp = { directory_id: 'd', application_id: 'a', client_secret: 'shh' };
    await h.client.storageCredentials.create({ name: 'cred', azure_service_principal: sp, read_only: true });
    await h.client.storageCredentials.get({ name: 'my cred' });
    await h.client.storageCredentials.update({ name: 'cred', new_name: 'cred2', comment: 'c' });
    await h.client.storageCredentials.delete({ name: 'cred2', force: true });
    await h.client.unityCatalog.storageCredentials.delete({ name: 'other' });
    expect(seen).toEqual([
      { method: 'POST', path: `${UC}/storage-credentials`, body: { name: 'cred', azure_service_principal: sp, read_only: true } },
      { method: 'GET', path: `${UC}/storage-credentials/my%20cred`, body: undefined },
      { method: 'PATCH', path: `${UC}/storage-credentials/cred`, body: { new_name: 'cred2', comment: 'c' } },
      { method: 'DELETE', path: `${UC}/storage-credentials/cred2?force=true`, body: undefined },
      { method: 'DELETE', path: `${UC}/storage-credentials/other`, body: undefined },
    ]);
  });

  it('external locations: the list follows next_page_token (an empty page with a token too) and asks for server-sized pages', async () => {
    h = harness();
    const seen = record(h, { external_locations: [{ name: 'a' }], next_page_token: 't1' }, { next_page_token: 't2' }, { external_locations: [{ name: 'b' }] });
    const names = (await h.client.externalLocations.list().toArray()).map((l) => l.name);
    expect(names).toEqual(['a', 'b']);
    expect(seen.map((s) => s.path)).toEqual([`${UC}/external-locations?max_results=0`, `${UC}/external-locations?max_results=0&page_token=t1`, `${UC}/external-locations?max_results=0&page_token=t2`]);
  });

  it('external locations: create and update bodies; bad arguments fail before anything is sent', async () => {
    h = harness();
    const seen = record(h, { name: 'land' });
    await h.client.externalLocations.create({ name: 'land', url: 's3://b/land', credential_name: 'cred', skip_validation: true });
    await h.client.externalLocations.update({ name: 'land', url: 's3://b/land2', force: true });
    expect(seen).toEqual([
      { method: 'POST', path: `${UC}/external-locations`, body: { name: 'land', url: 's3://b/land', credential_name: 'cred', skip_validation: true } },
      { method: 'PATCH', path: `${UC}/external-locations/land`, body: { url: 's3://b/land2', force: true } },
    ]);
    await expect(h.client.externalLocations.create({ name: 'x', url: 's3://b/x' } as never)).rejects.toMatchObject({ argument: 'credential_name' });
    await expect(h.client.storageCredentials.create({ name: 'x', azure_service_principal: { directory_id: 'd', application_id: 'a' } } as never)).rejects.toBeInstanceOf(ValidationError);
    expect(() => h.client.storageCredentials.list({ max_results: -1 })).toThrow(expect.objectContaining({ argument: 'max_results' }));
    expect(seen).toHaveLength(2);
  });
});
