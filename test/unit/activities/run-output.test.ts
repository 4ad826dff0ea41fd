import { describe, expect, it } from 'vitest';
import { ERROR_MAX_CHARS, TRACE_MAX_CHARS, jobsGetRunFailureOutput } from '../../../src/activities/run-output.js';
import type { OpContext } from '../../../src/activities/define.js';

function contextReturning(output: object): OpContext {
  return { client: { jobs: { getRunOutput: async () => output } }, opts: {} } as unknown as OpContext;
}

describe('jobsGetRunFailureOutput', () => {
  it('keeps the head of the error and the tail of the trace, and never the logs or run metadata', async () => {
    const error = `AnalysisException: table missing${'.'.repeat(5000)}`;
    const trace = `${'frame\n'.repeat(2000)}File "etl.py", line 42, in <module>`;
    const out = await jobsGetRunFailureOutput(contextReturning({ error, error_trace: trace, logs: 'L'.repeat(5_000_000), metadata: { run_id: 1, tasks: [] } }), { run_id: 1 });
    expect(Object.keys(out).sort()).toEqual(['error', 'error_trace', 'truncated']);
    expect(out.error!.startsWith('AnalysisException: table missing')).toBe(true);
    expect(out.error!.length).toBeLessThanOrEqual(ERROR_MAX_CHARS + 1);
    expect(out.error_trace!.endsWith('line 42, in <module>')).toBe(true);
    expect(out.error_trace!.length).toBeLessThanOrEqual(TRACE_MAX_CHARS + 1);
    expect(out.truncated).toBe(true);
    expect(JSON.stringify(out).length).toBeLessThan(8 * 1024);
  });

  it('passes short outputs through untouched, including a notebook exit value', async () => {
    const out = await jobsGetRunFailureOutput(contextReturning({ error: 'boom', notebook_output: { result: 'rows=0' } }), { run_id: 2 });
    expect(out).toEqual({ error: 'boom', notebook_result: 'rows=0', truncated: false });
  });
});
