/**
 * Retry policy pieces: Retry-After parsing, backoff with jitter, and which transport failures
 * happened before the request could have reached the server.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from './config.js';

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    if (ms > 0) await delay(ms, undefined, { signal });
  },
};

/**
 * `Retry-After` as milliseconds: delta-seconds (`7`, also tolerated `1.5`) or an HTTP-date.
 * `retry-after-ms` (sent by some gateways, honoured by openai-node) wins when present.
 */
export function parseRetryAfter(
  headers: Record<string, string | string[] | undefined>,
  now: number,
): number | undefined {
  const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)?.trim();
  const ms = first(headers['retry-after-ms']);
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = first(headers['retry-after']);
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential backoff with equal jitter: attempt 1 → 0.5–1 s, 2 → 1–2 s, … capped at 10 s. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 1000 * 2 ** (attempt - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}

/** Error codes of failures that happen before any byte of the request is written. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export type TransportKind = 'not-sent' | 'maybe-sent' | 'timeout';

/** undici/net error codes, including those inside an AggregateError from happy-eyeballs connects. */
export function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  const visit = (e: unknown, depth: number): void => {
    if (!e || typeof e !== 'object' || depth > 3) return;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner)) for (const i of inner) visit(i, depth + 1);
    visit((e as { cause?: unknown }).cause, depth + 1);
  };
  visit(err, 0);
  return codes;
}

export function classifyTransportError(err: unknown): { kind: TransportKind; code: string } {
  const codes = errorCodes(err);
  const code = codes[0] ?? 'CONNECTION_ERROR';
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return { kind: 'timeout', code };
  if (codes.length > 0 && codes.every((c) => NOT_SENT_CODES.has(c))) return { kind: 'not-sent', code };
  return { kind: 'maybe-sent', code };
}
