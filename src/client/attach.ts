/**
 * Attaching to a workflow already running under the requested id. A retried start with the same input
 * gets the running workflow back; a start with a different input (another spec, logical time or range
 * under an id the caller chose) is refused, because returning a run of something else as if it were
 * the caller's would make the caller believe its spec is running.
 */
import type { Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow/index.js';

/** How many differing paths an error lists before it says "and N more". */
const LISTED_DIFFERENCES = 8;

/** A start refused because the workflow id is taken by a running workflow of a different input. */
export class ConflictingStartError extends Error {
  override name = 'ConflictingStartError';
  constructor(
    readonly workflowId: string,
    /** Paths of the input that differ (e.g. `spec.job.tasks[0].notebook_task.notebook_path`); never their values. */
    readonly differences: string[],
  ) {
    const listed = differences.slice(0, LISTED_DIFFERENCES).join(', ');
    const more = differences.length > LISTED_DIFFERENCES ? ` and ${differences.length - LISTED_DIFFERENCES} more` : '';
    super(
      `workflow ${workflowId} is already running with a different input (${listed}${more} differ); nothing was started. ` +
        `Wait for it to end, cancel it (durabricks cancel ${workflowId}), or start this one under another workflow id.`,
    );
  }
}

/**
 * Throws ConflictingStartError when the workflow running as `workflowId` was started with an input that
 * differs from `input` (both compared after `normalize`, which maps equivalent spellings, such as two
 * forms of one date, to one value).
 */
export async function ensureSameInput<T>(client: Client, workflowId: string, input: T, normalize: (value: T) => unknown = (v) => v): Promise<void> {
  const running = await startedInput(client, workflowId);
  // Started by a version that passed no input, or history already gone: nothing to compare against.
  if (running === undefined) return;
  const differences = inputDifferences(normalize(running as T), normalize(input));
  if (differences.length) throw new ConflictingStartError(workflowId, differences);
}

/** The first argument the latest run of `workflowId` was started with (decoded by the client's data converter). */
async function startedInput(client: Client, workflowId: string): Promise<unknown> {
  const page = await client.workflowService.getWorkflowExecutionHistory({ namespace: client.options.namespace, execution: { workflowId }, maximumPageSize: 1 });
  const payloads = page.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  if (!payloads?.length) return undefined;
  // The same serialization context the SDK passes when it decodes this workflow's payloads (a codec may key on it).
  const [first] = await decodeArrayFromPayloads(client.options.loadedDataConverter, payloads, { type: 'workflow', namespace: client.options.namespace, workflowId });
  return first;
}

/** Paths where two JSON values differ; a missing key and an undefined one are the same (JSON drops both). */
export function inputDifferences(a: unknown, b: unknown, path = ''): string[] {
  if (Object.is(a, b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [path ? `${path} (length)` : '(length)'];
    return a.flatMap((x, i) => inputDifferences(x, b[i], `${path}[${i}]`));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => inputDifferences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return [path || '(input)'];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
