import { createServer } from 'node:net';

/** True when nothing listens on host:port (we can bind it ourselves). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The preferred port when it is free, otherwise a free one (so a second stack or a busy 7233 never blocks us). */
export async function preferredOrFreePort(preferred: number | undefined, host = '127.0.0.1', avoid: number[] = []): Promise<number> {
  if (preferred !== undefined && !avoid.includes(preferred) && (await isPortFree(preferred, host))) return preferred;
  for (;;) {
    const port = await freePort(host);
    if (!avoid.includes(port)) return port;
  }
}
