import { z } from 'zod';

/**
 * Fault injection rules, checked in order for every /api request after auth and rate limiting.
 * A rule matches on method, `path` (exact) or `path_regex`, the n-th matching call and a
 * probability (drawn from the seeded PRNG, so runs are reproducible), then does one thing:
 * - respond:  answer with `status` + `body` (+ Retry-After) without touching state
 * - latency:  wait `latency_ms` real ms, then handle normally
 * - drop_after_apply: handle the request (state changes) then drop the connection, no response
 * - reset_before_apply: reset the connection before handling (nothing changes)
 */
export const faultRuleSchema = z.object({
  method: z.string().optional(),
  path: z.string().optional(),
  path_regex: z
    .string()
    .refine((p) => {
      try {
        new RegExp(p);
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression')
    .optional(),
  /** Fire only on the n-th matching call (1-based); with `times` > 1, on calls n … n+times-1. */
  nth: z.number().int().min(1).optional(),
  /** How many times the rule may fire; default unlimited (or 1 with `nth`). */
  times: z.number().int().min(1).optional(),
  probability: z.number().min(0).max(1).optional(),
  action: z.enum(['respond', 'latency', 'drop_after_apply', 'reset_before_apply']),
  status: z.number().int().min(100).max(599).optional(),
  body: z.unknown().optional(),
  retry_after: z.number().int().min(0).optional(),
  latency_ms: z.number().int().min(0).max(600_000).optional(),
});

export type FaultRuleInput = z.infer<typeof faultRuleSchema>;

export interface FaultRule extends FaultRuleInput {
  id: number;
  matched: number;
  fired: number;
}

export type FaultDecision =
  | { action: 'respond'; status: number; body: unknown; retryAfter?: number }
  | { action: 'latency'; ms: number }
  | { action: 'drop_after_apply' }
  | { action: 'reset_before_apply' };

export class Faults {
  private rules: FaultRule[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number) {}

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = { ...input, id: this.nextId++, matched: 0, fired: 0 };
    this.rules.push(rule);
    return rule;
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule that fires for this call, as a decision; undefined = handle normally. */
  decide(method: string, path: string): FaultDecision | undefined {
    if (this.rules.length === 0) return undefined;
    for (const rule of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.path !== undefined && rule.path !== path) continue;
      if (rule.path_regex !== undefined && !new RegExp(rule.path_regex).test(path)) continue;
      rule.matched++;
      const limit = rule.times ?? (rule.nth ? 1 : Infinity);
      if (rule.fired >= limit) continue;
      if (rule.nth && rule.matched < rule.nth) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.fired++;
      return toDecision(rule);
    }
    return undefined;
  }
}

function toDecision(rule: FaultRule): FaultDecision {
  switch (rule.action) {
    case 'respond':
      return {
        action: 'respond',
        status: rule.status ?? 503,
        body: rule.body ?? { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'The service is temporarily unavailable (injected fault).' },
        ...(rule.retry_after !== undefined ? { retryAfter: rule.retry_after } : {}),
      };
    case 'latency':
      return { action: 'latency', ms: rule.latency_ms ?? 1000 };
    case 'drop_after_apply':
      return { action: 'drop_after_apply' };
    case 'reset_before_apply':
      return { action: 'reset_before_apply' };
  }
}
