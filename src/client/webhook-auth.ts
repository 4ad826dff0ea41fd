import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an `Authorization` header carries the receiver's shared secret, as either
 * `Bearer <secret>` (curl, the emulator's control-API URLs) or `Basic base64(<any user>:<secret>)`,
 * which is how a Databricks generic-webhook destination sends its username and password.
 * Compared over SHA-256 digests, so the time taken says nothing about the secret or its length.
 */
export function carriesSecret(header: string | undefined, secret: string): boolean {
  const m = /^(bearer|basic)\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  let presented = m[2]!;
  if (m[1]!.toLowerCase() === 'basic') {
    const decoded = Buffer.from(presented, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    presented = decoded.slice(colon + 1);
  }
  return timingSafeEqual(digest(presented), digest(secret));
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
