import { invalidParameter } from './errors.js';

/** Opaque page tokens: base64url of an offset. Anything we did not mint is a 400, as on the real service. */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function decodePageToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'o' in parsed) {
      const o = (parsed as { o: unknown }).o;
      if (typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) return o;
    }
  } catch {
    // fall through to the error below
  }
  throw invalidParameter(`Invalid page token: ${token.length > 40 ? `${token.slice(0, 40)}...` : token}`);
}

/**
 * The real API is proto-based and omits empty repeated fields (reference §1.2: "treat missing as
 * []"), so list answers leave the key out when there is nothing in it.
 */
export function listBody(key: string, items: readonly unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return items.length > 0 ? { [key]: items, ...extra } : { ...extra };
}

/**
 * One page of `items` starting at the offset `pageToken` carries (0 without one): the slice, and the
 * tokens of the next page (when there is more) and of the previous one (when this is not the first).
 */
export function offsetPage<T>(items: readonly T[], pageToken: string | undefined, size: number): { page: T[]; next?: string; prev?: string } {
  const offset = pageToken ? decodePageToken(pageToken) : 0;
  return {
    page: items.slice(offset, offset + size),
    ...(offset + size < items.length ? { next: encodePageToken(offset + size) } : {}),
    ...(offset > 0 ? { prev: encodePageToken(Math.max(0, offset - size)) } : {}),
  };
}
