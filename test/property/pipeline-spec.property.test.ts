/**
 * Bad input, pipeline specs: hundreds of invalid specs (valid ones broken by known rule violations)
 * are all rejected, each broken rule reported on a line that starts with its path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePipelineSpec, validatePipelineSpec, InvalidPipelineSpecError } from '../../src/workflows/lib/pipeline-spec.js';
import { badSpec, notASpec, validSpec } from './bad-input-cases.js';

const PROBLEM_LINE = /^[^\s:]+: \S/;

describe('pipeline spec validation (property)', () => {
  it('accepts the valid specs the invalid ones are derived from', () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const r = validatePipelineSpec(spec);
        expect(r.ok ? [] : r.problems).toEqual([]);
      }),
      { numRuns: 100, seed: 9 },
    );
  });

  it('rejects every invalid spec, naming each broken rule by its path', () => {
    let tried = 0;
    fc.assert(
      fc.property(badSpec, (broken) => {
        tried++;
        const spec = broken[0]!.spec;
        const r = validatePipelineSpec(spec);
        expect(r.ok, `accepted a spec that breaks: ${broken.map((b) => b.rule).join(', ')}`).toBe(false);
        if (r.ok) return;
        for (const problem of r.problems) expect(problem).toMatch(PROBLEM_LINE);
        for (const b of broken) {
          expect(
            r.problems.some((p) => p.startsWith(`${b.path}:`)),
            `no problem for "${b.rule}" at ${b.path}; got:\n${r.problems.join('\n')}`,
          ).toBe(true);
        }
        // The thrown error carries the same list and says how many problems there are.
        const err = (() => {
          try {
            parsePipelineSpec(spec);
          } catch (e) {
            return e;
          }
          return undefined;
        })();
        expect(err).toBeInstanceOf(InvalidPipelineSpecError);
        expect((err as InvalidPipelineSpecError).problems).toEqual(r.problems);
        expect((err as Error).message).toMatch(/^invalid pipeline spec \(\d+ problems?\):/);
      }),
      { numRuns: 400, seed: 42 },
    );
    expect(tried).toBe(400);
  });

  it('rejects values that are not a spec at all with a (spec)-level problem', () => {
    fc.assert(
      fc.property(notASpec, (value) => {
        const r = validatePipelineSpec(value);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.problems.some((p) => p.startsWith('(spec):') || p.startsWith('name:') || p.startsWith('job:'))).toBe(true);
      }),
      { numRuns: 100, seed: 3 },
    );
  });
});
