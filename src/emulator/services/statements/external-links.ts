import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The "cloud storage" behind EXTERNAL_LINKS: a separate loopback HTTP server, as presigned URLs
 * point at another host and are fetched without the workspace's Authorization header. A link is
 * an unguessable token valid for 15 minutes (real time: the client checks `expiration` against
 * its own clock). One server per emulator (keyed by data dir), surviving resets; closed with it.
 */
export const LINK_TTL_MS = 15 * 60_000;

interface Link {
  expiresAt: number;
  /** Renders the chunk's JSON body; rejects when the result is gone. */
  render: () => Promise<string>;
}

class LinkServer {
  private server: Server | undefined;
  private url: Promise<string> | undefined;
  private readonly links = new Map<string, Link>();

  async publish(render: Link['render']): Promise<{ url: string; expiration: string }> {
    const base = await this.start();
    this.sweep();
    const token = randomBytes(24).toString('base64url');
    const expiresAt = Date.now() + LINK_TTL_MS;
    this.links.set(token, { expiresAt, render });
    return { url: `${base}/results/${token}`, expiration: new Date(expiresAt).toISOString() };
  }

  private start(): Promise<string> {
    this.url ??= new Promise((resolve, reject) => {
      const server = createServer((req, res) => {
        const token = /^\/results\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '')?.[1];
        const link = token ? this.links.get(token) : undefined;
        const reply = (status: number, body: string, type = 'text/plain') => {
          res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
          res.end(body);
        };
        if (req.method !== 'GET') return reply(405, 'Method Not Allowed');
        if (!link) return reply(404, 'NoSuchKey: The specified key does not exist.');
        if (Date.now() >= link.expiresAt) return reply(403, 'AccessDenied: Request has expired.');
        link.render().then(
          (body) => reply(200, body, 'application/json'),
          () => reply(404, 'NoSuchKey: The result has expired.'),
        );
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
      server.unref();
      this.server = server;
    });
    return this.url;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, l] of this.links) if (l.expiresAt <= now) this.links.delete(k);
  }

  async close(): Promise<void> {
    this.links.clear();
    const s = this.server;
    this.server = undefined;
    this.url = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}

const servers = new Map<string, LinkServer>();

/** The link server of the emulator whose data dir is `key`. */
export function linkServer(key: string): LinkServer {
  let s = servers.get(key);
  if (!s) servers.set(key, (s = new LinkServer()));
  return s;
}

export async function closeLinkServer(key: string): Promise<void> {
  const s = servers.get(key);
  servers.delete(key);
  await s?.close();
}
