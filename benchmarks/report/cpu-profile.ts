import type { CpuHotspot } from './results.ts';

/** Summaries of a V8 `.cpuprofile` (what `node --cpu-prof` writes): where the self time went. */

export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly hitCount?: number;
  }[];
  readonly samples?: readonly number[];
}

/** Which part of the system a script belongs to: an npm package, one of our folders, or node itself. */
export function componentOf(url: string): string {
  if (url === '') return '(native: socket writes, GC, program)';
  if (url.startsWith('node:')) return 'node core';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const ours = /\/(protocol|broker|ingest|control|dashboard|simulators|benchmarks|scripts)\//.exec(url);
  return ours ? (ours[1] as string) : 'other';
}

function selfHits(p: CpuProfile): Map<number, number> {
  const hits = new Map<number, number>();
  if (p.samples?.length) for (const id of p.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const n of p.nodes) hits.set(n.id, n.hitCount ?? 0);
  return hits;
}

/** Top functions by self time, as a share of all samples (idle and GC included, so shares are honest). */
export function topFunctions(p: CpuProfile, n = 12): CpuHotspot[] {
  const hits = selfHits(p);
  const total = [...hits.values()].reduce((a, b) => a + b, 0) || 1;
  const byFn = new Map<string, { function: string; location: string; hits: number }>();
  for (const node of p.nodes) {
    const h = hits.get(node.id) ?? 0;
    if (h === 0) continue;
    const f = node.callFrame;
    const short = f.url.replace(
      /^file:\/\/.*?\/(node_modules\/|(?=(protocol|broker|ingest|control|dashboard|simulators|scripts)\/))/,
      '',
    );
    const location = f.url ? `${short}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName}@${location}`;
    const e = byFn.get(key) ?? { function: f.functionName || '(anonymous)', location, hits: 0 };
    e.hits += h;
    byFn.set(key, e);
  }
  return [...byFn.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, n)
    .map((e) => ({ function: e.function, location: e.location, selfPct: (100 * e.hits) / total }));
}

/** Self time per component (package or project folder), largest first. */
export function byComponent(p: CpuProfile): { component: string; selfPct: number }[] {
  const hits = selfHits(p);
  const total = [...hits.values()].reduce((a, b) => a + b, 0) || 1;
  const acc = new Map<string, number>();
  for (const node of p.nodes) {
    const h = hits.get(node.id) ?? 0;
    if (h === 0) continue;
    const c = node.callFrame.functionName === '(idle)' ? '(idle)' : componentOf(node.callFrame.url);
    acc.set(c, (acc.get(c) ?? 0) + h);
  }
  return [...acc.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([component, h]) => ({ component, selfPct: (100 * h) / total }));
}
