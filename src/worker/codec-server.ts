import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * The "remote codec" endpoint the Temporal UI and CLI call to show decrypted payloads
 * (POST /encode, POST /decode with {payloads: [{metadata, data}]}, base64 values). Only people who
 * can reach it and hold the key see plaintext: bind it to localhost or put it behind auth.
 */
export function startCodecServer(options: { codec: PayloadCodec; port?: number; host?: string; corsOrigins?: string[] }): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const origins = new Set(options.corsOrigins ?? ['http://localhost:8233', 'http://127.0.0.1:8233']);
  const server = createServer((req, res) => void handle(req, res, options.codec, origins));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const { port, address } = server.address() as AddressInfo;
      resolve({ url: `http://${address}:${port}`, server, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, codec: PayloadCodec, origins: Set<string>): Promise<void> {
  const origin = req.headers.origin;
  if (origin && origins.has(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'content-type, x-namespace, authorization');
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  }
  if (req.method === 'OPTIONS') return void res.writeHead(204).end();
  const op = req.url?.split('?')[0];
  if (req.method !== 'POST' || (op !== '/encode' && op !== '/decode')) return reply(res, 404, { error: 'use POST /encode or POST /decode' });
  try {
    const body = await readJson(req);
    const payloads = (body.payloads ?? []).map(fromJson);
    const out = op === '/encode' ? await codec.encode(payloads) : await codec.decode(payloads);
    reply(res, 200, { payloads: out.map(toJson) });
  } catch (err) {
    reply(res, 400, { error: err instanceof Error ? err.message : 'bad request' });
  }
}

async function readJson(req: IncomingMessage): Promise<{ payloads?: JsonPayload[] }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  if (typeof parsed !== 'object' || parsed === null || ('payloads' in parsed && !Array.isArray((parsed as { payloads: unknown }).payloads))) {
    throw new Error('body must be {"payloads": [...]}');
  }
  return parsed as { payloads?: JsonPayload[] };
}

function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
    data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
  };
}

function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
