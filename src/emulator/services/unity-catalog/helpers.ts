import type { z } from 'zod';
import { ApiError, invalidParameter, notImplemented } from '../../http/errors.js';
import { versions, type ApiRequest } from '../../http/router.js';
import { UcError, type Securable, type SqlEngine } from '../../sql/index.js';
import { RestAccess, type Sight } from './rest-access.js';
import type { updateInput } from './schemas.js';

/** `/api/2.1/unity-catalog<suffix>`. */
export const p = (suffix: string): string[] => versions(['2.1'], `/unity-catalog${suffix}`);

/** Runs a catalog operation, turning UcError into the API error it stands for. */
export async function uc<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UcError) throw new ApiError(e.status, e.errorCode, e.message);
    throw e;
  }
}

export function splitName(full: string, parts: 2 | 3, what: string): string[] {
  const names = full.toLowerCase().split('.');
  if (names.length !== parts || names.some((n) => n === '')) throw invalidParameter(`Invalid ${what} name '${full}': expected ${parts === 2 ? 'catalog.schema' : `catalog.schema.${what}`}.`);
  return names;
}


/** The caller's Unity Catalog access, for one request. */
export function accessOf(engine: SqlEngine, req: ApiRequest): RestAccess {
  return new RestAccess(engine.catalog.grants, req.principal.userName);
}

/** An answer as the caller sees it: one it may only browse says so (`browse_only`). */
export function shown<T extends Record<string, unknown>>(info: T, sight: Sight): T {
  return sight === 'browse' ? { ...info, browse_only: true } : info;
}

/**
 * A create's check, for non-admins only: the parent's own 404 first (as without privileges), then
 * USE on the way down and `privilege` on the parent. Admins skip both, so their answers stay as
 * they were (the create itself reports a bad name before a missing parent).
 */
export async function checkCreate(access: RestAccess, parentExists: () => Promise<void>, parent: Securable, privilege: string): Promise<void> {
  if (access.admin) return;
  await uc(parentExists);
  await uc(async () => access.requireCreate(parent, privilege));
}

/** PATCH bodies: comment/owner/properties are kept; renames are not reproducible on DuckDB. */
export function applyUpdate(engine: SqlEngine, key: string, input: z.infer<typeof updateInput>, user: string): void {
  const current = key.split('.').at(-1);
  if (input.new_name !== undefined && input.new_name.toLowerCase() !== current) throw notImplemented('not supported by the emulator: renaming Unity Catalog objects');
  engine.catalog.touch(key, user, input);
}
