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
}

/**
 * Fire-and-forget delivery of run events (what a webhook notification destination would receive),
 * so workflows can end a wait early. Delivery failures are logged, never retried.
 */
export class Notifier {
  private urls: string[] = [];

  constructor(private readonly logger: Logger) {}

  setUrls(urls: string[]): void {
    this.urls = [...urls];
  }

  list(): string[] {
    return [...this.urls];
  }

  send(event: RunNotification): void {
    for (const url of this.urls) {
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event), signal: AbortSignal.timeout(5000) }).catch(
        (err: unknown) => this.logger.warn({ url, err: err instanceof Error ? err.message : String(err) }, 'run notification delivery failed'),
      );
    }
  }
}
