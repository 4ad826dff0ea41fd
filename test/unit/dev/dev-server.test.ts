import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DevServerStartError, startDevServer } from '../../../src/dev/dev-server.js';

/** A stand-in for the temporal binary that dies at start-up the way a Go panic does. */
function panickingBinary(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'dev-server-test-')), 'temporal');
  const stack = Array.from({ length: 40 }, (_, i) => `echo "\tgoroutine frame ${i} +0x${i}"`).join('\n');
  writeFileSync(path, `#!/bin/sh\necho "starting" \necho "panic: listen tcp 127.0.0.1:7234: bind: address already in use" >&2\n${stack}\nexit 2\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('startDevServer', () => {
  it('names the cause of a start-up crash, not only the last lines of its stack trace', async () => {
    const err = await startDevServer({ binary: { path: panickingBinary(), source: 'env', detail: 'test' }, readyTimeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DevServerStartError);
    const message = (err as Error).message;
    expect(message).toContain('exited during start-up (code 2)');
    // Started twice (a start-up crash can be a port race), and both attempts are reported.
    expect(message).toContain('second attempt');
    expect(message.match(/panic: listen tcp/g)).toHaveLength(2);
    expect(message).toContain('panic: listen tcp 127.0.0.1:7234: bind: address already in use');
    expect(message).toContain('goroutine frame 39');
    expect(message).not.toContain('goroutine frame 20');
  });
});
