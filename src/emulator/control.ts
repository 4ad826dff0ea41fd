import { z } from 'zod';
import type { EmulatorEngine, ApiResponse } from './engine.js';
import { json, errorJson, isRecord } from './engine.js';
import { faultRuleSchema } from './faults.js';
import { ApiError } from './http/errors.js';
import { validate } from './http/validation.js';

/**
 * The control API under /_emulator/ — never under /api/, never authenticated, rate limited or
 * counted. Tests and benchmarks use it to reset, seed, move time, inject faults and read stats.
 */

const TEN_YEARS_S = 10 * 365 * 24 * 3600;
const speedSchema = z.union([z.number().min(0).max(1_000_000), z.enum(['Infinity', 'instant']).transform(() => Infinity)]);
const clockSchema = z.object({
  speed: speedSchema.optional(),
  advance_seconds: z.number().min(0).max(TEN_YEARS_S).optional(),
  advance_ms: z.number().min(0).max(TEN_YEARS_S * 1000).optional(),
});
const seedSchema = z.object({
  requests: z.array(
    z.object({
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
      path: z.string().startsWith('/api/'),
      body: z.record(z.string(), z.unknown()).optional(),
      query: z.record(z.string(), z.string()).optional(),
      /** Acts as this configured token's principal; defaults to the first (admin) token. */
      token_index: z.number().int().min(0).optional(),
    }),
  ),
  /** Stop at the first non-2xx answer (default true): a seed that half-applies is hard to debug. */
  stop_on_error: z.boolean().optional(),
});
const faultListSchema = z.object({ rules: z.array(faultRuleSchema) });
const notificationsSchema = z.object({ urls: z.array(z.url()).optional(), destinations: z.record(z.string(), z.url()).optional() });
const principalSchema = z.object({
  token: z.string().min(1),
  user_name: z.string().min(1),
  admin: z.boolean().optional(),
  kind: z.enum(['user', 'service_principal']).optional(),
});
const rateLimitSchema = z.object({ per_second: z.number().min(0) });

export async function handleControl(engine: EmulatorEngine, method: string, path: string, body: unknown, tokens: string[]): Promise<ApiResponse> {
  try {
    const key = `${method} ${path.replace(/\/+$/, '')}`;
    switch (key) {
      case 'GET /_emulator/health':
        return json(200, { ok: true });
      case 'POST /_emulator/reset':
        engine.reset();
        return json(200, {});
      case 'GET /_emulator/stats':
        return json(200, engine.stats.snapshot());
      case 'DELETE /_emulator/stats':
        engine.stats.reset();
        return json(200, {});
      case 'GET /_emulator/faults':
        return json(200, { rules: engine.faults.list() });
      case 'POST /_emulator/faults': {
        // One rule, or {rules: [...]}: validated separately so the 400 names the offending field.
        const rules = isRecord(body) && 'rules' in body ? validate(faultListSchema, body).rules : [validate(faultRuleSchema, body)];
        return json(200, { rules: rules.map((r) => engine.faults.add(r)) });
      }
      case 'DELETE /_emulator/faults':
        engine.faults.clear();
        return json(200, {});
      case 'GET /_emulator/clock':
        return json(200, clockView(engine));
      case 'POST /_emulator/clock': {
        const input = validate(clockSchema, body);
        if (input.speed !== undefined) engine.clock.setSpeed(input.speed);
        const advance = (input.advance_seconds ?? 0) * 1000 + (input.advance_ms ?? 0);
        engine.scheduler.rearm();
        if (advance > 0) await engine.advanceClock(advance);
        engine.tick();
        return json(200, clockView(engine));
      }
      case 'POST /_emulator/seed':
        return await seed(engine, validate(seedSchema, body), tokens);
      case 'GET /_emulator/state':
        return json(200, engine.snapshot());
      case 'PUT /_emulator/state':
        engine.restore(body);
        return json(200, {});
      case 'GET /_emulator/notifications':
        return json(200, engine.notifier.list());
      case 'POST /_emulator/notifications': {
        const input = validate(notificationsSchema, body);
        engine.notifier.configure(input.urls ?? [], input.destinations ?? {});
        return json(200, engine.notifier.list());
      }
      case 'POST /_emulator/principals': {
        const p = validate(principalSchema, body);
        engine.principals.addToken(p.token, { userName: p.user_name, isAdmin: p.admin ?? false, kind: p.kind ?? 'user' });
        return json(200, {});
      }
      case 'POST /_emulator/rate-limit':
        engine.rateLimiter.setLimit(validate(rateLimitSchema, body).per_second);
        return json(200, { per_second: engine.rateLimiter.limit });
    }
    const fault = /^DELETE \/_emulator\/faults\/(\d+)$/.exec(key);
    if (fault) {
      if (!engine.faults.remove(Number(fault[1]))) return errorJson(404, 'RESOURCE_DOES_NOT_EXIST', `Fault rule ${fault[1]} does not exist.`);
      return json(200, {});
    }
    return errorJson(404, 'ENDPOINT_NOT_FOUND', `No control API found for '${method} ${path}'`);
  } catch (err) {
    return engine.errorResponse(err instanceof RangeError ? new ApiError(400, 'INVALID_PARAMETER_VALUE', err.message) : err);
  }
}

function clockView(engine: EmulatorEngine): Record<string, unknown> {
  const now = engine.clock.now();
  const speed = engine.clock.speed;
  return { now_ms: now, now: new Date(now).toISOString(), speed: speed === Infinity ? 'Infinity' : speed, pending_events: engine.scheduler.pending().length };
}

async function seed(engine: EmulatorEngine, input: z.infer<typeof seedSchema>, tokens: string[]): Promise<ApiResponse> {
  const responses: Array<{ status: number; body: unknown }> = [];
  for (const r of input.requests) {
    const token = tokens[r.token_index ?? 0];
    if (token === undefined) return errorJson(400, 'INVALID_PARAMETER_VALUE', `token_index ${r.token_index} is out of range.`);
    const principal = engine.principals.authenticate(`Bearer ${token}`);
    engine.tick();
    const search = r.query ? new URLSearchParams(r.query).toString() : '';
    const raw = Buffer.from(r.body ? JSON.stringify(r.body) : '');
    const res = await engine.dispatch(r.method, r.path, search, { 'content-type': 'application/json' }, raw, principal);
    const text = res.body.toString();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // raw replies stay text
    }
    responses.push({ status: res.status, body: parsed });
    if (res.status >= 300 && input.stop_on_error !== false) return json(400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Seed request ${responses.length} (${r.method} ${r.path}) failed with ${res.status}.`, responses });
  }
  return json(200, { responses: responses.map((x) => (isRecord(x.body) ? x : { status: x.status, body: x.body })) });
}
