import { SqlError } from './errors.js';
import { parentSecurables, securableFor, type Grants } from './grants.js';
import { SECURABLE_LABEL } from './privileges.js';
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
    const volume = securableFor('volume', [ref.catalog, ref.schema, ref.name], volumes.key(ref));
    const needs = [...parentSecurables(volume).map((p) => [p, p.kind === 'catalog' ? 'USE_CATALOG' : 'USE_SCHEMA'] as const), [volume, 'READ_VOLUME'] as const];
    for (const [s, privilege] of needs) {
      if (grants.hasPrivilege(s, user, privilege)) continue;
      const line = `User does not have ${privilege.replace(/_/g, ' ')} on ${SECURABLE_LABEL[s.kind]} '${s.fullName}'.`;
      if (!missing.includes(line)) missing.push(line);
    }
  }
  if (missing.length > 0) throw new SqlError('INSUFFICIENT_PERMISSIONS', `Insufficient privileges:\n${missing.join('\n')} SQLSTATE: 42501`);
}
