import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDevServer } from '../../../src/dev/dev-server.js';
import { freePort } from '../../../src/dev/ports.js';
import { temporalCliPath } from '../../support/temporal.js';

/**
 * The real temporal CLI behind a wrapper that crashes on its first start (as a port race at
 * start-up does: a Go panic, exit 2) and runs the real server from then on.
 */
function crashOnceWrapper(): { path: string; crashed: () => boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'dev-server-retry-'));
  const marker = join(dir, 'crashed-once');
  const path = join(dir, 'temporal');
  writeFileSync(path, `#!/bin/sh\nif [ ! -e '${marker}' ]; then touch '${marker}'; echo 'panic: listen tcp: bind: address already in use' >&2; exit 2; fi\nexec '${temporalCliPath()}' "$@"\n`);
  chmodSync(path, 0o755);
  return { path, crashed: () => existsSync(marker) };
}

describe('startDevServer with a server that crashes at start-up', () => {
  it('starts it once more and returns the running server', async () => {
    const wrapper = crashOnceWrapper();
    const server = await startDevServer({ binary: { path: wrapper.path, source: 'env', detail: 'test wrapper' }, port: await freePort(), uiPort: await freePort(), extraArgs: ['--headless'] });
    try {
      expect(wrapper.crashed()).toBe(true);
      expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(server.pid).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  }, 90_000);
});
