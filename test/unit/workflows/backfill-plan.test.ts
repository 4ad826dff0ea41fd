import { describe, expect, it } from 'vitest';
import { backfillChanges, backfillWorkflowId, formatBackfillFailure } from '../../../src/client/backfill.js';
import { backfillRange } from '../../../src/workflows/lib/backfill-plan.js';
import type { BackfillProgress } from '../../../src/workflows/lib/backfill-types.js';

describe('backfillRange', () => {
  it('lists every logical time in [from, to), a day apart by default or `every` apart', () => {
    const days = backfillRange({ from: '2026-11-01', to: '2026-11-04' });
    expect(days.ok && days.range.times.map((t) => t.toISOString())).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z', '2026-11-03T00:00:00.000Z']);
    const hours = backfillRange({ from: '2026-11-01T22:00:00Z', to: '2026-11-02T01:30:00Z', every: '1h', concurrency: 3 });
    expect(hours.ok && hours.range.times.map((t) => t.toISOString())).toEqual(['2026-11-01T22:00:00.000Z', '2026-11-01T23:00:00.000Z', '2026-11-02T00:00:00.000Z', '2026-11-02T01:00:00.000Z']);
    expect(hours.ok && hours.range.concurrency).toBe(3);
  });

  it('names every problem: bad times, an empty range, a too short step, a bad concurrency, too many runs', () => {
    expect(backfillRange({ from: '2026-13-01', to: 'tomorrow', every: 'often', concurrency: 2.5 })).toEqual({
      ok: false,
      problems: [
        'from: must be an ISO-8601 date (2026-11-20) or date-time with a zone (2026-11-20T03:00:00Z), got "2026-13-01"',
        'to: must be an ISO-8601 date (2026-11-20) or date-time with a zone (2026-11-20T03:00:00Z), got "tomorrow"',
        'every: must be a duration of at least 1m, such as "1d" or "1h", got "often"',
        'concurrency: must be a whole number from 1 to 10, got 2.5',
      ],
    });
    expect(backfillRange({ from: '2026-11-02', to: '2026-11-02' })).toEqual({ ok: false, problems: ['to: must be after from (the range [from, to) is empty)'] });
    expect(backfillRange({ from: '2020-01-01', to: '2026-01-01' })).toEqual({ ok: false, problems: ['the range holds 2192 runs; at most 1000 per backfill (split it, or use a longer every)'] });
  });
});

describe('backfill progress lines', () => {
  const base: BackfillProgress = { pipeline: 'daily', from: '2026-11-01T00:00:00.000Z', to: '2026-11-04T00:00:00.000Z', every: 86400, concurrency: 2, total: 3, succeeded: 0, failed: 0, cancelled: 0, phase: 'running', running: [], recent: [] };
  it('prints each run once when it starts and once when it ends, with the count', () => {
    const started = { ...base, running: [{ logicalTime: '2026-11-01T00:00:00.000Z', workflowId: 'etl-daily-2026-11-01', status: 'running' as const }] };
    expect(backfillChanges(base, started)).toEqual(['… 2026-11-01 running (etl-daily-2026-11-01)', '  0 of 3 done (0 failed)']);
    expect(backfillChanges(started, started)).toEqual([]);
    const ended = { ...base, failed: 1, recent: [{ logicalTime: '2026-11-01T00:00:00.000Z', workflowId: 'etl-daily-2026-11-01', status: 'failed' as const, error: 'task "main" FAILED: boom\ntrace' }] };
    expect(backfillChanges(started, ended)).toEqual(['✗ 2026-11-01 failed: task "main" FAILED: boom', '  1 of 3 done (1 failed)']);
  });

  it('a failure lists the runs that did not succeed; the default workflow id names the range', () => {
    const err = { cause: { type: 'BackfillIncomplete', message: '1 of 3 runs of daily did not succeed', details: [{ total: 3, succeeded: 2, failures: [{ logicalTime: '2026-11-02T00:00:00.000Z', workflowId: 'etl-daily-2026-11-02', status: 'failed', error: 'boom' }] }] } };
    expect(formatBackfillFailure(err)).toEqual(['BackfillIncomplete: 1 of 3 runs of daily did not succeed', '  2026-11-02 failed (etl-daily-2026-11-02): boom']);
    expect(backfillWorkflowId('daily', new Date('2026-11-01T00:00:00Z'), new Date('2026-11-08T00:00:00Z'))).toBe('backfill-daily-2026-11-01-2026-11-08');
  });
});
