import { posix } from 'node:path';
import { invalidParameter, permissionDenied } from '../../http/errors.js';

const VOLUMES_ROOT = '/Volumes';

/**
 * DBFS paths are absolute (`/tmp/x`, also `dbfs:/tmp/x`). They are normalised before they touch
 * the disk, so `..` can never leave the DBFS root.
 */
export function normaliseDbfsPath(raw: string, field = 'path'): string {
  const p = raw.startsWith('dbfs:') ? raw.slice('dbfs:'.length) : raw;
  if (!p.startsWith('/')) throw invalidParameter(`Invalid value for field ${field}: the path must be absolute, got ${JSON.stringify(raw)}.`);
  if (p.includes('\0')) throw invalidParameter(`Invalid value for field ${field}: the path contains a NUL character.`);
  const n = posix.normalize(p);
  const path = n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
  // Unity Catalog volumes are reached through the Files API, not DBFS: the real service refuses any
  // DBFS call on them with 403 (databricks-sdk-py#571: dbfs/list of /Volumes/…; sdk-java#244: dbfs/create).
  if (path === VOLUMES_ROOT || path.startsWith(`${VOLUMES_ROOT}/`)) throw permissionDenied('No operations allowed on this path.');
  return path;
}

/** Strict base64 (whitespace allowed), as the service rejects garbage instead of decoding it leniently. */
export function decodeBase64(value: string, field: string): Buffer {
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw invalidParameter(`Invalid value for field ${field}: not valid base64.`);
  }
  return Buffer.from(compact, 'base64');
}
