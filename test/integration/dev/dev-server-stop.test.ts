import { describe, expect, it } from 'vitest';
import { startDevServer } from '../../../src/dev/dev-server.js';
import { freePort } from '../../../src/dev/ports.js';
import { temporalCliPath } from '../../support/temporal.js';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('RunningDevServer.stop', () => {
  it('leaves no timer behind once the server has exited, so the process can end at once', async () => {
    const server = await startDevServer({ binary: { path: temporalCliPath(), source: 'env', detail: 'test' }, port: await freePort(), uiPort: await freePort(), extraArgs: ['--headless'] });
    const before = timers();
    await server.stop();
    // The SIGKILL grace period (10 s) used to stay armed after a clean exit and hold the process open.
    expect(timers()).toBeLessThanOrEqual(before);
  }, 90_000);
});
