import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator/index.js';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny client for tests: JSON in, JSON out, never throws on HTTP errors. */
export class TestClient {
  constructor(
    readonly emu: RunningEmulator,
    private readonly token: string = emu.token,
  ) {}

  as(token: string): TestClient {
    return new TestClient(this.emu, token);
  }

  async call<T = Record<string, unknown>>(method: string, path: string, payload?: Record<string, unknown>): Promise<Reply<T>> {
    let url = `${this.emu.url}${path}`;
    const init: RequestInit = { method, headers: { authorization: `Bearer ${this.token}` } };
    if (payload !== undefined && (method === 'GET' || method === 'DELETE')) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(payload)) {
        if (Array.isArray(v)) for (const x of v) qs.append(k, String(x));
        else if (v !== undefined) qs.append(k, String(v));
      }
      url += `?${qs.toString()}`;
    } else if (payload !== undefined) {
      init.body = JSON.stringify(payload);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(url, init);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, headers: res.headers };
  }

  get<T = Record<string, unknown>>(path: string, query?: Record<string, unknown>): Promise<Reply<T>> {
    return this.call<T>('GET', path, query);
  }

  post<T = Record<string, unknown>>(path: string, body: Record<string, unknown> = {}): Promise<Reply<T>> {
    return this.call<T>('POST', path, body);
  }

  async control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const res = await fetch(`${this.emu.url}/_emulator${path}`, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, headers: res.headers };
  }
}

/** Instant, unthrottled emulator for most tests. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<{ emu: RunningEmulator; api: TestClient }> {
  const emu = await startEmulator({ speed: Infinity, rateLimitPerSecond: 0, seed: 42, ...options });
  return { emu, api: new TestClient(emu) };
}

/** The error body shape every non-2xx answer must have (reference §1.4). */
export function expectErrorShape(body: Record<string, unknown>): void {
  if (typeof body.error_code !== 'string' || body.error_code === '') throw new Error(`error_code missing in ${JSON.stringify(body)}`);
  if (typeof body.message !== 'string' || body.message === '') throw new Error(`message missing in ${JSON.stringify(body)}`);
  if (body.details !== undefined) {
    if (!Array.isArray(body.details)) throw new Error('details must be an array');
    for (const d of body.details) if (typeof (d as Record<string, unknown>).metadata !== 'object') throw new Error('details item without metadata');
  }
}
