/**
 * runs/get-output for a workflow that reports a failed task. The raw answer carries up to 5 MB of
 * logs plus the whole run as metadata; returned from an activity it would land in workflow history
 * (and past 2 MB fail the workflow task). This keeps only what explains the failure, bounded.
 */
import { refuseBlindRetry } from './failures.js';
import type { Body } from './define.js';

/** Head of the error message and tail of the trace: where the cause and the failing line are. */
export const ERROR_MAX_CHARS = 2000;
export const TRACE_MAX_CHARS = 4000;
export const RESULT_MAX_CHARS = 2000;

export interface RunFailureOutput {
  error?: string;
  error_trace?: string;
  /** dbutils.notebook.exit value, if the task set one. */
  notebook_result?: string;
  /** True when any field was cut to its bound. */
  truncated: boolean;
}

const head = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
const tail = (text: string, max: number) => (text.length > max ? `…${text.slice(text.length - max)}` : text);

export const jobsGetRunFailureOutput: Body<{ run_id: number }, RunFailureOutput> = async ({ client, opts }, input) => {
  let out;
  try {
    out = await client.jobs.getRunOutput(input, opts);
  } catch (err) {
    throw refuseBlindRetry(err);
  }
  const result = out.notebook_output?.result;
  return {
    ...(out.error !== undefined ? { error: head(out.error, ERROR_MAX_CHARS) } : {}),
    ...(out.error_trace !== undefined ? { error_trace: tail(out.error_trace, TRACE_MAX_CHARS) } : {}),
    ...(result !== undefined ? { notebook_result: head(result, RESULT_MAX_CHARS) } : {}),
    truncated:
      (out.error?.length ?? 0) > ERROR_MAX_CHARS || (out.error_trace?.length ?? 0) > TRACE_MAX_CHARS || (result?.length ?? 0) > RESULT_MAX_CHARS || out.notebook_output?.truncated === true,
  };
};
