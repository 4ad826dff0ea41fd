/**
 * Every API call the in-process emulator receives, with its arrival time: the emulator counts calls
 * per endpoint (`stats`); this wraps that counter so scenarios can also see WHEN each call arrived
 * (no retry before Retry-After) and react to the k-th call of an endpoint (kill the worker there).
 */
import type { RunningEmulator } from '../../../src/emulator/index.js';

export interface CallRecord {
  /** Date.now() when the request reached the emulator (before auth, rate limit and faults). */
  at: number;
  method: string;
  /** The route template, e.g. `/api/2.1/clusters/get`. */
  path: string;
}

export type CallListener = (call: CallRecord, index: number) => void;

export interface CallTap {
  readonly calls: CallRecord[];
  /** Calls whose `METHOD path` matches. */
  matching(method: string, path: string | RegExp): CallRecord[];
  /** Called synchronously on every call, while the emulator is still handling it. */
  onCall(listener: CallListener): () => void;
  clear(): void;
}

export function tapCalls(emu: RunningEmulator): CallTap {
  const calls: CallRecord[] = [];
  const listeners = new Set<CallListener>();
  const stats = emu.stats;
  const original = stats.record.bind(stats);
  stats.record = (method: string, path: string) => {
    original(method, path);
    const call = { at: Date.now(), method, path };
    calls.push(call);
    for (const l of [...listeners]) l(call, calls.length - 1);
  };
  return {
    calls,
    matching: (method, path) => calls.filter((c) => c.method === method && (typeof path === 'string' ? c.path === path : path.test(c.path))),
    onCall(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear: () => {
      calls.length = 0;
    },
  };
}
