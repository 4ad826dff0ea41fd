import type { Logger } from '../common/logger.js';

/** A job run event, POSTed as JSON to every URL configured with POST /_emulator/notifications. */
export interface RunNotification {
  event: 'run.started' | 'run.succeeded' | 'run.failed' | 'run.canceled' | 'run.skipped';
  run_id: number;
  job_id?: number;
  run_name?: string;
  life_cycle_state: string;
  result_state?: string;
  /** Virtual epoch ms. */
  timestamp: number;
  /** Destination ids from the run's `webhook_notifications` for this event (on_start / on_success / on_failure). */
  webhook_ids?: string[];
}

const EVENT_TYPE: Partial<Record<RunNotification['event'], string>> = {
  'run.started': 'jobs.on_start',
  'run.succeeded': 'jobs.on_success',
  'run.failed': 'jobs.on_failure',
};

/**
 * Fire-and-forget delivery of run events so workflows can end a wait early:
 * - every event goes, in the emulator's own shape, to the URLs set with `urls`;
 * - events named in a job's `webhook_notifications` go to the matching notification
 *   destination (`destinations`: id → URL) in the shape Databricks job webhooks use.
 * Delivery failures are logged, never retried.
 */
export class Notifier {
  private urls: string[] = [];
  private destinations: Record<string, string> = {};

  constructor(
    private readonly logger: Logger,
    private readonly workspaceId: () => number,
  ) {}

  configure(urls: string[], destinations: Record<string, string> = {}): void {
    this.urls = [...urls];
    this.destinations = { ...destinations };
  }

  list(): { urls: string[]; destinations: Record<string, string> } {
    return { urls: [...this.urls], destinations: { ...this.destinations } };
  }

  send(event: RunNotification): void {
    const { webhook_ids, ...plain } = event;
    for (const url of this.urls) this.post(url, plain);
    const eventType = EVENT_TYPE[event.event];
    if (!eventType) return;
    for (const id of webhook_ids ?? []) {
      const url = this.destinations[id];
      if (!url) continue;
      this.post(url, {
        event_type: eventType,
        workspace_id: String(this.workspaceId()),
        run: { run_id: String(event.run_id) },
        ...(event.job_id !== undefined ? { job: { job_id: String(event.job_id), name: event.run_name ?? '' } } : {}),
      });
    }
  }

  private post(url: string, body: unknown): void {
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) }).catch((err: unknown) =>
      this.logger.warn({ url, err: err instanceof Error ? err.message : String(err) }, 'run notification delivery failed'),
    );
  }
}
