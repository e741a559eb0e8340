/**
 * A small SVG chart renderer for the benchmark report: line charts (throughput vs offered load)
 * and grouped bar charts (latency percentiles). Pure string building; no fonts or scripts, so the
 * files render the same on GitHub and in a browser.
 */

export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly width?: number;
  readonly height?: number;
}

export interface BarChartOptions {
  readonly title: string;
  readonly yLabel: string;
  readonly categories: readonly string[];
  readonly series: readonly { readonly name: string; readonly values: readonly number[] }[];
  readonly width?: number;
  readonly height?: number;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const PAD = { left: 70, right: 20, top: 40, bottom: 70 };

export function escapeXml(s: string): string {
  return s.replace(
    /[<>&'"]/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`,
  );
}

/** Round tick values (1, 2, 5 × 10^k steps) covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0];
  if (max <= min) max = min + 1;
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if ((ticks[ticks.length - 1] ?? min) < max)
    ticks.push(Number((first + ticks.length * step).toPrecision(12)));
  return ticks;
}

/** Short tick label: 12000 → "12k", 0.5 → "0.5". */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e3) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Number(v.toPrecision(3)));
}

function frame(width: number, height: number, title: string, yLabel: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text transform="translate(16 ${(PAD.top + height - PAD.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

function yAxis(ticks: number[], y: (v: number) => number, x0: number, x1: number): string[] {
  return ticks.flatMap((t) => [
    `<line x1="${x0}" x2="${x1}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#ddd"/>`,
    `<text x="${x0 - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${formatTick(t)}</text>`,
  ]);
}

function legend(names: readonly string[], x: number, y: number): string[] {
  return names.flatMap((n, i) => [
    `<rect x="${x + i * 170}" y="${y - 9}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`,
    `<text x="${x + i * 170 + 17}" y="${y + 1}">${escapeXml(n)}</text>`,
  ]);
}

export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 360;
  const all = o.series.flatMap((s) => s.points);
  const xs = niceTicks(Math.min(0, ...all.map((p) => p[0])), Math.max(1, ...all.map((p) => p[0])));
  const ys = niceTicks(0, Math.max(1, ...all.map((p) => p[1])));
  const [x0, x1] = [PAD.left, width - PAD.right];
  const [y0, y1] = [height - PAD.bottom, PAD.top];
  const xMin = xs[0] as number;
  const xMax = xs[xs.length - 1] as number;
  const yMax = ys[ys.length - 1] as number;
  const x = (v: number) => x0 + ((v - xMin) / (xMax - xMin)) * (x1 - x0);
  const y = (v: number) => y0 - (v / yMax) * (y0 - y1);
  const body = [
    ...yAxis(ys, y, x0, x1),
    ...xs.map(
      (t) => `<text x="${x(t).toFixed(1)}" y="${y0 + 16}" text-anchor="middle">${formatTick(t)}</text>`,
    ),
    `<line x1="${x0}" x2="${x1}" y1="${y0}" y2="${y0}" stroke="#333"/>`,
    `<text x="${(x0 + x1) / 2}" y="${y0 + 34}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`,
    ...o.series.flatMap((s, i) => {
      const color = COLORS[i % COLORS.length];
      const pts = s.points.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`);
      return [
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(' ')}"/>`,
        ...pts.map((p) => {
          const [cx, cy] = p.split(',');
          return `<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`;
        }),
      ];
    }),
    ...legend(
      o.series.map((s) => s.name),
      x0,
      height - 14,
    ),
  ];
  return frame(width, height, o.title, o.yLabel, body);
}

export function barChart(o: BarChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 360;
  const ys = niceTicks(0, Math.max(1, ...o.series.flatMap((s) => s.values.filter(Number.isFinite))));
  const [x0, x1] = [PAD.left, width - PAD.right];
  const [y0, y1] = [height - PAD.bottom, PAD.top];
  const yMax = ys[ys.length - 1] as number;
  const y = (v: number) => y0 - (Math.max(0, v) / yMax) * (y0 - y1);
  const groupW = (x1 - x0) / Math.max(1, o.categories.length);
  const barW = (groupW * 0.8) / Math.max(1, o.series.length);
  const body = [
    ...yAxis(ys, y, x0, x1),
    `<line x1="${x0}" x2="${x1}" y1="${y0}" y2="${y0}" stroke="#333"/>`,
    ...o.categories.map(
      (c, i) =>
        `<text x="${(x0 + groupW * (i + 0.5)).toFixed(1)}" y="${y0 + 16}" text-anchor="middle">${escapeXml(c)}</text>`,
    ),
    ...o.series.flatMap((s, si) =>
      s.values.map((v, ci) => {
        if (!Number.isFinite(v)) return '';
        const bx = x0 + groupW * ci + groupW * 0.1 + barW * si;
        return `<rect x="${bx.toFixed(1)}" y="${y(v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y0 - y(v)).toFixed(1)}" fill="${COLORS[si % COLORS.length]}"><title>${escapeXml(`${s.name} ${o.categories[ci]}: ${formatTick(v)}`)}</title></rect>`;
      }),
    ),
    ...legend(
      o.series.map((s) => s.name),
      x0,
      height - 14,
    ),
  ];
  return frame(width, height, o.title, o.yLabel, body);
}
