import { insufficientPrivileges } from './errors.js';
import { volumeSecurable, type Grants } from './grants.js';
import { doesNotHave } from './privileges.js';
import { levelsOf, USE } from './visibility.js';
import type { VolumeRef, Volumes } from './volumes.js';

/**
 * Reading a volume's files in SQL (read_files, COPY INTO's source, LIST) needs what the volume
 * privileges docs' table says reading or listing files needs: USE CATALOG, USE SCHEMA and READ
 * VOLUME, each held as statements need them (granted, through a group, inherited, or owning the
 * very object); admins pass. Only names are read, so a caller without them learns nothing of what
 * exists, and the check runs before any file is touched. The error has the shape statements use.
 */
export function authorizeVolumeReads(grants: Grants, volumes: Volumes, user: string, refs: readonly VolumeRef[]): void {
  if (grants.isAdmin(user)) return;
  const missing: string[] = [];
  for (const ref of refs) {
    const volume = volumeSecurable(volumes, ref);
    for (const level of levelsOf(volume)) {
      const privilege = level === volume ? 'READ_VOLUME' : USE[level.kind]!;
      if (grants.hasPrivilege(level, user, privilege)) continue;
      const line = doesNotHave(level, [privilege]);
      if (!missing.includes(line)) missing.push(line);
    }
  }
  if (missing.length > 0) throw insufficientPrivileges(missing);
}
