import { ApiError, invalidParameter } from '../../http/errors.js';
import { versions } from '../../http/router.js';
import { UcError } from '../../sql/index.js';

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

