import { describe, expect, it } from 'vitest';
import { pipelineWorkflowId } from '../../../src/client/pipelines.js';
import { chooseLogicalTime, parseLogicalTime, withLogicalTime } from '../../../src/workflows/lib/logical-time.js';
import { validatePipelineSpec } from '../../../src/workflows/lib/pipeline-spec.js';

const T = new Date('2026-11-20T03:04:05.678Z');

describe('logical time references', () => {
  it('replaces {{durabricks.logical_date}} and {{durabricks.logical_time}} (spaces allowed) in nested strings, in UTC', () => {
    const out = withLogicalTime({ a: ['day={{durabricks.logical_date}}', { b: '{{ durabricks.logical_time }}' }], n: 3, f: false }, T);
    expect(out).toEqual({ a: ['day=2026-11-20', { b: '2026-11-20T03:04:05Z' }], n: 3, f: false });
  });

  it("leaves Databricks' own references and unknown text alone, and returns the same object when nothing changes", () => {
    const value = { p: '{{job.start_time.iso_date}}', q: ['{{job.id}}', 'plain'], r: { s: '{{' } };
    expect(withLogicalTime(value, T)).toBe(value);
  });

  it('the spec may use them only in job and sql, and only the names that exist; every misuse is a problem with its path', () => {
    const r = validatePipelineSpec({
      name: 'p',
      cluster: { new_cluster: { spark_version: '15.4.x-scala2.12', custom_tags: { day: '{{durabricks.logical_date}}' } } },
      job: { job_id: 1, parameters: { day: '{{durabricks.logical_day}}', ok: '{{durabricks.logical_time}}' } },
      sql: { warehouse_id: 'w', statement: 'SELECT 1', parameters: { d: '{{durabricks.logical_date}}' } },
    });
    expect(r).toEqual({
      ok: false,
      problems: [
        'cluster.new_cluster.custom_tags.day: {{durabricks.logical_date}} is replaced only in job and sql',
        'job.parameters.day: unknown reference {{durabricks.logical_day}} (known: {{durabricks.logical_date}}, {{durabricks.logical_time}})',
      ],
    });
  });
});

describe('parseLogicalTime', () => {
  it('reads a date as midnight UTC and a date-time with its zone', () => {
    expect(parseLogicalTime('2026-11-20')?.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(parseLogicalTime('2026-11-20T03:00:00+01:00')?.toISOString()).toBe('2026-11-20T02:00:00.000Z');
    expect(parseLogicalTime('2026-11-20T03:00Z')?.toISOString()).toBe('2026-11-20T03:00:00.000Z');
    expect(parseLogicalTime('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });

  it('refuses days that do not exist, times without a zone and anything else', () => {
    for (const bad of ['2026-02-30', '2026-02-29', '2026-13-01', '2026-11-20T03:00:00', '2026-11-20T25:00:00Z', '20.11.2026', 'yesterday', '']) {
      expect(parseLogicalTime(bad), bad).toBeUndefined();
    }
  });
});

describe('chooseLogicalTime', () => {
  const given = new Date('2026-11-01T00:00:00Z');
  const scheduled = new Date('2026-11-02T06:00:00Z');
  const started = new Date('2026-11-27T05:00:00Z');
  it('prefers the given time, then the schedule firing, then the start time', () => {
    expect(chooseLogicalTime(given, scheduled, started)).toEqual({ time: given, source: 'given' });
    expect(chooseLogicalTime(undefined, scheduled, started)).toEqual({ time: scheduled, source: 'schedule' });
    expect(chooseLogicalTime(undefined, undefined, started)).toEqual({ time: started, source: 'start' });
  });
});

describe('pipelineWorkflowId', () => {
  it('is etl-<name>, with the logical date (or the date-time when it is not midnight UTC) when one is given', () => {
    expect(pipelineWorkflowId({ name: 'sales' })).toBe('etl-sales');
    expect(pipelineWorkflowId({ name: 'sales' }, new Date('2026-11-20T00:00:00Z'))).toBe('etl-sales-2026-11-20');
    expect(pipelineWorkflowId({ name: 'sales' }, new Date('2026-11-20T06:30:00Z'))).toBe('etl-sales-2026-11-20T06:30:00Z');
  });
});
