import { loadPipelineSpecFile, loadProvisionSpecFile, SpecFileError } from '../client/spec-file.js';
import type { PipelineSpec } from '../workflows/lib/pipeline-spec.js';
import type { ProvisionSpec } from '../workflows/lib/provision-spec.js';
import { CliUsageError } from './errors.js';

/**
 * Loads the pipeline spec file a command was given. It runs before any connection, so a bad spec
 * starts nothing; its problems are a usage error (exit 2), printed without a stack.
 */
export function loadSpecArgument(file: string): Promise<PipelineSpec> {
  return asUsageError(loadPipelineSpecFile(file));
}

/** The same for a provisioning spec (`durabricks provision`). */
export function loadProvisionSpecArgument(file: string): Promise<ProvisionSpec> {
  return asUsageError(loadProvisionSpecFile(file));
}

async function asUsageError<T>(loading: Promise<T>): Promise<T> {
  try {
    return await loading;
  } catch (err) {
    if (err instanceof SpecFileError) throw new CliUsageError(err.message);
    throw err;
  }
}
