/**
 * Files API transfers between the worker's disk and a Unity Catalog volume, so file contents
 * never pass through workflow history (an activity's input and result are recorded there).
 * Each is one request: upload streams the local file (the API takes up to 5 GiB per PUT), and
 * download holds the file in memory once before writing it.
 */
import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { FailureType } from '../common/activity-policies.js';
import { ValidationError } from '../databricks/errors.js';
import type { Body } from './define.js';
import { invalidInput } from './failures.js';

const UploadInput = z.object({
  /** File on the worker's disk. */
  localPath: z.string().min(1),
  /** `/Volumes/<catalog>/<schema>/<volume>/…` */
  path: z.string().min(1),
  /** false: fail if the file exists (unset: overwrite, as the API does). */
  overwrite: z.boolean().optional(),
});
export type FilesUploadInput = z.infer<typeof UploadInput>;
const DownloadInput = z.object({ path: z.string().min(1), localPath: z.string().min(1) });
export type FilesDownloadInput = z.infer<typeof DownloadInput>;

export interface FileTransferResult {
  path: string;
  bytes: number;
}

export const filesUpload: Body<FilesUploadInput, FileTransferResult> = async (ctx, raw) => {
  const parsed = UploadInput.safeParse(raw);
  if (!parsed.success) throw invalidInput('filesUpload', parsed.error);
  const input = parsed.data;
  const source = await stat(input.localPath).catch((e: { code?: string }) => {
    throw new ValidationError('filesUpload', 'localPath', `cannot be read on this worker (${e.code ?? 'error'})`);
  });
  if (!source.isFile()) throw new ValidationError('filesUpload', 'localPath', 'is not a file');
  const stream = createReadStream(input.localPath);
  try {
    // A previous attempt may have written the file: only the first attempt honours overwrite=false.
    const overwrite = input.overwrite !== false || ctx.info.attempt > 1;
    await ctx.client.files.upload({ file_path: input.path, contents: stream, overwrite }, ctx.opts);
  } finally {
    stream.destroy();
  }
  const written = (await ctx.client.files.getMetadata({ file_path: input.path }, ctx.opts)).content_length;
  if (written !== source.size) {
    throw ApplicationFailure.create({ type: FailureType.TransferFailed, message: `${input.path} has ${written} bytes after upload, expected ${source.size}`, nonRetryable: true, details: [{ path: input.path, expected: source.size, written }] });
  }
  return { path: input.path, bytes: source.size };
};

export const filesDownload: Body<FilesDownloadInput, FileTransferResult> = async (ctx, raw) => {
  const parsed = DownloadInput.safeParse(raw);
  if (!parsed.success) throw invalidInput('filesDownload', parsed.error);
  const input = parsed.data;
  const file = await ctx.client.files.download({ file_path: input.path }, ctx.opts);
  await writeFile(input.localPath, file.contents).catch((e: { code?: string }) => {
    throw new ValidationError('filesDownload', 'localPath', `cannot be written on this worker (${e.code ?? 'error'})`);
  });
  return { path: input.path, bytes: file.contents.length };
};
