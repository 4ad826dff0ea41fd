/**
 * Turns Databricks job-run notifications (a webhook destination's POSTs) into `runEvent` signals, so a
 * pipeline waiting for its run wakes at once instead of at its next poll. Polling stays the fallback:
 * a lost or unmatched notification only costs latency, so this server never retries or queues.
 *
 * Matching a run to its workflow: one-time runs carry `[durabricks:<workflowId>]` in their run name;
 * otherwise the running pipelines are asked (progress query, no history) which one owns the run id,
 * and the answer is cached. Notifications that miss at the same time share one scan, which asks only
 * pipelines not yet known, a few at a time.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { RunEvent } from '../workflows/lib/pipeline-types.js';
import { getPipelineProgress, listRecentPipelines, signalRunEvent } from './pipelines.js';
import { carriesSecret } from './webhook-auth.js';

export interface WebhookReceiverOptions {
  client: Client;
  port?: number;
  host?: string;
  /**
   * Optional shared secret: when set, requests must carry `Authorization: Bearer <secret>` or
   * `Basic base64(<any username>:<secret>)` (a Databricks generic webhook's username and password).
   */
  secret?: string;
  log?: (line: string) => void;
}

export interface RunningWebhookReceiver {
  url: string;
  /** Notifications received, and how many became signals (for tests and metrics). */
  stats: { received: number; signalled: number; unmatched: number };
  close(): Promise<void>;
}

const MARKER = /\[durabricks:([^\]]+)\]\s*$/;
const MAX_BODY = 64 * 1024;

/** Accepts the emulator's flat shape and the real service's nested `{ run: { run_id }, job: {…} }`. */
export function parseRunNotification(body: unknown): (RunEvent & { run_name?: string }) | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const run = (typeof b.run === 'object' && b.run !== null ? b.run : b) as Record<string, unknown>;
  const runId = Number(run.run_id);
  if (!Number.isSafeInteger(runId) || runId <= 0) return undefined;
  const rawEvent = String(b.event ?? b.event_type ?? '');
  const event = rawEvent.startsWith('run.') ? rawEvent : `run.${rawEvent.replace(/^jobs\.on_/, '').replace(/^on_/, '').replace('success', 'succeeded').replace('failure', 'failed').replace('start', 'started')}`;
  return {
    event,
    run_id: runId,
    ...(typeof b.life_cycle_state === 'string' ? { life_cycle_state: b.life_cycle_state } : {}),
    ...(typeof b.result_state === 'string' ? { result_state: b.result_state } : {}),
    ...(typeof b.run_name === 'string' ? { run_name: b.run_name } : {}),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<RunningWebhookReceiver> {
  const { client } = options;
  const log = options.log ?? (() => {});
  const stats = { received: 0, signalled: 0, unmatched: 0 };
  const owners = new Map<number, string>();

  /** Pipelines whose run id is already in `owners`: a scan does not ask them again. */
  const known = new Set<string>();
  let scan: { startedAt: number; done: Promise<void> } | undefined;

  /** Asks the running pipelines not yet known (a few at a time) for their run id. */
  async function scanRunning(): Promise<void> {
    const unknown = (await listRecentPipelines(client, { runningOnly: true, limit: 50 })).filter((wf) => !known.has(wf.workflowId));
    let next = 0;
    const lane = async () => {
      while (next < unknown.length) {
        const wf = unknown[next++]!;
        const progress = await getPipelineProgress(client, wf.workflowId).catch(() => undefined);
        if (progress?.runId === undefined) continue;
        owners.set(progress.runId, wf.workflowId);
        known.add(wf.workflowId);
        if (owners.size > 1000) {
          const [oldRun, oldOwner] = owners.entries().next().value!;
          owners.delete(oldRun);
          known.delete(oldOwner);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, unknown.length) }, lane));
  }

  async function ownerOf(event: RunEvent & { run_name?: string }): Promise<string | undefined> {
    const marked = event.run_name ? MARKER.exec(event.run_name)?.[1] : undefined;
    if (marked) return marked;
    // One scan at a time: notifications that miss together share it (a burst of run ends costs one
    // scan). A scan that started before this notification arrived may have asked its pipeline before
    // it had a run id, so a miss after it is followed by one fresh scan.
    const arrivedAt = performance.now();
    let fresh = false;
    for (let i = 0; i < 4 && !owners.has(event.run_id); i++) {
      if (scan) {
        const joined = scan;
        await joined.done.catch(() => {});
        if (joined.startedAt >= arrivedAt) fresh = true;
        continue;
      }
      if (fresh) break;
      const current = { startedAt: performance.now(), done: scanRunning() };
      scan = current;
      void current.done
        .finally(() => {
          if (scan === current) scan = undefined;
        })
        .catch(() => {});
    }
    return owners.get(event.run_id);
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      if (options.secret && !carriesSecret(req.headers.authorization, options.secret)) {
        res.writeHead(401).end();
        return;
      }
      let event;
      try {
        event = parseRunNotification(await readJson(req));
      } catch {
        event = undefined;
      }
      if (!event) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"expected a job run notification with run_id"}');
        return;
      }
      stats.received++;
      // Answer first: the sender must not wait on Temporal (and real destinations time out quickly).
      res.writeHead(202).end();
      try {
        const workflowId = await ownerOf(event);
        if (!workflowId) {
          stats.unmatched++;
          return;
        }
        const { run_name: _name, ...signal } = event;
        await signalRunEvent(client, workflowId, signal);
        stats.signalled++;
      } catch (err) {
        // The workflow may have finished already; polling covers anything missed here.
        log(`webhook: run ${event.run_id} not delivered (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}/databricks/run-events`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
