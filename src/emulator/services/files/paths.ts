import { invalidParameter } from '../../http/errors.js';
import type { VolumeRef } from '../../sql/index.js';

/** A Files API path split into the volume it is in and the segments below the volume root. */
export interface VolumePath {
  volume: VolumeRef;
  /** Segments under the volume root; empty for the root itself. */
  rel: string[];
  /** `/Volumes/<catalog>/<schema>/<volume>/…` as the caller sent it (for messages and listings). */
  display: string;
  /** The volume root as the caller spelled it: `/Volumes/<catalog>/<schema>/<volume>`. */
  root: string;
}

/**
 * Parses the path after `/fs/files` or `/fs/directories` (already URL-decoded per segment by the
 * router). Only `/Volumes/<catalog>/<schema>/<volume>/…` is served; `.`/`..` segments, empty
 * segments and NUL are refused before anything touches the disk, so no path can leave its volume.
 * A trailing `/` (directory style) is accepted.
 */
export function parseVolumePath(raw: string): VolumePath {
  const shown = raw.startsWith('/') ? raw : `/${raw}`;
  if (raw.includes('\0')) throw invalidParameter(`Invalid path ${JSON.stringify(shown)}: it contains a NUL character.`);
  const parts = shown.split('/').slice(1);
  if (parts.at(-1) === '') parts.pop();
  if (parts.some((s) => s === '')) throw invalidParameter(`Invalid path ${JSON.stringify(shown)}: empty path segment.`);
  if (parts.some((s) => s === '.' || s === '..')) throw invalidParameter(`Invalid path ${JSON.stringify(shown)}: '.' and '..' segments are not allowed.`);
  if (parts[0] !== 'Volumes' || parts.length < 4) {
    throw invalidParameter(`Invalid path ${JSON.stringify(shown)}: the Files API serves paths of the form /Volumes/<catalog>/<schema>/<volume>/<path>.`);
  }
  const [, catalog, schema, name] = parts as [string, string, string, string];
  return { volume: { catalog: catalog.toLowerCase(), schema: schema.toLowerCase(), name: name.toLowerCase() }, rel: parts.slice(4), display: `/${parts.join('/')}`, root: `/${parts.slice(0, 4).join('/')}` };
}
