/**
 * Secrets by reference: activity inputs and results are stored in workflow history, so a secret
 * value must never be one. Inputs name where the value lives (an environment variable or a file on
 * the worker) and the activity reads it at the last moment.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ValidationError } from '../databricks/errors.js';
import type { OpContext } from './define.js';

export type SecretRef = { fromEnv: string } | { fromFile: string };

/** What a plain value where a reference belongs is told. */
export const REFERENCE_ONLY = "must be a reference { fromEnv: 'VAR' } or { fromFile: '/path' }, never the secret itself";

export const SecretRefSchema = z.union([z.strictObject({ fromEnv: z.string().min(1) }), z.strictObject({ fromFile: z.string().min(1) })], { error: REFERENCE_ONLY });

export const REDACTED = '[REDACTED]';

/** The secret a reference names, read by the worker's resolver (tests inject one through deps). */
export function resolveSecret(ctx: Pick<OpContext, 'deps'>, ref: SecretRef): Promise<string> {
  return (ctx.deps.secretResolver ?? resolveSecretRef)(ref);
}

/** Default resolver: the worker's environment or a file (one trailing newline dropped, as editors add one). */
export async function resolveSecretRef(ref: SecretRef): Promise<string> {
  if ('fromEnv' in ref) {
    const v = process.env[ref.fromEnv];
    if (v === undefined || v === '') throw new ValidationError('secret', 'fromEnv', `environment variable ${ref.fromEnv} is not set on this worker`);
    return v;
  }
  let text: string;
  try {
    text = await readFile(ref.fromFile, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'unreadable';
    throw new ValidationError('secret', 'fromFile', `file ${ref.fromFile} cannot be read on this worker (${code})`);
  }
  return text.replace(/\r?\n$/, '');
}
