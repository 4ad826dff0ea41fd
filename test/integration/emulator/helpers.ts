import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
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

/** `startTestEmulator` whose first token is an admin's and second a non-admin's, with a client for each. */
export async function startAdminAndUser(options: EmulatorOptions & { tokens: string[] }): Promise<{ emu: RunningEmulator; admin: TestClient; user: TestClient }> {
  const { emu, api } = await startTestEmulator(options);
  return { emu, admin: api, user: api.as(options.tokens[1]!) };
}

/** A local HTTP server that records every request's headers and JSON body (a webhook's receiving end). */
export async function startCapture(): Promise<{ url: string; received: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[]; close(): Promise<void> }> {
  const received: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(body) as Record<string, unknown> });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** `startAdminAndUser` once for the test file, reset before each test; read the clients from the result inside tests. */
export function useAdminAndUser(options: EmulatorOptions & { tokens: string[] }): { emu: RunningEmulator; admin: TestClient; user: TestClient } {
  const ctx = {} as { emu: RunningEmulator; admin: TestClient; user: TestClient };
  beforeAll(async () => void Object.assign(ctx, await startAdminAndUser(options)));
  afterAll(() => ctx.emu?.close());
  beforeEach(() => ctx.emu.reset());
  return ctx;
}

/**
 * Runs `before` on an emulator with a fresh data dir (admin token), restarts it on the same dir and
 * returns what `after` reads there: whether a service's state survives a restart.
 */
export async function acrossRestart<T>(before: (api: TestClient) => Promise<unknown>, after: (api: TestClient) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'emu-restart-'));
  try {
    const first = await startTestEmulator({ dataDir, tokens: ['dapi-admin'] });
    try {
      await before(first.api);
    } finally {
      await first.emu.close();
    }
    const second = await startTestEmulator({ dataDir, tokens: ['dapi-admin'] });
    try {
      return await after(second.api);
    } finally {
      await second.emu.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
