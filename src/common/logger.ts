import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';
import { SECRET_CONNECTION_OPTIONS } from './uc-connection-options.js';

export type { Logger };

/**
 * Field paths pino censors wherever they appear in a log object. Secrets must never reach a log
 * line even when a whole request, config or error object is logged by mistake.
 */
export const REDACTED_PATHS = [
  'token',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'accessToken',
  'access_token',
  'apiKey',
  'authorization',
  'Authorization',
  'string_value',
  'bytes_value',
  'token_value',
  'personal_access_token',
  'value',
  '*.token',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.client_secret',
  '*.accessToken',
  '*.access_token',
  '*.apiKey',
  '*.authorization',
  '*.Authorization',
  '*.string_value',
  '*.bytes_value',
  '*.token_value',
  '*.personal_access_token',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  // A Unity Catalog connection's secret options (a password, a private key, …), logged with its request or nested one deeper.
  ...SECRET_CONNECTION_OPTIONS.flatMap((k) => [`options.${k}`, `*.options.${k}`, `*.*.options.${k}`]),
];

export interface CreateLoggerOptions {
  name?: string;
  level?: LoggerOptions['level'];
  /** Extra secret values (e.g. a PAT) that are scrubbed from every serialized line as a last line of defence. */
  secrets?: readonly string[];
  destination?: DestinationStream;
}

/** Structured JSON logger (pino) with secret redaction; every process of durabricks logs through it. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= MIN_SCRUBBED_SECRET_LENGTH);
  const pinoOptions: LoggerOptions = {
    name: options.name ?? 'durabricks',
    level: options.level ?? process.env.DURABRICKS_LOG_LEVEL ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    base: undefined,
    ...(secrets.length > 0 && {
      hooks: {
        // Scrub known secret values from free-text messages too, which path-based redaction cannot see.
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrubSecrets(a, secrets) : a)) as Parameters<typeof method>);
        },
      },
    }),
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

/** Shorter secret values are not scrubbed from free text: they would blank out ordinary words. */
export const MIN_SCRUBBED_SECRET_LENGTH = 6;

/** Replaces every occurrence of each secret with `[REDACTED]`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[REDACTED]');
  return out;
}
