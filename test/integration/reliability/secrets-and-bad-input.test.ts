/**
 * Secrets (canaries through a run with failures, encrypted history) and bad input end to end
 * (invalid specs through the client and the CLI start nothing and call nothing).
 */
import { describe, expect, it } from 'vitest';
import { badInputScenario } from '../../chaos/scenarios/bad-input.js';
import { countHits, secretsScenario } from '../../chaos/scenarios/secrets.js';

describe('secrets', () => {
  it('the canary search finds a canary in any of the forms it looks for', () => {
    const canary = 'canary-self-check-1234';
    expect(countHits(`a ${canary} b`, [canary])).toBe(1);
    expect(countHits(`a b`, [canary])).toBe(0);
    expect(countHits(`x${Buffer.from(canary).toString('base64')}x ${encodeURIComponent(canary)}`, [canary])).toBe(2);
  });

  it('no canary in histories, worker log, CLI output or errors; history payloads and failures encrypted', async () => {
    const f = await secretsScenario({ seed: 21 });
    expect(f.problems).toEqual([]);
    expect(f.canaryHits).toBe(0);
    expect(f.workflows).toBeGreaterThanOrEqual(10);
  }, 240_000);
});

describe('bad input end to end', () => {
  it('invalid specs through startPipeline and the CLI: all refused, no workflow, zero API calls', async () => {
    const f = await badInputScenario({ specs: 60, cli: 1, seed: 99 });
    expect(f.problems).toEqual([]);
    expect(f.badInputsTried).toBe(61);
    expect(f.badInputsRejected).toBe(61);
    expect(f.apiCalls).toBe(0);
  }, 180_000);
});
