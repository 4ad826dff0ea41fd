import { loadPipelineSpecFile, SpecFileError } from '../client/spec-file.js';
import type { PipelineSpec } from '../workflows/lib/pipeline-spec.js';
import { CliUsageError } from './errors.js';

/**
 * Loads the pipeline spec file a command was given. It runs before any connection, so a bad spec
 * starts nothing; its problems are a usage error (exit 2), printed without a stack.
 */
export async function loadSpecArgument(file: string): Promise<PipelineSpec> {
  try {
    return await loadPipelineSpecFile(file);
  } catch (err) {
    if (err instanceof SpecFileError) throw new CliUsageError(err.message);
    throw err;
  }
}
