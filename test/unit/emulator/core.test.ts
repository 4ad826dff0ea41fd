import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { extractToken, Principals } from '../../../src/emulator/auth.js';
import { VirtualClock } from '../../../src/emulator/clock.js';
import { Faults } from '../../../src/emulator/faults.js';
import { ApiError, errorBody } from '../../../src/emulator/http/errors.js';
import { parseQuery } from '../../../src/emulator/http/query.js';
import { bool, int, list, validate } from '../../../src/emulator/http/validation.js';
import { IdGenerator } from '../../../src/emulator/ids.js';
import { RateLimiter } from '../../../src/emulator/rate-limiter.js';
import { Scheduler, type ScheduledEvent } from '../../../src/emulator/scheduler.js';
import { readDirectives } from '../../../src/emulator/services/jobs/executors.js';
import { nextFireTime, parseCron } from '../../../src/emulator/services/jobs/cron.js';

describe('VirtualClock', () => {
  it('scales real time by speed, pauses at 0 and only moves forward', () => {
    let real = 1_000;
    const clock = new VirtualClock(60, 5_000_000, () => real);
    real += 1_000;
    expect(clock.now()).toBe(5_060_000);
    clock.setSpeed(0);
    real += 10_000;
    expect(clock.now()).toBe(5_060_000);
    clock.advance(500);
    expect(clock.now()).toBe(5_060_500);
    clock.jumpTo(1);
    expect(clock.now()).toBe(5_060_500);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(clock.realDelayUntil(5_061_000)).toBe(Infinity);
  });
});

describe('Scheduler', () => {
  const make = (speed: number) => {
    let real = 0;
    const clock = new VirtualClock(speed, 0, () => real);
    const fired: string[] = [];
    const scheduler = new Scheduler(clock, (e: ScheduledEvent) => fired.push(`${e.kind}@${clock.now()}`), () => undefined);
    return { clock, scheduler, fired, tickReal: (ms: number) => (real += ms) };
  };

  it('fires due events in time order on a paused clock', () => {
    const { clock, scheduler, fired } = make(0);
    scheduler.schedule('svc', 'b', 200);
    scheduler.schedule('svc', 'a', 100);
    scheduler.runDue();
    expect(fired).toEqual([]);
    clock.advance(150);
    scheduler.runDue();
    expect(fired).toEqual(['a@150']);
    scheduler.close();
  });

  it('in instant mode fires everything, jumping the clock to each due time, but not idle timers', () => {
    const { scheduler, fired } = make(Infinity);
    scheduler.schedule('svc', 'late', 5_000);
    scheduler.schedule('svc', 'idle', 60_000, {}, true);
    scheduler.schedule('svc', 'early', 1_000);
    scheduler.runDue();
    expect(fired).toEqual(['early@1000', 'late@5000']);
    expect(scheduler.pending().map((e) => e.kind)).toEqual(['idle']);
    scheduler.close();
  });

  it('in instant mode fires a due transition on its own in the same event-loop turn, with no timer', async () => {
    const { scheduler, fired } = make(Infinity);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      scheduler.schedule('svc', 'start', 1_000);
      // A 0 ms timer would make the process sleep and wake again; the scheduler arms none.
      expect(vi.getTimerCount()).toBe(0);
      await new Promise((r) => setImmediate(r));
      expect(fired).toEqual(['start@1000']);
    } finally {
      vi.useRealTimers();
      scheduler.close();
    }
  });

  it('arms a real timer for a transition that is not due yet, and close() disarms it', () => {
    const { scheduler, fired } = make(1);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      scheduler.schedule('svc', 'later', 5_000);
      expect(vi.getTimerCount()).toBe(1);
      scheduler.close();
      expect(vi.getTimerCount()).toBe(0);
      expect(fired).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fires idle timers and transitions together in due-time order once time reaches them', () => {
    const { clock, scheduler, fired } = make(0);
    scheduler.schedule('svc', 'second', 200);
    scheduler.schedule('svc', 'idle', 100, {}, true);
    scheduler.schedule('svc', 'first', 50);
    scheduler.schedule('svc', 'later-idle', 400, {}, true);
    clock.advance(300);
    scheduler.runDue();
    expect(fired).toEqual(['first@300', 'idle@300', 'second@300']);
    expect(scheduler.pending().map((e) => e.kind)).toEqual(['later-idle']);
    expect(scheduler.nextAt()).toBe(400);
    scheduler.close();
  });

  it('in instant mode an idle timer that is already due fires before a later transition', () => {
    const { clock, scheduler, fired } = make(Infinity);
    scheduler.schedule('svc', 'idle-due', 0, {}, true);
    scheduler.schedule('svc', 'transition', 1_000);
    scheduler.schedule('svc', 'idle-not-yet', 5_000, {}, true);
    scheduler.runDue();
    expect(fired).toEqual(['idle-due@0', 'transition@1000']);
    expect(clock.now()).toBe(1_000);
    expect(scheduler.pending().map((e) => e.kind)).toEqual(['idle-not-yet']);
    scheduler.close();
  });

  it('survives a snapshot round trip', () => {
    const a = make(0);
    a.scheduler.schedule('svc', 'x', 10, { id: 1 });
    const b = make(0);
    b.scheduler.restore(a.scheduler.snapshot());
    b.clock.advance(10);
    b.scheduler.runDue();
    expect(b.fired).toEqual(['x@10']);
    a.scheduler.close();
    b.scheduler.close();
  });
});

describe('IdGenerator', () => {
  it('is deterministic per seed, unique, and shaped like Databricks ids', () => {
    const a = new IdGenerator(9);
    const b = new IdGenerator(9);
    const ids = Array.from({ length: 200 }, () => a.numeric(15));
    expect(Array.from({ length: 200 }, () => b.numeric(15))).toEqual(ids);
    expect(new Set(ids).size).toBe(200);
    expect(ids.every((n) => String(n).length === 15 && Number.isSafeInteger(n))).toBe(true);
    expect(a.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new IdGenerator(10).numeric(15)).not.toBe(new IdGenerator(9).numeric(15));
  });
});

describe('validation', () => {
  const schema = z.object({ run_id: int(), flag: bool().optional(), states: list(z.enum(['A', 'B'])).optional(), nested: z.object({ name: z.string() }).optional() });
  const message = (input: unknown) => {
    try {
      validate(schema, input);
    } catch (e) {
      return (e as ApiError).message;
    }
    return 'valid';
  };

  it('accepts JSON values and their query-string forms', () => {
    expect(validate(schema, { run_id: '12', flag: 'true', states: 'A' })).toEqual({ run_id: 12, flag: true, states: ['A'] });
  });

  it('names the field precisely', () => {
    expect(message({})).toBe('Missing required field: run_id');
    expect(message({ run_id: 'abc' })).toBe('Invalid value for field run_id: expected number, got string.');
    expect(message({ run_id: 1, nested: {} })).toBe('Missing required field: nested.name');
    expect(message({ run_id: 1, states: ['C'] })).toBe('Invalid value for field states[0]: "C" is not one of A, B.');
    expect(message({ run_id: 1.5 })).toMatch(/^Invalid value for field run_id/);
  });
});

describe('parseQuery', () => {
  it('nests dotted keys, repeats become arrays, and prototype keys are ignored', () => {
    expect(parseQuery('filter_by.cluster_states=RUNNING&filter_by.cluster_states=PENDING&filter_by.is_pinned=true&page_size=1')).toEqual({
      filter_by: { cluster_states: ['RUNNING', 'PENDING'], is_pinned: 'true' },
      page_size: '1',
    });
    const parsed = parseQuery('__proto__.polluted=1&constructor=2&kept=3');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(parsed)).toEqual(['kept']);
  });
});

describe('auth', () => {
  it('extracts Bearer and Basic token:<PAT> credentials only', () => {
    expect(extractToken('Bearer abc')).toBe('abc');
    expect(extractToken('bearer abc')).toBe('abc');
    expect(extractToken(`Basic ${Buffer.from('token:dapi123').toString('base64')}`)).toBe('dapi123');
    expect(extractToken(`Basic ${Buffer.from('user:dapi123').toString('base64')}`)).toBeUndefined();
    expect(extractToken('Bearer')).toBeUndefined();
    expect(extractToken(undefined)).toBeUndefined();
  });

  it('expired tokens are rejected with 401', () => {
    const p = new Principals();
    p.addToken('t-123456', { userName: 'sp', isAdmin: false, kind: 'service_principal' }, 1_000);
    expect(p.authenticate('Bearer t-123456', 999).userName).toBe('sp');
    expect(() => p.authenticate('Bearer t-123456', 1_000)).toThrow(ApiError);
  });
});

describe('RateLimiter', () => {
  it('allows a one-second burst per key, then 429 with an integer Retry-After, and refills', () => {
    const rl = new RateLimiter(2);
    rl.take('a', 0);
    rl.take('a', 0);
    let err: ApiError | undefined;
    try {
      rl.take('a', 0);
    } catch (e) {
      err = e as ApiError;
    }
    expect(err?.status).toBe(429);
    expect(err?.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(err?.headers['Retry-After']).toMatch(/^\d+$/);
    rl.take('b', 0);
    rl.take('a', 600);
  });
});

describe('Faults', () => {
  it('matches nth call and times, and method/path filters', () => {
    const f = new Faults(() => 0.5);
    f.add({ method: 'POST', path: '/x', nth: 2, action: 'respond', status: 503 });
    expect(f.decide('POST', '/x')).toBeUndefined();
    expect(f.decide('GET', '/x')).toBeUndefined();
    expect(f.decide('POST', '/x')).toMatchObject({ action: 'respond', status: 503 });
    expect(f.decide('POST', '/x')).toBeUndefined();
    f.add({ path_regex: '^/y', probability: 0.4, action: 'latency', latency_ms: 5 });
    expect(f.decide('GET', '/y/z')).toBeUndefined();
  });
});

describe('errorBody', () => {
  it('always has a non-empty message and metadata in every details item', () => {
    expect(errorBody('X', '')).toEqual({ error_code: 'X', message: 'X' });
    expect(errorBody('X', 'm', [{ reason: 'r' }]).details?.[0]).toEqual({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'r', metadata: {} });
  });
});

describe('test directives', () => {
  it('reads parameters, positional parameters and notebook source lines; parameters win', () => {
    expect(readDirectives({ parameters: { 'emulator.outcome': 'failed', 'emulator.duration_s': '600' }, positional: [] })).toEqual({ outcome: 'FAILED', durationMs: 600_000 });
    expect(readDirectives({ parameters: {}, positional: ['--emulator.outcome=INTERNAL_ERROR'] })).toEqual({ outcome: 'INTERNAL_ERROR' });
    const source = '# Databricks notebook source\n# emulator: outcome=FAILED duration=5 message="bad row"\ndbutils.notebook.exit("done")\n';
    expect(readDirectives({ parameters: {}, positional: [], source })).toEqual({ outcome: 'FAILED', durationMs: 5000, message: 'bad row', exit: 'done' });
    expect(readDirectives({ parameters: { 'emulator.outcome': 'SUCCESS' }, positional: [], source }).outcome).toBe('SUCCESS');
    expect(readDirectives({ parameters: { 'emulator.outcome': 'MAYBE' }, positional: [] })).toEqual({});
  });
});

describe('Quartz cron', () => {
  const next = (expr: string, tz: string, after: number) => new Date(nextFireTime(parseCron(expr), tz, after) ?? 0).toISOString();
  const t0 = Date.UTC(2026, 10, 25, 14, 0, 0); // a Wednesday

  it('computes the next fire time in the schedule time zone', () => {
    expect(next('0 0 * * * ?', 'UTC', t0)).toBe('2026-11-25T15:00:00.000Z');
    expect(next('0 30 9 * * ?', 'America/New_York', t0)).toBe('2026-11-25T14:30:00.000Z');
    expect(next('0 0 0 ? * MON', 'UTC', t0)).toBe('2026-11-30T00:00:00.000Z');
    expect(next('0 */20 * * * ?', 'UTC', t0)).toBe('2026-11-25T14:20:00.000Z');
    expect(next('0 0 12 1 JAN,JUL ? 2027', 'UTC', t0)).toBe('2027-01-01T12:00:00.000Z');
  });

  it('rejects malformed and unsupported expressions with a reason', () => {
    expect(() => parseCron('* * *')).toThrow(/6 or 7 fields/);
    expect(() => parseCron('0 0 25 * * ?')).toThrow(/out of range/);
    expect(() => parseCron('0 0 0 L * ?')).toThrow(/not supported/);
  });
});
