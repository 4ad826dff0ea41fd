/**
 * Cloud storage URLs as external locations and storage roots name them, compared as paths:
 * `s3://bucket/a` holds `s3://bucket/a/b` but not `s3://bucket/ab`. The schemes are the ones
 * Unity Catalog storage credentials reach (AWS S3, Azure ADLS Gen2, GCS, Cloudflare R2); `wasbs://`
 * and `adl://` are not Unity Catalog locations (databrickslabs/ucx#1064).
 */
const CLOUD_URL = /^(s3|abfss|gs|r2):\/\/([^/]+)(\/.*)?$/i;

/** The URL without trailing slashes and with a lower-case scheme, or undefined if it is not a cloud URL. */
export function cloudPath(url: string): string | undefined {
  const m = CLOUD_URL.exec(url.trim());
  if (!m) return undefined;
  const path = (m[3] ?? '').replace(/\/+$/, '');
  return `${m[1]!.toLowerCase()}://${m[2]}${path}`;
}

/** Whether `path` is `root` or lies under it (both normalized by cloudPath). */
export function isWithin(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/** Same path, or one inside the other. */
export function overlaps(a: string, b: string): boolean {
  return isWithin(a, b) || isWithin(b, a);
}
