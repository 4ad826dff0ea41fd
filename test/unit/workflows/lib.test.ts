import { describe, expect, it } from 'vitest';
import { WORKFLOW_TAG as ACTIVITIES_WORKFLOW_TAG } from '../../../src/activities/creates.js';
import { parseRunNotification } from '../../../src/client/webhook-receiver.js';
import { formatFailure, formatTable, progressChanges } from '../../../src/client/format.js';
import { temporalUiUrl } from '../../../src/client/ui-url.js';
import { utf8ToBase64 } from '../../../src/workflows/lib/base64.js';
import { formatSeconds, parseDurationSeconds } from '../../../src/workflows/lib/duration.js';
import { fnv1a64 } from '../../../src/workflows/lib/hash.js';
import { ownershipTags, WORKFLOW_TAG } from '../../../src/workflows/lib/pipeline-helpers.js';
import type { PipelineProgress } from '../../../src/workflows/lib/pipeline-types.js';

describe('workflow helpers', () => {
  it('parses durations as seconds and rejects what is not one', () => {
    expect(parseDurationSeconds('90s')).toBe(90);
    expect(parseDurationSeconds('1h30m')).toBe(5400);
    expect(parseDurationSeconds('2d')).toBe(172800);
    expect(parseDurationSeconds('250ms')).toBe(0.25);
    expect(parseDurationSeconds(' 45 ')).toBe(45);
    for (const bad of ['soon', '5 parsecs', '-3s', '1h and 5m', '']) expect(parseDurationSeconds(bad)).toBeUndefined();
    expect(parseDurationSeconds(-1)).toBeUndefined();
    expect(formatSeconds(3725)).toBe('1h 2m 5s');
  });

  it('encodes UTF-8 to base64 exactly as Node does (the workspace import takes base64)', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'SELECT 1;\n', 'héllo wörld — ✓ 🚀', '-- 日本語']) expect(utf8ToBase64(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
  });

  it('hashes deterministically to 16 hex characters', () => {
    expect(fnv1a64('provision-team-a')).toBe(fnv1a64('provision-team-a'));
    expect(fnv1a64('provision-team-a')).not.toBe(fnv1a64('provision-team-b'));
    expect(fnv1a64('x')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('tags clusters with the same ownership key the activities use (the sweeper reads one key)', () => {
    expect(WORKFLOW_TAG).toBe(ACTIVITIES_WORKFLOW_TAG);
    expect(ownershipTags({ workflowId: 'w'.repeat(300) })[WORKFLOW_TAG]).toHaveLength(256);
  });
});

describe('client helpers', () => {
  it('reads the emulator notification shape and the nested shape of real webhook destinations', () => {
    expect(parseRunNotification({ event: 'run.succeeded', run_id: 5, run_name: 'x [durabricks:etl-a]', life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' })).toEqual({
      event: 'run.succeeded',
      run_id: 5,
      run_name: 'x [durabricks:etl-a]',
      life_cycle_state: 'TERMINATED',
      result_state: 'SUCCESS',
    });
    expect(parseRunNotification({ event_type: 'jobs.on_failure', run: { run_id: 9 }, job: { job_id: 1 } })).toEqual({ event: 'run.failed', run_id: 9 });
    expect(parseRunNotification({ event: 'run.started' })).toBeUndefined();
    expect(parseRunNotification('nope')).toBeUndefined();
  });

  it('knows the UI URL of a local dev server, or uses TEMPORAL_UI_URL, else none', () => {
    expect(temporalUiUrl('localhost:7233', 'default', 'etl-a', {})).toBe('http://localhost:8233/namespaces/default/workflows/etl-a');
    expect(temporalUiUrl('temporal.prod:7233', 'ns', 'etl a', { TEMPORAL_UI_URL: 'https://ui.example/' })).toBe('https://ui.example/namespaces/ns/workflows/etl%20a');
    expect(temporalUiUrl('temporal.prod:7233', 'ns', 'etl-a', {})).toBeUndefined();
  });

  it('prints step changes once, tables aligned, and failures with the task output', () => {
    const base: PipelineProgress = {
      pipeline: 'p',
      phase: 'running',
      steps: [{ name: 'cluster', title: 'Cluster ready', status: 'running', detail: 'c1: waiting' }],
      statesSeen: { cluster: ['PENDING'] },
      counts: { activities: 1, signals: 0, tasksTotal: 0, tasksSucceeded: 0, tasksFailed: 0, rows: 0, repairs: 0 },
      resources: [],
    };
    expect(progressChanges(undefined, base)).toEqual(['… Cluster ready — c1: waiting', '  cluster: PENDING']);
    expect(progressChanges(base, base)).toEqual([]);
    const done = { ...base, steps: [{ ...base.steps[0]!, status: 'done' as const, seconds: 4.2, detail: 'c1 RUNNING' }], statesSeen: { cluster: ['PENDING', 'RUNNING'] } };
    expect(progressChanges(base, done)).toEqual(['✓ Cluster ready (4.2s) — c1 RUNNING', '  cluster: PENDING → RUNNING']);
    expect(formatTable(['a', 'bb'], [['1', null]])).toEqual(['a | bb  ', '--+-----', '1 | NULL']);
    const failure = { cause: { type: 'PipelineTaskFailed', message: 'task "load" FAILED: boom', details: [{ failedTasks: [{ taskKey: 'load', state: 'FAILED', runId: 3, error: 'boom' }], cleanedUp: [{ description: 'x', ok: true, detail: 'terminated cluster c1' }] }] } };
    expect(formatFailure(failure)).toEqual(['PipelineTaskFailed: task "load" FAILED: boom', 'task load FAILED (task run 3)', '  boom', 'cleanup: done — terminated cluster c1']);
  });
});
