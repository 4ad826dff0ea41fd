/** Summarises a V8 .cpuprofile (node --cpu-prof) into self time per area of the code. */
export interface ProfileArea {
  /** `thread: area`, e.g. `main: undici (HTTP)`. */
  area: string;
  percent: number;
}

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

export function areaOf(url: string, fn: string): string {
  if (fn === '(idle)') return 'idle';
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(program)' || (!url && fn === '(root)')) return 'native (V8, Temporal core bridge)';
  if (fn === 'runInContext' || /workflow-bundle|durabricks-bench-[^/]*\/(etl|noop)\.js|^vm:|evalmachine/.test(url)) return 'workflow sandbox (bundled workflow code)';
  if (url.includes('@temporalio/')) return 'Temporal SDK (JS side)';
  if (url.includes('/undici/')) return 'undici (HTTP)';
  if (url.includes('/zod/')) return 'zod (validation)';
  if (url.includes('/pino')) return 'pino (logging)';
  if (url.includes('/src/databricks/')) return 'durabricks REST client';
  if (url.includes('/src/activities/')) return 'durabricks activities';
  if (url.includes('/node_modules/')) return 'other libraries';
  if (url.startsWith('node:') || url === '') return 'Node.js internals';
  return 'other';
}

const shortUrl = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/');

type Profiles = { profile: CpuProfile; thread: string }[];
type CallFrame = CpuProfile['nodes'][number]['callFrame'];

/** Self time summed per key over every sample of every profile; samples keyed `undefined` are skipped. */
function selfTimeBy(profiles: Profiles, keyOf: (frame: CallFrame, thread: string) => string | undefined, top: number): ProfileArea[] {
  const totals = new Map<string, number>();
  let all = 0;
  for (const { profile, thread } of profiles) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    for (let i = 0; i < profile.samples.length; i++) {
      const node = byId.get(profile.samples[i]!);
      const dt = profile.timeDeltas[i] ?? 0;
      const key = node && keyOf(node.callFrame, thread);
      if (key === undefined) continue;
      totals.set(key, (totals.get(key) ?? 0) + dt);
      all += dt;
    }
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([area, t]) => ({ area, percent: Math.round((t / Math.max(1, all)) * 1000) / 10 }));
}

/** The functions with the most self time across the profiles (idle excluded). */
export function topFunctions(profiles: Profiles, top = 12): ProfileArea[] {
  return selfTimeBy(profiles, (f, thread) => (f.functionName === '(idle)' ? undefined : `${thread}: ${f.functionName || '(anonymous)'} ${shortUrl(f.url)}`.trim()), top);
}

/** One or more profiles (node writes one per thread: the main thread and the workflow threads). */
export function summariseProfile(profiles: Profiles, top = 12): ProfileArea[] {
  return selfTimeBy(
    profiles,
    (f, thread) => {
      const area = areaOf(f.url, f.functionName);
      return area === 'idle' ? undefined : `${thread}: ${area}`;
    },
    top,
  );
}
