/**
 * Long DBFS transfers between the worker's disk and DBFS, resumable and cancellable:
 * - every block heartbeats its progress; a retried attempt (worker crash, heartbeat timeout)
 *   resumes from `info.heartbeatDetails` instead of from zero;
 * - the activity's cancellation signal aborts the request in flight and stops the transfer
 *   (cancellation reaches an activity only through heartbeats, which we send after every block).
 *
 * Upload caveat: DBFS cannot say how many bytes an open handle holds, and heartbeats are throttled,
 * so the last recorded offset may be a few blocks behind what was really appended. After a resumed
 * upload the file size is therefore checked; on a mismatch the file is rewritten from zero (once,
 * within the same attempt). Downloads resume exactly: reads are by offset and the local file is
 * truncated to the resumed offset first.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../databricks/errors.js';
import { FailureType } from '../common/activity-policies.js';
import type { Body, OpContext } from './define.js';
import { invalidInput } from './failures.js';

const BLOCK = z.number().int().min(1).max(1024 * 1024).optional();
const UploadInput = z.object({
  /** File on the worker's disk. */
  localPath: z.string().min(1),
  /** DBFS destination, absolute. */
  path: z.string().min(1),
  overwrite: z.boolean().optional(),
  /** Bytes per add-block (≤1 MB, default 1 MB). */
  blockSize: BLOCK,
});
export type DbfsUploadInput = z.infer<typeof UploadInput>;
const DownloadInput = z.object({ path: z.string().min(1), localPath: z.string().min(1), chunkSize: BLOCK });
export type DbfsDownloadInput = z.infer<typeof DownloadInput>;

export interface UploadProgress {
  handle: number;
  offset: number;
}
export interface TransferResult {
  path: string;
  bytes: number;
  /** Offset this attempt started from (0 unless it resumed from a heartbeat). */
  resumedFrom: number;
}

function lastProgress<T extends object>(ctx: OpContext, keys: (keyof T)[]): T | undefined {
  const d: unknown = ctx.info.heartbeatDetails;
  if (!d || typeof d !== 'object') return undefined;
  for (const k of keys) if (typeof (d as Record<string, unknown>)[k as string] !== 'number') return undefined;
  return d as T;
}

async function uploadFrom(ctx: OpContext, input: DbfsUploadInput, resume: UploadProgress | undefined): Promise<number> {
  const source = createReadStream(input.localPath);
  try {
    const r = await ctx.client.dbfs.upload(
      input.path,
      source,
      {
        // A previous attempt may have created the file: only the very first attempt honours overwrite=false.
        overwrite: input.overwrite === true || ctx.info.attempt > 1,
        ...(resume ? { handle: resume.handle, startOffset: resume.offset } : {}),
        ...(input.blockSize ? { blockSize: input.blockSize } : {}),
        onProgress: (offset, handle) => ctx.heartbeat({ handle, offset } satisfies UploadProgress),
      },
      ctx.opts,
    );
    return r.bytes;
  } finally {
    source.destroy();
  }
}

export const dbfsUpload: Body<DbfsUploadInput, TransferResult> = async (ctx, raw) => {
  const parsed = UploadInput.safeParse(raw);
  if (!parsed.success) throw invalidInput('dbfsUpload', parsed.error);
  const input = parsed.data;
  // A missing source will not appear by retrying: fail at once, naming the field.
  const source = await stat(input.localPath).catch((e: { code?: string }) => {
    throw new ValidationError('dbfsUpload', 'localPath', `cannot be read on this worker (${e.code ?? 'error'})`);
  });
  if (!source.isFile()) throw new ValidationError('dbfsUpload', 'localPath', 'is not a file');
  const size = source.size;
  let resume = lastProgress<UploadProgress>(ctx, ['handle', 'offset']);
  if (resume && (resume.offset <= 0 || resume.offset > size)) resume = undefined;
  const resumedFrom = resume?.offset ?? 0;

  let bytes: number;
  try {
    bytes = await uploadFrom(ctx, input, resume);
  } catch (err) {
    // The stream handle expired (10 min idle) or was closed: start over with a new one.
    if (!(resume && err instanceof NotFoundError)) throw err;
    resume = undefined;
    bytes = await uploadFrom(ctx, { ...input, overwrite: true }, undefined);
  }
  let written = (await ctx.client.dbfs.getStatus({ path: input.path }, ctx.opts)).file_size;
  if (written !== size && resume) {
    ctx.logger.warn({ path: input.path, expected: size, written }, 'resumed DBFS upload has the wrong size (stale heartbeat); rewriting from zero');
    bytes = await uploadFrom(ctx, { ...input, overwrite: true }, undefined);
    written = (await ctx.client.dbfs.getStatus({ path: input.path }, ctx.opts)).file_size;
  }
  if (written !== size) {
    throw ApplicationFailure.create({ type: FailureType.TransferFailed, message: `DBFS ${input.path} has ${written} bytes after upload, expected ${size}`, nonRetryable: true, details: [{ path: input.path, expected: size, written }] });
  }
  return { path: input.path, bytes, resumedFrom };
};

export const dbfsDownload: Body<DbfsDownloadInput, TransferResult> = async (ctx, raw) => {
  const parsed = DownloadInput.safeParse(raw);
  if (!parsed.success) throw invalidInput('dbfsDownload', parsed.error);
  const input = parsed.data;
  const size = (await ctx.client.dbfs.getStatus({ path: input.path }, ctx.opts)).file_size ?? 0;

  // Resume only if this worker's local file really holds the bytes the heartbeat claims.
  let offset = lastProgress<{ offset: number }>(ctx, ['offset'])?.offset ?? 0;
  const local = await stat(input.localPath).catch(() => undefined);
  if (offset > size || !local || local.size < offset) offset = 0;
  const resumedFrom = offset;

  const file = await open(input.localPath, offset > 0 ? 'r+' : 'w').catch((e: { code?: string }) => {
    throw new ValidationError('dbfsDownload', 'localPath', `cannot be written on this worker (${e.code ?? 'error'})`);
  });
  try {
    await file.truncate(offset);
    ctx.heartbeat({ offset });
    for await (const chunk of ctx.client.dbfs.download(input.path, { startOffset: offset, ...(input.chunkSize ? { chunkSize: input.chunkSize } : {}) }, ctx.opts)) {
      await file.write(chunk, 0, chunk.length, offset);
      offset += chunk.length;
      ctx.heartbeat({ offset });
    }
    await file.sync();
  } finally {
    await file.close();
  }
  if (offset !== size) {
    throw ApplicationFailure.create({ type: FailureType.TransferFailed, message: `Downloaded ${offset} bytes of ${input.path}, expected ${size} (changed while downloading?)`, nonRetryable: true, details: [{ path: input.path, expected: size, written: offset }] });
  }
  return { path: input.path, bytes: offset, resumedFrom };
};
