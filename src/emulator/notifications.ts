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

/** Where a job webhook goes; `headers` may carry credentials, so neither is ever logged. */
export interface WebhookTarget {
  url: string;
  headers: Record<string, string>;
}

/**
 * Fire-and-forget delivery of run events so workflows can end a wait early:
 * - every event goes, in the emulator's own shape, to the URLs set with `urls`;
 * - events named in a job's `webhook_notifications` go to the matching notification destination in
 *   the shape Databricks job webhooks use: first a destination of the Notification Destinations API
 *   (`lookup`), else one set through the control API (`destinations`: id → URL).
 * Delivery failures are logged, never retried.
 */
export class Notifier {
  private urls: string[] = [];
  private destinations: Record<string, string> = {};

  constructor(
    private readonly logger: Logger,
    private readonly workspaceId: () => number,
    private readonly lookup: (id: string) => WebhookTarget | undefined = () => undefined,
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
    for (const url of this.urls) this.post({ url, headers: {} }, plain, { url });
    const eventType = EVENT_TYPE[event.event];
    if (!eventType) return;
    for (const id of webhook_ids ?? []) {
      const target = this.target(id);
      if (!target) continue;
      // A destination's URL is a credential (Slack-style URLs are), so failures name the id only.
      this.post(target, {
        event_type: eventType,
        workspace_id: String(this.workspaceId()),
        run: { run_id: String(event.run_id) },
        ...(event.job_id !== undefined ? { job: { job_id: String(event.job_id), name: event.run_name ?? '' } } : {}),
      }, { destination: id });
    }
  }

  private target(id: string): WebhookTarget | undefined {
    const fromApi = this.lookup(id);
    if (fromApi) return fromApi;
    const url = this.destinations[id];
    return url ? { url, headers: {} } : undefined;
  }

  private post(target: WebhookTarget, body: unknown, logAs: Record<string, string>): void {
    fetch(target.url, {
      method: 'POST',
      headers: { ...target.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    }).catch((err: unknown) => {
      const message = (err instanceof Error ? err.message : String(err)).split(target.url).join('[url]');
      this.logger.warn({ ...logAs, err: message }, 'run notification delivery failed');
    });
  }
}
