import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');

async function lintAsWorkflow(code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, 'src/workflows/__lint_probe__.ts') });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint keeps workflow code deterministic', () => {
  it.each([
    ["import fs from 'node:fs';\nexport const x = fs;", 'no-restricted-imports'],
    ["import { request } from 'undici';\nexport const x = request;", 'no-restricted-imports'],
    ["import { createActivities } from '../activities/index.js';\nexport const x = createActivities;", 'activity TYPES only'],
    ['export const x = Date.now();', 'Date.now'],
    ['export const x = Math.random();', 'Math.random'],
    ['export const x = new Date();', 'new Date()'],
    ['setTimeout(() => 1, 10);', 'setTimeout'],
    ['export const x = process.env.HOME;', 'process'],
    // Workflow modules are shared by every workflow of a sandbox context (preloaded).
    ['let calls = 0;\nexport function f(): number { return ++calls; }', 'No module-level let/var'],
    ['export let last: string | undefined;', 'No module-level let/var'],
  ])('rejects %s', async (code, expected) => {
    const messages = await lintAsWorkflow(code);
    expect(messages.join('\n')).toContain(expected);
  });

  it('accepts type-only activity imports and the SDK workflow APIs', async () => {
    const messages = await lintAsWorkflow(
      "import { proxyActivities, sleep } from '@temporalio/workflow';\nimport type { Activities } from '../activities/index.js';\nconst a = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });\nexport async function w(): Promise<void> { await a.describeWorker(); await sleep('1 day'); }\n",
    );
    expect(messages).toEqual([]);
  });

  it('accepts let inside functions', async () => {
    expect(await lintAsWorkflow('export function f(): number {\n  let n = 0;\n  n++;\n  return n;\n}\n')).toEqual([]);
  });
});
