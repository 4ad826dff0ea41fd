import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emulator } from './client.js';

const dir = mkdtempSync(join(tmpdir(), 'emu-sql-persist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('with --data-dir', () => {
  it('tables, catalogs and saved warehouses survive a restart; reset still empties them', async () => {
    const oauthClients = [{ clientId: 'app', clientSecret: 'app-secret-1' }];
    const first = await emulator({ dataDir: dir, oauthClients });
    const oauth = await fetch(`${first.emu.url}/oidc/v1/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('app:app-secret-1').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=all-apis',
    });
    const accessToken = ((await oauth.json()) as { access_token: string }).access_token;
    const pat = (await first.call('POST', '/api/2.0/token/create', { comment: 'kept' })).body.token_value as string;
    const wh = (await first.call('POST', '/api/2.0/sql/warehouses', { name: 'p' })).body.id as string;
    await first.call('POST', '/api/2.1/unity-catalog/catalogs', { name: 'kept' });
    const r = await first.call('POST', '/api/2.0/sql/statements', { warehouse_id: wh, statement: 'CREATE TABLE kept.default.t AS SELECT 7 AS x', wait_timeout: '10s' });
    expect(r.body.status.state).toBe('SUCCEEDED');
    await first.emu.close();

    const second = await emulator({ dataDir: dir, oauthClients });
    try {
      // Issued credentials keep working across the restart.
      expect((await second.call('GET', '/api/2.0/token/list', undefined, pat)).status).toBe(200);
      expect((await second.call('GET', '/api/2.0/token/list', undefined, accessToken)).status).toBe(200);
      expect((await second.call('GET', `/api/2.0/sql/warehouses/${wh}`)).status).toBe(200);
      const q = await second.call('POST', '/api/2.0/sql/statements', { warehouse_id: wh, statement: 'SELECT x FROM kept.default.t', wait_timeout: '10s' });
      expect(q.body.result.data_array).toEqual([['7']]);
      await second.call('POST', '/_emulator/reset');
      expect((await second.call('GET', '/api/2.1/unity-catalog/catalogs/kept')).status).toBe(404);
    } finally {
      await second.emu.close();
    }
  });
});
