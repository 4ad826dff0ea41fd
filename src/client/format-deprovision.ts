/** Plain-text views of deprovisioning for the CLI: each delete as it ends, the summary, a failure. */
import type { DeprovisionFailureDetails, DeprovisionProgress, DeprovisionResult } from '../workflows/lib/deprovision-types.js';

export function deprovisionChanges(before: DeprovisionProgress | undefined, now: DeprovisionProgress): string[] {
  return now.outcomes.slice(before?.outcomes.length ?? 0).map((o) => `  ${o.ok ? '✓' : '✗'} ${o.detail}`);
}

export function formatDeprovisionResult(r: DeprovisionResult): string[] {
  const gone = r.outcomes.filter((o) => o.detail.startsWith('already gone')).length;
  return [
    `deprovisioned ${r.name}: ${r.outcomes.length - gone} deleted or revoked${gone ? `, ${gone} already gone` : ''}`,
    ...r.kept.map((e) => `  kept (the saga adopted it, not ours to delete): ${e.kind} ${e.name}${e.id && e.id !== e.name ? ` (${e.id})` : ''}`),
  ];
}

export function formatDeprovisionFailure(err: unknown): string[] {
  const cause = (err as { cause?: unknown })?.cause ?? err;
  const c = cause as { type?: string; message?: string; details?: unknown[]; name?: string };
  const details = c.details?.[0] as Partial<DeprovisionFailureDetails> | undefined;
  return [`${c.type ?? c.name ?? 'Error'}: ${c.message ?? String(cause)}`, ...(details?.outcomes ?? []).map((o) => `  ${o.ok ? '✓' : '✗'} ${o.detail}`)];
}
