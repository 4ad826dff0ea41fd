import { InvalidPipelineSpecError } from '../workflows/lib/pipeline-spec.js';

/** What one part of a call's input (the spec, an option group) found wrong with it; empty when nothing. */
export type InputPart = readonly [label: string, problems: readonly string[]];

/**
 * One InvalidPipelineSpecError listing every problem of every part, so a caller fixes them in one
 * go, labelled by the parts that have any: `invalid pipeline spec and schedule (3 problems)`.
 */
export function inputProblems(...parts: InputPart[]): InvalidPipelineSpecError {
  const failing = parts.filter(([, problems]) => problems.length > 0);
  return new InvalidPipelineSpecError(
    failing.flatMap(([, problems]) => problems),
    failing.map(([label]) => label).join(' and '),
  );
}
