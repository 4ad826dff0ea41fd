/**
 * A warehouse's auto-stop timer under a stream of statements: one pending timer that moves itself when
 * it fires, instead of a cancel (a scan of every queued timer) and a new timer per statement, whose
 * cost grew with the timers every earlier statement left queued.
 */
import { describe, expect, it } from 'vitest';
import type { ScheduledEvent } from '../../../src/emulator/scheduler.js';
import type { ServiceContext } from '../../../src/emulator/services/types.js';
import { WarehousesModel } from '../../../src/emulator/services/warehouses/model.js';

function fakeContext() {
  let now = 1_000_000;
  let seq = 0;
  let ids = 0;
  const pending: ScheduledEvent[] = [];
  const counts = { cancels: 0 };
  const ctx = {
    name: 'warehouses',
    clock: { now: () => now },
    ids: { hex: (n: number) => String(++ids).padStart(n, '0'), claim: () => true },
    schedule: (kind: string, at: number, data: Record<string, unknown> = {}, o: { idle?: boolean } = {}) => void pending.push({ seq: ++seq, at, service: 'warehouses', kind, data, ...(o.idle ? { idle: true } : {}) }),
    cancelScheduled: (p: (e: ScheduledEvent) => boolean) => {
      counts.cancels++;
      for (let i = pending.length - 1; i >= 0; i--) if (p(pending[i]!)) pending.splice(i, 1);
    },
  } as unknown as ServiceContext;
  /** Moves virtual time to `to`, firing what is due in order, as the emulator's scheduler does. */
  const advanceTo = (model: WarehousesModel, to: number) => {
    for (;;) {
      pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = pending[0];
      if (!next || next.at > to) break;
      pending.shift();
      now = next.at;
      model.onEvent(next.kind, next.data);
    }
    now = to;
  };
  return { ctx, pending, counts, advanceTo, now: () => now };
}

describe('warehouse auto-stop under activity', () => {
  it('keeps one pending timer without rescanning the queue per statement, and still stops auto_stop_mins after the last one', () => {
    const f = fakeContext();
    const model = new WarehousesModel(f.ctx);
    const w = model.create({ name: 'busy', auto_stop_mins: 10 }, 'admin');
    model.start(w);
    f.advanceTo(model, f.now() + 10 * 60_000);
    expect(w.state).toBe('RUNNING');
    const cancelsWhenRunning = f.counts.cancels;
    // A statement a minute for an hour.
    for (let minute = 1; minute <= 60; minute++) {
      f.advanceTo(model, f.now() + 60_000);
      model.touch(w);
    }
    expect(w.state).toBe('RUNNING');
    expect(f.pending.filter((e) => e.kind === 'auto_stop')).toHaveLength(1);
    // Re-armed only when a timer fired early (every ~10 minutes), never per statement.
    expect(f.counts.cancels - cancelsWhenRunning).toBeLessThanOrEqual(7);
    const last = f.now();
    f.advanceTo(model, last + 10 * 60_000 - 1);
    expect(w.state).toBe('RUNNING');
    f.advanceTo(model, last + 10 * 60_000);
    expect(w.state).toBe('STOPPING');
  });

  it('a shorter auto_stop_mins set by an edit takes effect from the last activity', () => {
    const f = fakeContext();
    const model = new WarehousesModel(f.ctx);
    const w = model.create({ name: 'edited', auto_stop_mins: 120 }, 'admin');
    model.start(w);
    f.advanceTo(model, f.now() + 10 * 60_000);
    model.touch(w);
    const last = f.now();
    model.edit(w, { auto_stop_mins: 10 });
    f.advanceTo(model, last + 10 * 60_000);
    expect(w.state).toBe('STOPPING');
  });
});
