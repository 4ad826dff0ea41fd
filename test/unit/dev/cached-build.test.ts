import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOnce, isBuilt } from '../../../src/dev/cached-build.js';

describe('buildOnce', () => {
  it('builds once per stamp, never leaves a failed build behind, and rebuilds when the stamp changes', () => {
    const target = join(mkdtempSync(join(tmpdir(), 'durabricks-build-')), 'out');
    let builds = 0;
    const build = (content: string) => (staging: string) => {
      builds++;
      writeFileSync(join(staging, 'artifact'), content);
    };
    buildOnce(target, 'v1', build('one'));
    buildOnce(target, 'v1', build('ignored'));
    expect([builds, readFileSync(join(target, 'artifact'), 'utf8'), isBuilt(target, 'v1')]).toEqual([1, 'one', true]);

    expect(() =>
      buildOnce(target, 'v2', (staging) => {
        writeFileSync(join(staging, 'artifact'), 'half');
        throw new Error('interrupted');
      }),
    ).toThrow('interrupted');
    // The failed build changed nothing: the previous one stands, and no staging folder is left.
    expect([readFileSync(join(target, 'artifact'), 'utf8'), isBuilt(target, 'v2'), existsSync(`${target}.partial-${process.pid}`)]).toEqual(['one', false, false]);

    buildOnce(target, 'v2', build('two'));
    expect([builds, readFileSync(join(target, 'artifact'), 'utf8'), isBuilt(target, 'v1'), isBuilt(target, 'v2')]).toEqual([2, 'two', false, true]);
  });
});
