/**
 * Secrets: a canary PAT (the worker's credential) and canary secret values go through a run full of
 * failures — retried and failing secret writes, a token minted into a scope, failing and throttled
 * pipelines, the CLI following a failing pipeline. Afterwards the exported histories, the worker's
 * log, the CLI's output and every error message are searched (plain, base64 and URL-encoded): zero
 * canary hits. With DURABRICKS_CODEC_KEYS set, every payload in history is encrypted and every
 * failure message is encoded, while the key holder still reads the real messages.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { CREATE_ACTIVITY, READ_ACTIVITY } from '../../../src/common/activity-policies.js';
import { ENCRYPTED_ENCODING } from '../../../src/common/codec/encryption-codec.js';
import { createLogger } from '../../../src/common/logger.js';
import { awaitOutcomes, outcomeProblems } from '../lib/checks.js';
import { runCli } from '../lib/cli.js';
import { emptyFigures, type ScenarioFigures } from '../lib/figures.js';
import { startRig } from '../lib/rig.js';
import { planPipeline, type PlannedPipeline } from '../lib/specs.js';

/** Every form a leaked value could take in text. */
function forms(secret: string): string[] {
  return [...new Set([secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), encodeURIComponent(secret), Buffer.from(secret).toString('hex')])];
}

/** Occurrences of any form of any secret, each text position counted once (base64url is a prefix of padded base64). */
export function countHits(text: string, secrets: string[]): number {
  const at = new Set<number>();
  for (const s of secrets) {
    for (const f of forms(s)) {
      for (let i = text.indexOf(f); i >= 0; i = text.indexOf(f, i + 1)) at.add(i);
    }
  }
  return at.size;
}

/** JSON with byte arrays as UTF-8 text AND base64 (so payload bytes are searched either way). */
function historyText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? `${Buffer.from(v).toString('utf8')} ${Buffer.from(v).toString('base64')}` : typeof v === 'bigint' ? String(v) : v));
}

/**
 * The SDK core writes a local activity's bookkeeping (seq, attempt, activity id and type, times)
 * into its marker's `data` detail without the payload codec; the activity's RESULT sits in
 * `result` and is encrypted. Such metadata is allowed in clear only if it holds nothing else.
 */
const LOCAL_ACTIVITY_META_KEYS = new Set(['seq', 'attempt', 'activity_id', 'activity_type', 'complete_time', 'backoff', 'original_schedule_time']);
function isLocalActivityMeta(path: string[], data: unknown): boolean {
  if (path.slice(-4).join('.') !== 'markerRecordedEventAttributes.details.data.payloads') return false;
  try {
    const meta = JSON.parse(Buffer.from(data as Uint8Array).toString('utf8')) as Record<string, unknown>;
    return Object.keys(meta).every((k) => LOCAL_ACTIVITY_META_KEYS.has(k)) && typeof meta.activity_type === 'string';
  } catch {
    return false;
  }
}

/** Payloads that are not encrypted and failures whose message is in clear, anywhere in a history. */
function clearParts(history: unknown): { payloads: number; clearPayloads: number; sdkMeta: number; failures: number; clearFailures: string[] } {
  const out = { payloads: 0, clearPayloads: 0, sdkMeta: 0, failures: 0, clearFailures: [] as string[] };
  const walk = (v: unknown, path: string[]) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach((x) => walk(x, path));
    const o = v as Record<string, unknown>;
    const key = path[path.length - 1] ?? '';
    if (o.metadata && typeof o.metadata === 'object' && 'data' in o) {
      out.payloads++;
      const enc = (o.metadata as Record<string, unknown>).encoding;
      if (!(enc instanceof Uint8Array) || Buffer.from(enc).toString() !== ENCRYPTED_ENCODING) {
        if (isLocalActivityMeta(path, o.data)) out.sdkMeta++;
        else out.clearPayloads++;
      }
    }
    if ((key === 'failure' || key === 'lastFailure' || key === 'cause') && typeof o.message === 'string') {
      out.failures++;
      if (o.message !== 'Encoded failure') out.clearFailures.push(o.message.slice(0, 120));
    }
    for (const [k, x] of Object.entries(o)) walk(x, [...path, k]);
  };
  walk(history, []);
  return out;
}

function errorText(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, d = 0; e && d < 6; e = (e as { cause?: unknown }).cause, d++) {
    parts.push(String((e as Error).message ?? e), String((e as Error).stack ?? ''));
    const details = (e as { details?: unknown }).details;
    if (details) parts.push(JSON.stringify(details));
  }
  return parts.join('\n');
}

export async function secretsScenario(o: { log?: (line: string) => void; seed?: number } = {}): Promise<ScenarioFigures> {
  const started = Date.now();
  const f = emptyFigures('secrets (canaries, encrypted history)', o.seed);
  const hex = randomBytes(8).toString('hex');
  const token = `dapi-canary${hex}`;
  const secretValue = `canary-secret-${hex}`;
  const marker = `plainmarker${hex}`;
  const codecEnv = { DURABRICKS_CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}` };
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString('utf8'));
      cb();
    },
  });
  // As the worker CLI builds it: no list of secrets to redact, so nothing is hidden by luck.
  const logger = createLogger({ name: 'durabricks-worker', level: 'debug', destination: sink });
  const envVar = `CHAOS_CANARY_SECRET_${hex}`;
  process.env[envVar] = secretValue;
  const rig = await startRig({ speed: Infinity, seed: o.seed ?? 21, token, codecEnv, logger, timeoutMs: 5_000 });
  const errors: string[] = [];
  const workflowIds: string[] = [];
  const canaries = [token, secretValue];
  try {
    const act = async (name: string, input: unknown, options = CREATE_ACTIVITY) => {
      const r = await rig.callActivity(name, input, options, `secrets-${name}-${workflowIds.length}-${hex}`);
      workflowIds.push(r.workflowId);
      if (r.error) errors.push(errorText(r.error));
      return r;
    };
    let wrong = 0;
    const expectOk = (what: string, r: { error?: unknown }) => r.error && (wrong++, f.problems.push(`${what} failed: ${errorText(r.error).split('\n')[0]}`));
    const expectFail = (what: string, r: { error?: unknown }) => !r.error && (wrong++, f.problems.push(`${what} should have failed`));

    expectOk('create scope', await act('secretsCreateScope', { scope: `chaos-${hex}` }));
    rig.emu.faults.add({ action: 'respond', method: 'POST', path: '/api/2.0/secrets/put', status: 500, times: 2 });
    expectOk('secretsPut through 500s', await act('secretsPut', { scope: `chaos-${hex}`, key: 'db-password', value: { fromEnv: envVar } }));
    expectFail('secretsPut into a missing scope', await act('secretsPut', { scope: `missing-${hex}`, key: 'k', value: { fromEnv: envVar } }));
    rig.emu.faults.add({ action: 'respond', method: 'POST', path: '/api/2.0/secrets/put', status: 403, times: 1, body: { error_code: 'PERMISSION_DENIED', message: 'User does not have WRITE permission on scope.' } });
    expectFail('secretsPut refused with 403', await act('secretsPut', { scope: `chaos-${hex}`, key: 'other', value: { fromEnv: envVar } }));
    expectFail('secretsPut with a literal secret', await act('secretsPut', { scope: `chaos-${hex}`, key: 'pasted', value: secretValue }));
    const minted = await act('tokensCreate', { comment: 'chaos', lifetime_seconds: 3600, store_in: { scope: `chaos-${hex}`, key: 'minted' } });
    expectOk('tokensCreate into a scope', minted);
    // The minted token's value exists only in the scope: read it back (as the key holder would) and hunt for it too.
    const stored = await rig.databricks.secrets.get({ scope: `chaos-${hex}`, key: 'minted' }).catch(() => undefined);
    const mintedValue = stored?.value ? Buffer.from(stored.value, 'base64').toString('utf8') : undefined;
    if (mintedValue) canaries.push(mintedValue);
    else f.problems.push('could not read the minted token back from its scope');
    const storedSecret = await rig.databricks.secrets.get({ scope: `chaos-${hex}`, key: 'db-password' }).catch(() => undefined);
    if (!storedSecret?.value || Buffer.from(storedSecret.value, 'base64').toString('utf8') !== secretValue) f.problems.push('the secret value did not arrive in its scope');
    rig.emu.faults.add({ action: 'respond', method: 'GET', path: '/api/2.1/clusters/get', status: 429, retry_after: 1, times: 3 });
    expectFail('clustersGet of a missing cluster', await act('clustersGet', { cluster_id: `missing-${hex}` }, READ_ACTIVITY));

    // The marker goes into the inputs (spec name, run name), never into ids, which Temporal cannot encrypt.
    const withMarker = (p: PlannedPipeline): PlannedPipeline => ({ ...p, spec: { ...p.spec, name: `${marker}-${p.kind}`, job: { ...p.spec.job, run_name: `${marker} run` } } });
    const plans: PlannedPipeline[] = [planPipeline(`secrets-${hex}-ok`, 'ok'), planPipeline(`secrets-${hex}-fail`, 'task-failed'), planPipeline(`secrets-${hex}-ierr`, 'internal-error')].map(withMarker);
    rig.emu.faults.add({ action: 'respond', method: 'POST', path_regex: '/jobs/runs/submit$', status: 503, times: 2 });
    for (const p of plans) await rig.startPipeline(p.workflowId, p.spec);
    workflowIds.push(...plans.map((p) => p.workflowId));
    const outcomes = await awaitOutcomes(rig.env.client, plans.map((p) => p.workflowId), 120_000);
    const pipelineProblems = outcomeProblems(plans, outcomes);
    wrong += pipelineProblems.length;
    f.problems.push(...pipelineProblems);
    for (const p of plans) {
      await rig.env.client.workflow
        .getHandle(p.workflowId)
        .result()
        .catch((e: unknown) => errors.push(errorText(e)));
    }
    // The key holder reads failure messages in clear.
    if (!outcomes.some((x) => x.message?.includes('chaos: injected task failure'))) f.problems.push('the key holder could not read the decoded failure message');

    // The CLI following a failing pipeline, and status, as a user would run them.
    const specFile = join(rig.dataDir, `secrets-${hex}.json`);
    writeFileSync(specFile, JSON.stringify(withMarker(planPipeline(`cli-${hex}`, 'task-failed')).spec));
    const cliEnv = { TEMPORAL_ADDRESS: rig.env.address, DURABRICKS_TASK_QUEUE: rig.taskQueue, ...codecEnv };
    const cliRun = await runCli(['run', specFile, '--id', `cli-${hex}`], cliEnv);
    workflowIds.push(`cli-${hex}`);
    const cliStatus = await runCli(['status', `cli-${hex}`], cliEnv);
    const cliText = [cliRun.stdout, cliRun.stderr, cliStatus.stdout, cliStatus.stderr].join('\n');
    if (cliRun.code !== 1) f.problems.push(`durabricks run of a failing pipeline exited ${cliRun.code}, expected 1: ${cliRun.stderr.slice(0, 300)}`);
    if (!cliText.includes('chaos: injected task failure')) f.problems.push('the CLI (key holder) did not show the decoded failure');

    // Search.
    const histories: string[] = [];
    for (const id of workflowIds) {
      const h = await rig.env.client.workflow.getHandle(id).fetchHistory();
      const text = historyText(h);
      histories.push(text);
      const parts = clearParts(h);
      if (parts.clearPayloads > 0) f.problems.push(`${id}: ${parts.clearPayloads} of ${parts.payloads} payloads in history are not encrypted`);
      if (parts.clearFailures.length > 0) f.problems.push(`${id}: failure message in clear in history: ${parts.clearFailures[0]}`);
      if (text.includes(marker)) f.problems.push(`${id}: plain input (the marker) readable in history despite the codec`);
    }
    const places: [string, string][] = [
      ['histories', histories.join('\n')],
      ['worker log', logLines.join('')],
      ['CLI output', cliText],
      ['error messages', errors.join('\n')],
    ];
    for (const [place, text] of places) {
      const hits = countHits(text, canaries);
      f.canaryHits += hits;
      if (hits > 0) f.problems.push(`${hits} canary hit(s) in ${place}`);
      if (text.length === 0 && place !== 'error messages') f.problems.push(`nothing captured from ${place}: the search would prove nothing`);
    }
    f.workflows = workflowIds.length;
    f.asExpected = workflowIds.length - wrong - (cliRun.code === 1 ? 0 : 1);
    f.apiCalls = rig.tap.calls.length;
    f.throttled = rig.responses.filter((e) => e.status === 429).length;
  } finally {
    delete process.env[envVar];
    await rig.close();
    f.seconds = (Date.now() - started) / 1000;
  }
  return f;
}
