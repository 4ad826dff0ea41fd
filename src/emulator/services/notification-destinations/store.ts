import { notFound } from '../../http/errors.js';
import type { WebhookTarget } from '../../notifications.js';
import { CONFIG_KINDS, configSchemas, type ConfigKind, type StoredConfig } from './config.js';

export interface Destination {
  id: string;
  display_name: string;
  config: StoredConfig;
}

/** The workspace's destinations in creation order (the list's order, so page tokens stay valid). */
export class DestinationStore {
  private readonly byId = new Map<string, Destination>();

  all(): Destination[] {
    return [...this.byId.values()];
  }

  add(d: Destination): void {
    this.byId.set(d.id, d);
  }

  find(id: string): Destination {
    const d = this.byId.get(id);
    if (!d) throw notFound(`Notification destination ${id} does not exist.`);
    return d;
  }

  delete(id: string): void {
    this.find(id);
    this.byId.delete(id);
  }

  /**
   * Only generic webhooks get the job webhook payload: Slack, Teams and PagerDuty expect their own
   * message formats, which the emulator does not imitate. Databricks authenticates to a generic
   * webhook with HTTP Basic auth from the destination's username and password.
   */
  webhookTarget(id: string): WebhookTarget | undefined {
    const d = this.byId.get(id);
    if (d?.config.kind !== 'generic_webhook') return undefined;
    const { url, username, password } = d.config.fields as { url: string; username?: string; password?: string };
    if (!username && !password) return { url, headers: {} };
    return { url, headers: { authorization: `Basic ${Buffer.from(`${username ?? ''}:${password ?? ''}`).toString('base64')}` } };
  }

  snapshot(): { destinations: Destination[] } {
    return { destinations: this.all() };
  }

  /** Takes back a snapshot; records that do not validate are skipped (the file is untrusted). */
  restore(state: unknown): void {
    const list = (state as { destinations?: unknown } | null)?.destinations;
    if (!Array.isArray(list)) return;
    for (const raw of list as Partial<Destination>[]) {
      if (typeof raw?.id !== 'string' || typeof raw.display_name !== 'string') continue;
      const kind = raw.config?.kind;
      if (!CONFIG_KINDS.includes(kind as ConfigKind)) continue;
      const fields = configSchemas[kind as ConfigKind].safeParse(raw.config?.fields);
      if (!fields.success) continue;
      this.add({ id: raw.id, display_name: raw.display_name, config: { kind: kind as ConfigKind, fields: fields.data } });
    }
  }
}
