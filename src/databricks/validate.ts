/**
 * Input validation before anything is sent: a bad argument becomes a ValidationError naming it,
 * and no request leaves the process. Schemas are loose objects — fields the client does not model
 * pass through unchanged, as the API ignores unknown fields.
 */
import { z } from 'zod';
import { ValidationError } from './errors.js';

export function validate<S extends z.ZodType>(operation: string, schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const argument = issue.path.length > 0 ? issue.path.map(String).join('.') : 'request';
  throw new ValidationError(operation, argument, issue.message);
}

/** A non-empty string id (cluster_id, path, scope, …). */
export const nonEmpty = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });
/** An int64 id that fits a JS number (job_id, run_id, token ids are strings elsewhere). */
export const int64Id = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be an integer' })
  .nonnegative({ error: 'must not be negative' });
export const nonNegativeInt = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be an integer' })
  .nonnegative({ error: 'must not be negative' });
export const positiveInt = z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).positive({ error: 'must be positive' });
/** An absolute workspace / DBFS path. */
export const absPath = nonEmpty.refine((p) => p.startsWith('/') || /^dbfs:\//.test(p), { error: 'must be an absolute path' });

/** Optional `{ limit }` cap shared by every list call. */
export const listCap = z.looseObject({ limit: nonNegativeInt.optional() });

/** A request type derived from its schema (written once, in zod). */
export type In<S extends z.ZodType> = z.input<S>;
