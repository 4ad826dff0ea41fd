import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator/index.js';

/** A started emulator plus a tiny JSON client for the tests in this folder. */
export async function emulator(options: EmulatorOptions = {}) {
  const emu: RunningEmulator = await startEmulator({ speed: Infinity, seed: 7, rateLimitPerSecond: 0, tokens: ['dapi-admin', 'dapi-user1'], ...options });
  const call = async (method: string, path: string, body?: unknown, token = emu.token) => {
    const res = await fetch(`${emu.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  return { emu, call };
}

/** Creates a warehouse and returns its id (instant mode: RUNNING after the next look). */
export async function warehouse(call: Awaited<ReturnType<typeof emulator>>['call'], name = 'wh'): Promise<string> {
  const r = await call('POST', '/api/2.0/sql/warehouses', { name, cluster_size: '2X-Small', auto_stop_mins: 10 });
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  return r.body.id as string;
}
