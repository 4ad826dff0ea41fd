/**
 * Registers the webhook receiver with a workspace: the Notification Destinations API entry a job's
 * `webhook_notifications` names, so run events reach `durabricks worker`'s receiver. Keyed by display
 * name: running it again (new URL, rotated secret) updates the same destination instead of adding one.
 * Databricks generic webhooks authenticate with Basic auth, whose password the receiver compares
 * with its `DURABRICKS_WEBHOOK_SECRET`.
 */
import type { DatabricksClient } from '../databricks/index.js';

export const DEFAULT_DESTINATION_NAME = 'durabricks-run-events';
/** The Basic-auth user name sent with the secret (the receiver accepts any). */
const USERNAME = 'durabricks';

export interface WebhookDestinationOptions {
  /** Where the receiver is reachable from the workspace (https in production). */
  url: string;
  name?: string;
  /** The receiver's shared secret; without one the destination sends no credentials. */
  secret?: string;
}

export async function ensureWebhookDestination(db: DatabricksClient, options: WebhookDestinationOptions): Promise<{ id: string; name: string; action: 'created' | 'updated' }> {
  const name = options.name ?? DEFAULT_DESTINATION_NAME;
  const config = { generic_webhook: { url: options.url, ...(options.secret ? { username: USERNAME, password: options.secret } : {}) } };
  const same = (await db.notificationDestinations.list().toArray()).filter((d) => d.display_name === name);
  if (same.length > 1) throw new Error(`${same.length} notification destinations are named ${name} (${same.map((d) => d.id).join(', ')}); delete the extra ones or pass another name`);
  const existing = same[0];
  if (existing && existing.destination_type !== undefined && existing.destination_type !== 'WEBHOOK') {
    throw new Error(`the notification destination named ${name} (${existing.id}) is a ${existing.destination_type} destination, not a webhook; pass another name`);
  }
  if (existing) {
    await db.notificationDestinations.update({ id: existing.id, config });
    return { id: existing.id, name, action: 'updated' };
  }
  const created = await db.notificationDestinations.create({ display_name: name, config });
  return { id: created.id, name, action: 'created' };
}
