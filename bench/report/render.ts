/** Renders the report: plain text for the terminal, Markdown for docs/benchmarks.md, and an SVG chart. */
import { machineLine } from '../lib/machine.js';
import { duration, THROUGHPUT_TARGET, type Report, type Target } from './report.js';
import { throughputRecord, type RunRecord } from './runs.js';

const fmt = (x: number, digits = 1) => (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: digits }));
const ratio = (a: number, b: number) => (b > 0 ? `${fmt(a / b, 2)}×` : 'n/a');
const kib = (bytes: number) => fmt(bytes / 1024, 1);
const cacheLabel = (c: { maxCachedWorkflows: number; pipelines: number }) => (c.maxCachedWorkflows >= c.pipelines ? 'all cached' : `cache ${fmt(c.maxCachedWorkflows)}`);
const verdict = (t: Target) => (t.judged === false ? `${t.met ? 'within' : 'outside'} (not judged)` : t.met ? 'met' : 'MISSED');

/** Rows of cells → aligned text columns. */
function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

function table(rows: string[][]): string {
  const [head, ...body] = rows;
  return [`| ${head!.join(' | ')} |`, `|${head!.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function pipelineRows(r: Report): string[][] | undefined {
  const a = r.apiLatency;
  if (!a) return undefined;
  // Ratios are the first variant's (the one item 1 is judged on) against each other variant.
  const dbx = a.variants[0]!;
  return [
    ['variant', 'API calls / pipeline', `${dbx.name} ÷ this (calls)`, 'latency p50 (s)', 'latency p95 (s)', `${dbx.name} ÷ this (p95)`, 'max (s)', 'failed'],
    ...a.variants.map((v) => [
      v.name,
      fmt(v.callsPerPipeline),
      v === dbx ? '—' : ratio(dbx.callsPerPipeline, v.callsPerPipeline),
      fmt(v.latency.p50),
      fmt(v.latency.p95),
      v === dbx ? '—' : ratio(dbx.latency.p95, v.latency.p95),
      fmt(v.latency.max),
      String(v.failed),
    ]),
  ];
}

function endpointRows(r: Report): string[][] | undefined {
  const a = r.apiLatency;
  if (!a) return undefined;
  const keys = [...new Set(a.variants.flatMap((v) => Object.keys(v.callsByEndpoint)))].sort();
  return [['endpoint (calls per pipeline)', ...a.variants.map((v) => v.name)], ...keys.map((k) => [`\`${k}\``, ...a.variants.map((v) => fmt(v.callsByEndpoint[k] ?? 0))])];
}

function historyRows(r: Report): string[][] | undefined {
  if (!r.history?.length) return undefined;
  return [['each wait lasts', 'events', 'KiB', 'waiter polls (not in history)', 'activities', 'clock', 'wall (s)'], ...r.history.map((h) => [duration(h.waitSeconds), fmt(h.events), kib(h.bytes), fmt(h.polls), `${h.activities.length}${h.localActivities ? ` + ${h.localActivities} local` : ''}`, `${fmt(h.speed)}×`, fmt(h.wallSeconds)])];
}

function capacityRows(r: Report): string[][] | undefined {
  if (!r.capacity?.length) return undefined;
  return [
    ['workflow', 'worker cache', 'in flight (waiting)', 'worker RSS (MiB)', 'idle RSS (MiB)', 'KiB / pipeline', 'time to start all (s)', 'polls/s while holding', 'worker CPU while holding'],
    ...r.capacity.map((c) => [c.workflow === 'minimalWait' ? 'minimalWait (engine baseline)' : 'etlPipeline', cacheLabel(c), fmt(c.waiting), fmt(c.rssMiB), fmt(c.idleRssMiB), fmt(c.kibPerPipeline), fmt(c.startSeconds), fmt(c.pollsPerSecond), `${fmt(c.workerCpuPercentWhileHolding)} %`]),
  ];
}

type Phase = NonNullable<Report['throughput']>['pipeline'];

function throughputRows(r: Report): string[][] | undefined {
  const t = r.throughput;
  if (!t) return undefined;
  const procs = Object.keys(t.pipeline.cpuSeconds);
  const labelled: [Phase, string][] = [
    [t.pipeline, `pipelines (${acts(t)})`],
    [t.ceiling, `no-op chain (${acts(t)})`],
    ...(t.untunedServer ? [[t.untunedServer, `pipelines, ${t.tunedFreshServer ? 'fresh ' : ''}dev server with default settings`] as [Phase, string]] : []),
    ...(t.tunedFreshServer ? [[t.tunedFreshServer, 'pipelines, fresh tuned dev server'] as [Phase, string]] : []),
  ];
  return [
    ['run', 'completed', 'seconds', 'per second', ...procs.map((p) => `CPU ${p} (s, % of machine)`), 'API calls each'],
    ...labelled.map(([p, label]) => [
      label,
      `${fmt(p.completed)}${p.failed ? ` (${p.failed} failed)` : ''}`,
      fmt(p.seconds, 2),
      fmt(p.perSecond),
      ...procs.map((k) => `${fmt(p.cpuSeconds[k] ?? 0, 2)} (${fmt(p.cpuPercentOfMachine[k] ?? 0)} %)`),
      fmt(p.callsPerItem),
    ]),
  ];
}

const acts = (t: { activitiesPerPipeline: number; localActivitiesPerPipeline?: number }) => `${t.activitiesPerPipeline} activities${t.localActivitiesPerPipeline ? ` + ${t.localActivitiesPerPipeline} local` : ''}`;

function clientRows(r: Report): string[][] | undefined {
  const c = r.clientEmulator;
  if (!c) return undefined;
  const rows: string[][] = [['figure', 'value', 'same-run baseline', 'ratio']];
  if (c.client) rows.push(['DatabricksClient clusters/get req/s', fmt(c.client.clientPerSecond), `raw undici ${fmt(c.client.rawPerSecond)} req/s`, fmt(c.client.ratio, 3)]);
  for (const e of c.emulator ?? []) rows.push([`emulator \`${e.endpoint}\` req/s`, fmt(e.perSecond), `p50 ${fmt(e.p50Ms, 2)} ms, p99 ${fmt(e.p99Ms, 2)} ms`, '—']);
  for (const e of c.errors) rows.push(['error', e.slice(0, 200), '', '']);
  return rows;
}

/** Since the 3-decimal ratios: how often item 4's targets held, so one run's verdict is read against the record. */
function recordSummary(runs: RunRecord[]): string {
  const s = throughputRecord(runs, THREE_DECIMAL_RATIOS_SINCE);
  if (!s) return '';
  return ` Over the ${s.runs} runs since then the ratio averaged ${fmt(s.meanRatio, 3)} (${fmt(s.minRatio, 3)}–${fmt(s.maxRatio, 3)}) and reached ${THROUGHPUT_TARGET.ratio} in ${s.runs === s.ratioMet ? 'all' : `${s.ratioMet} of ${s.runs}`}; the absolute target (${THROUGHPUT_TARGET.perSecond}/s) was met in ${s.runs === s.rateMet ? 'all' : `${s.rateMet} of ${s.runs}`}.`;
}

const THREE_DECIMAL_RATIOS_SINCE = '2026-11-26T05:26';

/** Full runs on record, newest first, at most `limit` of them. */
export function runRows(runs: RunRecord[], limit = 12): string[][] {
  const shown = [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, limit);
  const orDash = (x: number | undefined, digits = 1) => (x === undefined ? '—' : fmt(x, digits));
  return [
    ['run (UTC)', 'code', 'busy at start (load)', 'no-op chain /s', 'pipelines /s', 'ratio (rounds)', 'emulator runs/get req/s', 'items missed'],
    ...shown.map((r) => {
      const t = r.throughput;
      const spread = t?.roundRatios ? `, ${fmt(t.roundRatios[0], 3)}–${fmt(t.roundRatios[1], 3)}` : '';
      return [
        r.startedAt.slice(0, 16).replace('T', ' '),
        r.revision ? `\`${r.revision}\`` : '—',
        `${r.machine.busyAtStart !== undefined ? `${fmt(r.machine.busyAtStart)} %` : '—'} (${fmt(r.machine.loadAverage, 2)})`,
        orDash(t?.ceilingPerSecond),
        orDash(t?.pipelinesPerSecond),
        t ? `${fmt(t.ratio, 3)} (${t.rounds}${spread})` : '—',
        orDash(r.emulatorRunsGetPerSecond, 0),
        r.missed.length ? [...new Set(r.missed)].join(', ') : 'none',
      ];
    }),
  ];
}

function targetRows(r: Report): string[][] {
  return [['#', 'figure', 'value', 'target', ''], ...r.targets.map((t) => [String(t.item), t.what, `${fmt(t.value, t.unit === '×' ? 3 : 2)} ${t.unit}`, t.target, verdict(t)])];
}

export function renderText(r: Report): string {
  const out: string[] = [`durabricks benchmarks${r.quick ? ' (quick)' : ''} — ${r.startedAt}`, `machine: ${machineLine(r.machine)}`, ''];
  const a = r.apiLatency;
  const section = (title: string, rows: string[][] | undefined, extra: string[] = []) => {
    if (!rows) return;
    out.push(title, columns(rows.map((row) => row.map((c) => c.replace(/`/g, '')))), ...extra, '');
  };
  if (a) {
    section(`[1] reference pipeline (cluster ${duration(a.timings.clusterSeconds)}, run ${duration(a.timings.runSeconds)}, 1 SQL statement), ${a.pipelines} per variant, clock ${a.speed}×`, pipelineRows(r), [
      `    engine retry overhead: p50 ${a.retryOverhead.p50Ms} ms, p95 ${a.retryOverhead.p95Ms} ms real (= ${a.retryOverhead.p50VirtualS} s virtual at ${a.speed}×) over ${a.retryOverhead.samples} waiter retries`,
      ...(a.webhook ? [`    webhook: ${a.webhook.received} notifications, ${a.webhook.signalled} signalled, ${a.webhook.unmatched} unmatched; ${a.webhook.runWaitsEndedBySignal} of ${a.webhook.runWaits} run waits ended by a signal`] : []),
    ]);
  }
  section('[2] history per pipeline', historyRows(r));
  section('[3] capacity: waiting pipelines on one worker (child process)', capacityRows(r));
  const t = r.throughput;
  section('[4] throughput, instant emulator timings', throughputRows(r), t ? [`    pipelines ÷ no-op chain = ${t.ratio}`, ...(t.profile ? [`    worker CPU profile: ${t.profile.map((p) => `${p.area} ${p.percent} %`).join('; ')}`] : [])] : []);
  section('[5] client and emulator (bench/client.ts, bench/emulator.ts)', clientRows(r));
  out.push('targets', columns(targetRows(r)));
  return out.join('\n');
}

// ── SVG ─────────────────────────────────────────────────────────────────────────────────────────

interface Bar {
  label: string;
  value: number;
  color: string;
  opacity?: number;
  text?: string;
}

interface Panel {
  title: string;
  unit: string;
  bars: Bar[];
  target?: { value: number; label: string };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const COLORS = { dbx: '#2563eb', dbxPlain: '#93c5fd', base1: '#9ca3af', base2: '#6b7280', ceiling: '#a3a3a3', ok: '#16a34a', miss: '#dc2626' };

function panelSvg(p: Panel, x: number, y: number, w: number): { svg: string; height: number } {
  const labelW = 170;
  const barH = 18;
  const gap = 8;
  const top = 28;
  const max = Math.max(...p.bars.map((b) => b.value), p.target?.value ?? 0) * 1.15 || 1;
  const scale = (v: number) => ((w - labelW - 70) * v) / max;
  const parts = [`<text x="${x}" y="${y + 16}" class="t">${esc(p.title)}</text>`];
  p.bars.forEach((b, i) => {
    const by = y + top + i * (barH + gap);
    parts.push(`<text x="${x + labelW - 6}" y="${by + 13}" class="l" text-anchor="end">${esc(b.label)}</text>`);
    parts.push(`<rect x="${x + labelW}" y="${by}" width="${Math.max(1, scale(b.value)).toFixed(1)}" height="${barH}" fill="${b.color}"${b.opacity !== undefined ? ` fill-opacity="${b.opacity}"` : ''} rx="2"/>`);
    parts.push(`<text x="${(x + labelW + Math.max(1, scale(b.value)) + 4).toFixed(1)}" y="${by + 13}" class="v">${esc(b.text ?? `${fmt(b.value)} ${p.unit}`)}</text>`);
  });
  const height = top + p.bars.length * (barH + gap) + 14;
  if (p.target) {
    const tx = x + labelW + scale(p.target.value);
    parts.push(`<line x1="${tx.toFixed(1)}" y1="${y + top - 4}" x2="${tx.toFixed(1)}" y2="${y + height - 12}" stroke="#111" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${tx.toFixed(1)}" y="${y + height - 1}" class="g" text-anchor="middle">${esc(p.target.label)}</text>`);
  }
  return { svg: parts.join('\n'), height: height + 16 };
}

export function renderSvg(r: Report): string {
  const panels: Panel[] = [];
  const a = r.apiLatency;
  if (a) {
    const durabricks = a.variants.filter((v) => v.name.startsWith('durabricks')).length;
    const color = (i: number) => (i < durabricks ? [COLORS.dbx, COLORS.dbxPlain][i] : [COLORS.base1, COLORS.base2][i - durabricks]) ?? COLORS.base2;
    panels.push({ title: `1. API calls per reference pipeline (fewer is better)`, unit: 'calls', bars: a.variants.map((v, i) => ({ label: v.name, value: v.callsPerPipeline, color: color(i) })), target: { value: 25, label: 'target ≤ 25' } });
    panels.push({
      title: `1. Detection latency p95 / p50 (virtual s, lower is better)`,
      unit: 's',
      bars: a.variants.flatMap((v, i) => [
        { label: `${v.name} p95`, value: v.latency.p95, color: color(i) },
        { label: `${v.name} p50`, value: v.latency.p50, color: color(i), opacity: 0.5, text: `${fmt(v.latency.p50)} s` },
      ]),
      target: { value: 10, label: 'target p95 ≤ 10 s' },
    });
  }
  if (r.history?.length) {
    panels.push({ title: '2. History per pipeline, KiB (events in label)', unit: 'KiB', bars: r.history.map((h) => ({ label: `waits of ${duration(h.waitSeconds)}`, value: h.bytes / 1024, color: COLORS.dbx, text: `${kib(h.bytes)} KiB, ${h.events} events, ${h.polls} polls` })), target: { value: 64, label: '64 KiB' } });
  }
  if (r.capacity?.length) {
    panels.push({ title: `3. Worker RSS holding ${fmt(r.capacity[0]!.pipelines)} waiting pipelines, MiB`, unit: 'MiB', bars: r.capacity.map((c) => ({ label: c.workflow === 'minimalWait' ? 'engine baseline' : `pipelines, ${cacheLabel(c)}`, value: c.rssMiB, color: c.workflow === 'minimalWait' ? COLORS.ceiling : c.rssMiB <= 1024 ? COLORS.dbx : COLORS.miss, text: `${fmt(c.rssMiB)} MiB (${fmt(c.waiting)} waiting)` })), target: { value: 1024, label: '1 GiB' } });
  }
  const t = r.throughput;
  if (t) {
    panels.push({
      title: '4. Completed per second, instant timings (higher is better)',
      unit: '/s',
      bars: [
        { label: 'durabricks pipelines', value: t.pipeline.perSecond, color: COLORS.dbx },
        { label: 'no-op chain (same mix)', value: t.ceiling.perSecond, color: COLORS.ceiling },
      ],
      target: { value: 20, label: '20/s' },
    });
  }
  const c = r.clientEmulator?.client;
  if (c) {
    panels.push({ title: '5. clusters/get req/s: client vs raw undici', unit: 'req/s', bars: [{ label: 'DatabricksClient', value: c.clientPerSecond, color: COLORS.dbx }, { label: 'raw undici', value: c.rawPerSecond, color: COLORS.ceiling }] });
  }
  const width = 1000;
  const colW = width / 2 - 20;
  const blocks: string[] = [];
  let y = 44;
  for (let i = 0; i < panels.length; i += 2) {
    const left = panelSvg(panels[i]!, 10, y, colW);
    const right = panels[i + 1] ? panelSvg(panels[i + 1]!, width / 2 + 10, y, colW) : { svg: '', height: 0 };
    blocks.push(left.svg, right.svg);
    y += Math.max(left.height, right.height) + 10;
  }
  const caption = `durabricks benchmarks ${r.quick ? '(quick) ' : ''}— ${machineLine(r.machine)} — ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">
<style>.t{font-size:14px;font-weight:600;fill:#111}.l{font-size:12px;fill:#333}.v{font-size:12px;fill:#111}.g{font-size:11px;fill:#111}.c{font-size:12px;fill:#555}</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="22" class="c">${esc(caption)}</text>
${blocks.join('\n')}
</svg>
`;
}

// ── Markdown ────────────────────────────────────────────────────────────────────────────────────

export function renderMarkdown(r: Report, notes: string[] = [], runs: RunRecord[] = []): string {
  const parts: string[] = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\`${r.quick ? ' -- --quick' : ''} on ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC${r.revision ? ` at ${r.revision}` : ''}. Machine: ${machineLine(r.machine)}.`,
    `Every figure below comes from one run${r.finishedAt ? ` (${Math.round((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 60_000)} minutes)` : ''}: the baselines and the engine ceiling ran next to the figure they are compared with. Targets are issue 10's; a miss is printed as missed and explained under "What the numbers say".`,
    '',
    '![benchmarks](benchmarks.svg)',
    '',
    '## Targets (issue 10)',
    '',
    table(targetRows(r)),
    '',
  ];
  const section = (title: string, rows: string[][] | undefined, text: string[] = []) => {
    if (!rows) return;
    parts.push(`## ${title}`, '', ...text, ...(text.length ? [''] : []), table(rows), '');
  };
  const a = r.apiLatency;
  if (a) {
    section(`1. API calls and detection latency — reference pipeline`, pipelineRows(r), [
      `Reference pipeline: a new cluster that starts in ${duration(a.timings.clusterSeconds)}, a one-task job run of ${duration(a.timings.runSeconds)} on it, the cluster terminated, one follow-up SQL statement on a running warehouse. ` +
        `${a.pipelines} pipelines per variant, all ${a.variants.length} variants at the same time, each against its own emulator (same speed and timings) so the emulator's stats API counts each alone. ` +
        `Each pipeline's durations get a phase offset spread evenly over [0, ${a.phaseSpreadSeconds} s) so the polls meet the state changes at every phase rather than all at one.`,
      '',
      ...a.variants.map((v) => `- **${v.name}**: ${v.description}.`),
      '',
      `Item 1's targets are judged on the first variant${a.variants[0]?.name.includes('hints') ? ` (what a user who knows the pipeline writes in its spec: \`expected: { cluster_start: ${duration(a.timings.clusterSeconds)}, run: ${duration(a.timings.runSeconds)} }\` — the reference's typical durations, not each pipeline's actual one, which is up to ${a.phaseSpreadSeconds} s longer — and \`job.run_events: webhook\` with the run's \`webhook_notifications\` naming the receiver's destination)` : ''}; the plain variant shows the defaults.`,
      '',
      `Latency = virtual time from the emulator's state change (the cluster's \`RUNNING\` event timestamp, the run's \`end_time\`) to the moment the poller or the workflow learned of it: for the baselines the poll response that saw it; for durabricks the waiter's \`ActivityTaskCompleted\` event in the workflow's history or, when a webhook signal ended the run wait first, the \`WorkflowExecutionSignaled\` event of the \`runEvent\` signal carrying the run's end (history event times are server time, converted to virtual time with the emulator clock). Both waits of every pipeline are samples.` +
        (a.webhook ? ` Webhook: the receiver got ${fmt(a.webhook.received)} notifications and signalled ${fmt(a.webhook.signalled)} (${fmt(a.webhook.unmatched)} unmatched); a signal ended ${fmt(a.webhook.runWaitsEndedBySignal)} of ${fmt(a.webhook.runWaits)} run waits, the safety-net poll the rest. The receiver is the product's (\`startWebhookReceiver\`, what \`durabricks worker\` runs with \`DURABRICKS_WEBHOOK_PORT\`), here in the benchmark process; the emulator posts to it in the shape of a Databricks notification destination, so it finds each run's pipeline by asking the running pipelines (progress query; notifications that arrive together share one scan) and caches the answer.` : ''),
      '',
      `Clock: ${a.speed}× (virtual seconds per real second). The baselines sleep in virtual time. The durabricks workers (bench/worker/main.ts) are the product's worker, given the emulator's clock speed through the activities' \`pollTimeScale\` option, so the waiters' schedule (\`pollDelayMs\` in src/activities/waiters.ts) runs on workspace time as it would against a real workspace at 1×. What the speed cannot shrink is the engine's own dispatch time for a retry: here p50 ${a.retryOverhead.p50Ms} ms, p95 ${a.retryOverhead.p95Ms} ms of real time over ${a.retryOverhead.samples} retries, i.e. about ${a.retryOverhead.p50VirtualS} s of virtual latency per poll at ${a.speed}× that a real deployment would not see (it would see ${a.retryOverhead.p50Ms} ms).`,
    ]);
    section('API calls by endpoint', endpointRows(r));
  }
  section('2. History per pipeline', historyRows(r), [
    'The same reference pipeline with both waits (cluster start and job run) lasting the given virtual time. Events and bytes of the complete history (fetched with the Temporal client, encoded size of the `History` protobuf). Waiter polls are retries of one activity attempt chain: they add no events, which is why the two rows match (to within one workflow task, see below). Once the run has ended the clock goes back to 1× (the emulator\'s run notification triggers it) so the follow-up statement is not squeezed into a fraction of a millisecond of real time.',
  ]);
  section('3. Capacity', capacityRows(r), [
    `Pipelines started and left waiting in \`waitClusterRunning\` on a cluster that takes 10 hours; the worker is a child process and its RSS is read from \`/proc/<pid>/status\` (VmRSS) after all of them have polled at least once and a ${r.capacity?.[0]?.holdSeconds ?? 0} s hold. The workspace clock runs at ${r.capacity?.[0]?.speed ?? 0}× so each waiter polls at the rate of a long wait (every 20 s or more of real time) instead of the 1 s of a freshly started wait; memory does not depend on the poll rate. "all cached" keeps every pipeline's workflow state in the worker's cache (the worst case for memory); a smaller cache evicts idle pipelines, which costs one replay of a short history when their wait ends (a waiting pipeline needs no workflow task while it waits).`,
  ]);
  const t = r.throughput;
  section('4. Throughput', throughputRows(r), t
    ? [
        `${fmt(t.pipelines)} pipelines with instant emulator timings (clusters and runs finish as soon as they are looked at), ${STARTS} starts in flight, and on the same server the same number of \`noopChain\` workflows (bench/workflows), each chaining ${acts(t)} no-op activities — what one pipeline runs${t.rounds && t.rounds.length > 1 ? `, the two kinds in ${t.rounds.length} alternating rounds (never at the same time; ABBA order, pipelines first in odd rounds and no-op chains first in even ones) so a slow spell of the machine, or the dev server slowing as completed workflows pile up, hits both` : ''}${t.warmUp !== undefined ? `, after ${fmt(t.warmUp)} warm-up workflows of each kind (not counted)` : ''}. Each kind has its own worker child with the same tuning (${Object.entries(t.tuning).map(([k, v]) => `${k} ${v}`).join(', ')}). CPU seconds per process come from \`/proc/<pid>/stat\` for the run's duration.`,
        '',
        `Ratio pipelines ÷ ceiling: **${t.ratio}**.`,
        ...(t.profile ? ['', 'CPU profile of a pipeline worker (`--cpu-prof`, self time by area, idle excluded). The profiler slows what it watches, so it ran after the measured rounds, on its own worker, for the warm-up and one round\'s worth of pipelines:', '', table([['area', '% of worker CPU'], ...t.profile.map((p) => [p.area, `${fmt(p.percent)} %`])])] : []),
        ...(t.profileTop ? ['', 'Functions with the most self time in that profile:', '', table([['function', '% of worker CPU'], ...t.profileTop.map((p) => [`\`${p.area.replace(/`/g, '')}\``, `${fmt(p.percent)} %`])])] : []),
      ]
    : []);
  section('5. Client and emulator', clientRows(r), ['From the existing scripts, run unchanged as child processes: `bench/client.ts` (DatabricksClient vs a raw undici loop on the same emulator endpoint in short alternating rounds; the ratio is the median over adjacent pairs of rounds) and `bench/emulator.ts` (load from a second process over loopback).']);
  if (runs.length) {
    section('Full runs on record', runRows(runs), [
      "Items 4 and 5 measure rates on a shared 2-core VM, so they move with how busy the host is; the no-op chain's rate, measured in the same run, shows how fast the host was during each run. Every full run adds a line to `bench/results/runs.jsonl` (the runs before it existed were read back from the git history of `bench/results/latest.json`). \"code\" is the commit measured: older rows measured older code. Ratios have 3 decimals from the unrounded rates since 26 November 2026, 05:26 (earlier rows were rounded to 2 decimals from rates already rounded to 0.1/s)." +
        recordSummary(runs),
    ]);
  }
  if (notes.length) parts.push('## What the numbers say', '', ...notes, '');
  parts.push('## Reproduce', '', '```', 'npm run bench               # full run, rewrites this file and benchmarks.svg, adds a line to bench/results/runs.jsonl', 'npm run bench -- --quick    # short version, prints only', 'npm run bench -- --only pipelines,history --pipelines 5 --speed 10   # some sections, prints only',
    'npm run bench -- --json report.json   # also keep the raw report; --render report.json rewrites the docs from it',
    'npm run bench -- --render bench/results/latest.json   # the raw report behind this page', '```', '');
  return parts.join('\n');
}

const STARTS = 64;
