/**
 * Bad input end to end: invalid pipeline specs through the client (`startPipeline`) and the CLI
 * (`durabricks run <file>`), with a worker polling and the emulator watching. Every spec must be
 * refused with its problems listed, no workflow may exist afterwards, and the emulator must have
 * received zero API calls.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { WorkflowNotFoundError } from '@temporalio/client';
import { startPipeline } from '../../../src/client/pipelines.js';
import { InvalidPipelineSpecError } from '../../../src/workflows/lib/pipeline-spec.js';
import { badSpec } from '../../property/bad-input-cases.js';
import { runCli } from '../lib/cli.js';
import { emptyFigures, type ScenarioFigures } from '../lib/figures.js';
import { startRig } from '../lib/rig.js';

export interface BadInputOptions {
  /** Specs through startPipeline. */
  specs: number;
  /** Of those, how many also through the CLI (each CLI run is a process start). */
  cli: number;
  seed?: number;
  log?: (line: string) => void;
}

export async function badInputScenario(o: BadInputOptions): Promise<ScenarioFigures> {
  const started = Date.now();
  const seed = o.seed ?? 1234;
  const f = emptyFigures('bad input (client + CLI)', seed);
  const rig = await startRig({ speed: Infinity, seed });
  try {
    const samples = fc.sample(badSpec, { numRuns: o.specs, seed });
    const ids: string[] = [];
    for (const [i, broken] of samples.entries()) {
      const workflowId = `bad-input-${seed}-${i}`;
      ids.push(workflowId);
      f.badInputsTried++;
      try {
        await startPipeline(rig.env.client, broken[0]!.spec, { taskQueue: rig.taskQueue, workflowId });
        f.problems.push(`startPipeline accepted a spec that breaks: ${broken.map((b) => b.rule).join(', ')}`);
      } catch (err) {
        if (!(err instanceof InvalidPipelineSpecError)) {
          f.problems.push(`startPipeline threw ${(err as Error).name}, not InvalidPipelineSpecError: ${(err as Error).message}`);
          continue;
        }
        const missing = broken.filter((b) => !err.problems.some((p) => p.startsWith(`${b.path}:`)));
        if (missing.length > 0) f.problems.push(`no problem reported for ${missing.map((b) => `${b.rule} (${b.path})`).join(', ')}`);
        else f.badInputsRejected++;
      }
    }
    for (const [i, broken] of samples.slice(0, o.cli).entries()) {
      const file = join(rig.dataDir, `bad-${i}.json`);
      writeFileSync(file, JSON.stringify(broken[0]!.spec));
      const workflowId = `bad-input-cli-${seed}-${i}`;
      ids.push(workflowId);
      f.badInputsTried++;
      const r = await runCli(['run', file, '--id', workflowId], { TEMPORAL_ADDRESS: rig.env.address, DURABRICKS_TASK_QUEUE: rig.taskQueue });
      const missing = broken.filter((b) => !r.stderr.includes(`${b.path}:`));
      if (r.code !== 2) f.problems.push(`durabricks run on a bad spec exited ${r.code}, expected 2 (usage): ${r.stderr.slice(0, 200)}`);
      else if (missing.length > 0) f.problems.push(`CLI output names no problem for ${missing.map((b) => b.path).join(', ')}: ${r.stderr.slice(0, 300)}`);
      else f.badInputsRejected++;
    }
    // Nothing may have started: no workflow under any of the ids, and not one API call.
    for (const id of ids) {
      try {
        await rig.env.client.workflow.getHandle(id).describe();
        f.problems.push(`workflow ${id} exists although its spec was invalid`);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) f.problems.push(`describe ${id}: ${(err as Error).message}`);
      }
    }
    f.apiCalls = rig.tap.calls.length;
    if (f.apiCalls !== 0) f.problems.push(`the emulator received ${f.apiCalls} API call(s)`);
    o.log?.(`${f.badInputsRejected}/${f.badInputsTried} bad specs rejected`);
  } finally {
    await rig.close();
    f.seconds = (Date.now() - started) / 1000;
  }
  return f;
}
