import { z } from 'zod';
import { invalidParameter } from '../../http/errors.js';
import { nonEmpty } from '../../http/validation.js';

/**
 * The five destination configs (Python SDK `settings.Config`). URLs, the webhook credentials and the
 * PagerDuty key are input-only on the real service: answers say only whether each is set
 * (`url_set`, …), so the stored values never leave the emulator except in the notifications it sends.
 */

// Local receivers are plain http, so the emulator accepts it; the real service requires https.
const webUrl = () =>
  z.string().refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

const email = z.string().regex(/^[^@\s]+@[^@\s]+$/, 'must be an email address');

export const configSchemas = {
  generic_webhook: z.object({ url: webUrl(), username: z.string().optional(), password: z.string().optional() }),
  slack: z.object({ url: webUrl() }),
  microsoft_teams: z.object({ url: webUrl() }),
  pagerduty: z.object({ integration_key: nonEmpty() }),
  email: z.object({ addresses: z.array(email).min(1, 'must name at least one address') }),
};

export type ConfigKind = keyof typeof configSchemas;
export const CONFIG_KINDS = Object.keys(configSchemas) as ConfigKind[];

export const DESTINATION_TYPE: Record<ConfigKind, string> = {
  generic_webhook: 'WEBHOOK',
  slack: 'SLACK',
  microsoft_teams: 'MICROSOFT_TEAMS',
  pagerduty: 'PAGERDUTY',
  email: 'EMAIL',
};

/** What is stored: the kind and its fields, secrets included. */
export interface StoredConfig {
  kind: ConfigKind;
  fields: Record<string, unknown>;
}

const { generic_webhook, slack, microsoft_teams, pagerduty } = configSchemas;

/** A create body's config: every kind optional here, so "exactly one" gets its own precise message. */
export const createConfigSchema = z.object({
  generic_webhook: generic_webhook.optional(),
  slack: slack.optional(),
  microsoft_teams: microsoft_teams.optional(),
  pagerduty: pagerduty.optional(),
  email: configSchemas.email.optional(),
});

/** An update may send only the fields that change (a new password without repeating the URL). */
export const updateConfigSchema = z.object({
  generic_webhook: generic_webhook.partial().optional(),
  slack: slack.partial().optional(),
  microsoft_teams: microsoft_teams.partial().optional(),
  pagerduty: pagerduty.partial().optional(),
  email: configSchemas.email.partial().optional(),
});

/** The one kind a config names; a config with none or several is refused. */
export function onlyKind(config: Record<string, unknown>): ConfigKind {
  const given = CONFIG_KINDS.filter((k) => config[k] !== undefined);
  if (given.length !== 1) {
    throw invalidParameter(`config must wrap exactly one of ${CONFIG_KINDS.join(', ')}; got ${given.length === 0 ? 'none' : given.join(', ')}.`);
  }
  return given[0]!;
}

/** The config as answers show it: secrets replaced by whether they are set; email addresses shown. */
export function configView(c: StoredConfig): Record<string, unknown> {
  const set = (v: unknown) => typeof v === 'string' && v !== '';
  switch (c.kind) {
    case 'generic_webhook':
      return { generic_webhook: { url_set: set(c.fields.url), username_set: set(c.fields.username), password_set: set(c.fields.password) } };
    case 'slack':
    case 'microsoft_teams':
      return { [c.kind]: { url_set: set(c.fields.url) } };
    case 'pagerduty':
      return { pagerduty: { integration_key_set: set(c.fields.integration_key) } };
    case 'email':
      return { email: { addresses: [...(c.fields.addresses as string[])] } };
  }
}
