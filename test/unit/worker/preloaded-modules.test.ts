import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { PRELOADED_WORKFLOW_MODULES } from '../../../src/worker/create-worker.js';

/** What the SDK does to a preloaded module's exports before any workflow runs (reusable-vm.js). */
function deepFreeze(value: unknown, seen = new WeakSet<object>()): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
  seen.add(value);
  if (typeof value === 'object') for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key], seen);
  Object.freeze(value);
}

describe('modules preloaded into the shared workflow context', () => {
  it('export only functions and classes, so no schema object is frozen or shared by reference', async () => {
    for (const path of PRELOADED_WORKFLOW_MODULES) {
      const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
      const notFunctions = Object.entries(mod).filter(([, v]) => typeof v !== 'function').map(([k]) => k);
      expect(notFunctions, path).toEqual([]);
    }
  });

  it('still validate specs after their exports are deep-frozen as the SDK does', async () => {
    const pipeline = await import('../../../src/workflows/lib/pipeline-spec.js');
    const provision = await import('../../../src/workflows/lib/provision-spec.js');
    deepFreeze({ ...pipeline });
    deepFreeze({ ...provision });
    const example = parseYaml(readFileSync(new URL('../../../examples/daily-sales.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
    // content_file is resolved by the client before the spec reaches the workflow.
    const inline = { ...example, files: [] };
    for (let i = 0; i < 2; i++) {
      expect(pipeline.validatePipelineSpec(inline)).toMatchObject({ ok: true });
      expect(pipeline.validatePipelineSpec({ name: 7 })).toMatchObject({ ok: false, problems: expect.arrayContaining(['name: must be a string']) });
      expect(provision.validateProvisionSpec({})).toMatchObject({ ok: false });
    }
  });
});
