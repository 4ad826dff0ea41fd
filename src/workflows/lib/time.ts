/**
 * Workflow time. Inside the sandbox `Date` is replaced by the deterministic time of the current
 * workflow task (the same on replay), which is what progress timestamps and timings need. Reading it
 * here, in one named place, keeps the lint rule against ad-hoc clock reads meaningful elsewhere.
 */
export function workflowNowMs(): number {
  // eslint-disable-next-line no-restricted-properties -- deterministic sandbox time, see above
  return Date.now();
}

export function workflowNowIso(): string {
  return new Date(workflowNowMs()).toISOString();
}
