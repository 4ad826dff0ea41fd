/**
 * Quick crash run (the full matrix, with provisioning sagas, is `npm run chaos`): three pipelines on a
 * real dev server with the worker as a child process. The worker is SIGKILLed between two cluster polls and when a pipeline
 * reaches its run wait, and the dev server is SIGKILLed and restarted on its SQLite file in between.
 * Mid-activity kills (and sagas, which keep some activity in flight almost all the time) cost a
 * startToClose timeout (minutes) each, so they stay in the full matrix.
 */
import { describe, expect, it } from 'vitest';
import { crashScenario } from '../../chaos/scenarios/crash.js';

describe('crash recovery (quick)', () => {
  it('pipelines survive worker SIGKILLs and a dev-server restart: each ends as planned, no duplicate, no leak', async () => {
    const f = await crashScenario({
      seed: 7,
      pipelines: 3,
      kinds: ['ok', 'task-failed', 'ok'],
      speed: 30,
      timeoutMs: 8 * 60_000,
      kills: [
        { kind: 'after-call', method: 'GET', path: /\/clusters\/get$/, nth: 2, delayMs: 400, label: 'between cluster polls' },
        { kind: 'server', afterCall: { method: 'GET', path: /\/clusters\/get$/, nth: 6 }, label: 'dev server SIGKILL' },
        { kind: 'step', step: 'wait', label: 'run wait' },
      ],
    });
    expect(f.problems).toEqual([]);
    expect(f.crashes).toBeGreaterThanOrEqual(2);
    expect(f.asExpected).toBe(3);
    expect(f.duplicates).toBe(0);
    expect(f.leaks).toBe(0);
  }, 9 * 60_000);
});
