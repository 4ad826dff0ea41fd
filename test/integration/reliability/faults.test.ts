/**
 * The fault matrix on a real dev server + emulator + in-process worker (same cases as
 * `npm run chaos`): each injected fault must end in its expected outcome.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultCases, faultRigOptions } from '../../chaos/scenarios/faults.js';
import { startRig, type Rig } from '../../chaos/lib/rig.js';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig(faultRigOptions());
});
afterAll(async () => {
  await rig?.close();
});

describe('fault matrix', () => {
  it.each(faultCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    rig.emu.faults.clear();
    rig.emu.reset();
    expect(await c.run(rig)).toEqual([]);
  }, 90_000);
});
