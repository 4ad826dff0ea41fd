import type { ServiceModule } from '../types.js';
import { destinationRoutes } from './routes.js';
import type { WebhookTarget } from '../../notifications.js';
import { DestinationStore } from './store.js';

/**
 * Notification destinations (`/api/2.0/notification-destinations`): admins create, update and delete
 * them; a job's `webhook_notifications` names them by id, and the engine's Notifier asks
 * `webhookTarget(id)` where to send the job webhook.
 */
export interface NotificationDestinationsApi {
  webhookTarget(id: string): WebhookTarget | undefined;
}

export const NOTIFICATION_DESTINATIONS = 'notification-destinations';

export const notificationDestinationsService: ServiceModule = {
  name: NOTIFICATION_DESTINATIONS,
  create(ctx) {
    const store = new DestinationStore();
    const api: NotificationDestinationsApi = { webhookTarget: (id) => store.webhookTarget(id) };
    return {
      routes: destinationRoutes(ctx, store),
      api,
      snapshot: () => store.snapshot(),
      restore: (state) => store.restore(state),
    };
  },
};
