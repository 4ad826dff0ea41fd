import { describe, expect, it } from 'vitest';
import { ConflictingStartError, inputDifferences } from '../../../src/client/attach.js';

describe('inputDifferences', () => {
  it('is empty for equal JSON values, whatever the key order, and treats a missing key as undefined', () => {
    expect(inputDifferences({ spec: { name: 'a', job: { job_id: 7 } }, logicalTime: undefined }, { spec: { job: { job_id: 7 }, name: 'a' } })).toEqual([]);
    expect(inputDifferences([1, { a: null }], [1, { a: null }])).toEqual([]);
  });

  it('names the path of every difference, never a value', () => {
    const running = { spec: { name: 'a', job: { tasks: [{ notebook_path: '/x', token: 'dapiSECRET1' }] } }, logicalTime: '2026-11-20T00:00:00.000Z' };
    const asked = { spec: { name: 'a', job: { tasks: [{ notebook_path: '/y', token: 'dapiSECRET2' }] }, sql: 'select 1' }, logicalTime: '2026-11-21T00:00:00.000Z' };
    const paths = inputDifferences(running, asked);
    expect(paths).toEqual(['logicalTime', 'spec.job.tasks[0].notebook_path', 'spec.job.tasks[0].token', 'spec.sql']);
    expect(inputDifferences({ tasks: [1, 2] }, { tasks: [1] })).toEqual(['tasks (length)']);
    expect(inputDifferences({ a: { b: 1 } }, { a: [1] })).toEqual(['a']);
    expect(inputDifferences(1, 2)).toEqual(['(input)']);
  });
});

describe('ConflictingStartError', () => {
  it('says what differs, that nothing started and what to do, listing at most eight paths', () => {
    const err = new ConflictingStartError('etl-sales', Array.from({ length: 10 }, (_, i) => `spec.p${i}`));
    expect(err.message).toBe(
      'workflow etl-sales is already running with a different input (spec.p0, spec.p1, spec.p2, spec.p3, spec.p4, spec.p5, spec.p6, spec.p7 and 2 more differ); nothing was started. ' +
        'Wait for it to end, cancel it (durabricks cancel etl-sales), or start this one under another workflow id.',
    );
    expect(err.differences).toHaveLength(10);
    expect(err.name).toBe('ConflictingStartError');
  });
});
