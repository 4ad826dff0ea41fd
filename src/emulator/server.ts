import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { extractToken } from './auth.js';
import { handleControl } from './control.js';
import { errorJson, json, type ApiResponse, type EmulatorEngine } from './engine.js';
import { HOST_METADATA_PATH } from './services/oauth/index.js';

/** Bodies above this are refused before parsing (workspace import allows 10 MB of content, i.e. ~13.4 MB base64). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * The HTTP front: node:http (no framework: the hot path is a map lookup and JSON.stringify, which
 * keeps runs/get well above 5,000 req/s). Order per request: control API → auth (401) → rate limit
 * (429) → stats → faults → route + validation + handler.
 */
export function createEmulatorServer(engine: EmulatorEngine, tokens: string[]): Server {
  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    handle(engine, tokens, req, res).catch((err: unknown) => {
      engine.logger.error({ err }, 'emulator request failed');
      if (!res.headersSent) send(res, errorJson(500, 'INTERNAL_ERROR', 'Unexpected error while handling the request.'));
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

async function handle(engine: EmulatorEngine, tokens: string[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const search = q < 0 ? '' : url.slice(q + 1);
  const method = (req.method ?? 'GET').toUpperCase();

  const body = await readBody(req);
  if (body === 'too-large') {
    send(res, errorJson(400, 'MAX_BLOCK_SIZE_EXCEEDED', `The request body exceeds the maximum of ${MAX_BODY_BYTES} bytes.`));
    return;
  }
  const settling = engine.settle();
  if (settling) await settling;

  if (path.startsWith('/_emulator/')) {
    let parsed: unknown;
    try {
      parsed = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      send(res, errorJson(400, 'MALFORMED_REQUEST', 'Invalid JSON given in the body of the request - failed to parse given json'));
      return;
    }
    send(res, await handleControl(engine, method, path, parsed, tokens));
    return;
  }

  engine.stats.record(method, statsPath(engine, method, path));
  const authHeader = req.headers.authorization;
  let principal;
  try {
    if (path.startsWith('/oidc/') || path === HOST_METADATA_PATH) {
      // OAuth discovery and token endpoints authenticate the client themselves, and host metadata is public
      // (services/oauth); faults still apply.
      principal = { userName: 'anonymous', isAdmin: false, kind: 'user' as const };
    } else {
      principal = engine.principals.authenticate(authHeader);
      // Keyed by the token itself; the map is never logged or returned.
      engine.rateLimiter.take(extractToken(authHeader) ?? '');
    }
  } catch (err) {
    send(res, engine.errorResponse(err));
    return;
  }

  const fault = engine.faults.decide(method, path);
  if (fault?.action === 'respond') {
    const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
    send(res, { ...json(fault.status, fault.body), headers });
    return;
  }
  if (fault?.action === 'reset_before_apply') {
    req.socket.resetAndDestroy();
    return;
  }
  if (fault?.action === 'latency') await sleep(fault.ms);

  const response = await engine.dispatch(method, path, search, req.headers, body, principal);
  if (fault?.action === 'drop_after_apply') {
    req.socket.resetAndDestroy();
    return;
  }
  send(res, response);
  if (response.status >= 500) engine.logger.warn({ method, path, status: response.status }, 'emulator answered with a server error');
  else if (engine.logger.isLevelEnabled('debug')) engine.logger.debug({ method, path, status: response.status }, 'request');
}

/** Stats key on the route template when one matches, so `/sql/statements/<id>` counts as one endpoint. */
function statsPath(engine: EmulatorEngine, method: string, path: string): string {
  const m = engine.router.match(method, path);
  return m && m !== 'method' ? m.template : path;
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.alloc(0)));
  });
}

function send(res: ServerResponse, r: ApiResponse): void {
  if (res.destroyed) return;
  const payload = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
  res.writeHead(r.status, { 'content-type': r.contentType, 'content-length': payload.length, ...r.headers });
  res.end(payload);
}

