/**
 * Notification Destinations API (`/api/2.0/notification-destinations`): where job and alert
 * notifications go. Writes need a workspace admin. URLs, webhook credentials and PagerDuty keys are
 * input-only: answers carry `url_set`, `password_set`, … instead, and the values given to create and
 * update are scrubbed from any error message.
 */
import { z } from 'zod';
import type { CallOptions, HttpClient } from '../http.js';
import { byPageToken, type Paginated } from '../paginate.js';
import { listCap, nonEmpty, positiveInt, validate, type In } from '../validate.js';
import type { Empty, OpenEnum } from './types.js';

const BASE = '/api/2.0/notification-destinations';
const KINDS = ['generic_webhook', 'slack', 'microsoft_teams', 'pagerduty', 'email'] as const;

const ConfigSchema = z
  .looseObject({
    generic_webhook: z.looseObject({ url: z.string().optional(), username: z.string().optional(), password: z.string().optional() }).optional(),
    slack: z.looseObject({ url: z.string().optional() }).optional(),
    microsoft_teams: z.looseObject({ url: z.string().optional() }).optional(),
    pagerduty: z.looseObject({ integration_key: z.string().optional() }).optional(),
    email: z.looseObject({ addresses: z.array(nonEmpty).optional() }).optional(),
  })
  .refine((c) => KINDS.filter((k) => c[k] !== undefined).length === 1, { error: `must wrap exactly one of ${KINDS.join(', ')}` });
export type DestinationConfigInput = z.input<typeof ConfigSchema>;

const CreateSchema = z.looseObject({ display_name: nonEmpty, config: ConfigSchema });
export type CreateNotificationDestinationRequest = z.infer<typeof CreateSchema>;
const UpdateSchema = z
  .looseObject({ id: nonEmpty, display_name: nonEmpty.optional(), config: ConfigSchema.optional() })
  .refine((r) => r.display_name !== undefined || r.config !== undefined, { error: 'give display_name, config or both', path: ['display_name'] });
export type UpdateNotificationDestinationRequest = z.infer<typeof UpdateSchema>;
const IdSchema = z.looseObject({ id: nonEmpty });
const ListSchema = listCap.extend({ page_size: positiveInt.optional() });

export type DestinationType = OpenEnum<'WEBHOOK' | 'SLACK' | 'MICROSOFT_TEAMS' | 'PAGERDUTY' | 'EMAIL'>;

/** A config as answered: secrets only as whether they are set. */
export interface DestinationConfig {
  generic_webhook?: { url_set?: boolean; username_set?: boolean; password_set?: boolean };
  slack?: { url_set?: boolean };
  microsoft_teams?: { url_set?: boolean };
  pagerduty?: { integration_key_set?: boolean };
  email?: { addresses?: string[] };
  [kind: string]: unknown;
}

export interface NotificationDestination {
  id: string;
  display_name?: string;
  destination_type?: DestinationType;
  /** Answered to workspace admins only. */
  config?: DestinationConfig;
}

export type NotificationDestinationSummary = Omit<NotificationDestination, 'config'>;

/** The secret values in a config, so an error that echoes one cannot leak it. */
function secretsOf(config: DestinationConfigInput | undefined): string[] {
  const c = config ?? {};
  return [c.generic_webhook?.url, c.generic_webhook?.password, c.slack?.url, c.microsoft_teams?.url, c.pagerduty?.integration_key].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

export class NotificationDestinationsService {
  constructor(private readonly http: HttpClient) {}

  private path(id: string): string {
    return `${BASE}/${encodeURIComponent(id)}`;
  }

  /** Not safe to repeat: every call creates another destination (the API has no idempotency key). */
  async create(req: CreateNotificationDestinationRequest, opts?: CallOptions): Promise<NotificationDestination> {
    const body = validate('notificationDestinations.create', CreateSchema, req);
    return this.http.request({ operation: 'notificationDestinations.create', method: 'POST', path: BASE, body, idempotent: false, redact: secretsOf(body.config), ...opts });
  }

  async get(req: In<typeof IdSchema>, opts?: CallOptions): Promise<NotificationDestination> {
    const { id } = validate('notificationDestinations.get', IdSchema, req);
    return this.http.request({ operation: 'notificationDestinations.get', method: 'GET', path: this.path(id), idempotent: true, ...opts });
  }

  /** Sets the fields given; repeating it gives the same destination. */
  async update(req: UpdateNotificationDestinationRequest, opts?: CallOptions): Promise<NotificationDestination> {
    const { id, ...body } = validate('notificationDestinations.update', UpdateSchema, req);
    return this.http.request({ operation: 'notificationDestinations.update', method: 'PATCH', path: this.path(id), body, idempotent: true, redact: secretsOf(body.config), ...opts });
  }

  async delete(req: In<typeof IdSchema>, opts?: CallOptions): Promise<Empty> {
    const { id } = validate('notificationDestinations.delete', IdSchema, req);
    return this.http.request({ operation: 'notificationDestinations.delete', method: 'DELETE', path: this.path(id), idempotent: true, ...opts });
  }

  async listPage(req: { page_size?: number; page_token?: string } = {}, opts?: CallOptions): Promise<{ results?: NotificationDestinationSummary[]; next_page_token?: string }> {
    return this.http.request({ operation: 'notificationDestinations.list', method: 'GET', path: BASE, query: req, idempotent: true, ...opts });
  }

  /** Follows `next_page_token` across pages; `page_size` sets the page, `limit` caps the total. */
  list(req: In<typeof ListSchema> = {}, opts?: CallOptions): Paginated<NotificationDestinationSummary> {
    const { limit, ...query } = validate('notificationDestinations.list', ListSchema, req);
    return byPageToken((page) => this.listPage({ ...query, ...page }, opts), (r) => r.results, limit);
  }
}
