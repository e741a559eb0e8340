import type { LatencySummary } from '../lib/percentiles.ts';
import type { BenchResults } from './results.ts';

/** Renders one run's results as the Markdown report (tables + links to the SVG charts). */

/** 12345.6 → "12,346"; 3.14159 → "3.14"; NaN → "–". */
export function fmt(v: number | undefined, digits = 0): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  if (Math.abs(v) < 10 && digits === 0 && v !== Math.trunc(v)) digits = 2;
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtRatio(r: number | undefined): string {
  return r === undefined || !Number.isFinite(r) ? '–' : `${(r * 100).toFixed(0)} %`;
}

export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

const lat = (l: LatencySummary | undefined) =>
  l ? `${fmt(l.p50, 1)} / ${fmt(l.p95, 1)} / ${fmt(l.p99, 1)}` : '–';

export function renderMarkdown(
  r: BenchResults,
  charts: readonly { readonly title: string; readonly file: string }[],
): string {
  const out: string[] = [];
  out.push(`# Benchmark report (${r.mode})`, '');
  out.push(
    `Run ${r.startedAt} → ${r.finishedAt} (${fmt(r.durationS)} s) on ${r.machine.cpus} cores, ${fmt(r.machine.memGb)} GB, Node ${r.machine.node}; ` +
      `load average at start ${r.machine.loadAvg.map((l) => l.toFixed(1)).join(' / ')} (the machine is shared: compare ratios, not absolute figures).`,
    '',
  );
  if (r.targets.length) {
    out.push('## Targets', '');
    out.push(
      table(
        ['target', 'wanted', 'measured', 'met'],
        r.targets.map((t) => [
          t.name,
          t.target,
          t.measured,
          t.met === null ? 'not measured' : t.met ? 'yes' : '**no**',
        ]),
      ),
      '',
    );
  }
  out.push('## Baselines (same run)', '');
  const b = r.baselines;
  out.push(
    table(
      ['baseline', 'rate', 'latency p50 / p95 / p99 ms'],
      [
        [
          'bare aedes QoS 1 publish → PUBACK (closed loop)',
          `${fmt(b.aedesQos1?.msgsPerSec)} msgs/s (subscriber got ${fmt(b.aedesQos1?.deliveredPerSec)}/s)`,
          lat(b.aedesQos1?.ackLatencyMs),
        ],
        [
          "bare aedes QoS 0 publish, open loop at the platform's QoS 1 rate",
          `${fmt(b.aedesQos0?.msgsPerSec)} msgs/s (subscriber got ${fmt(b.aedesQos0?.deliveredPerSec)}/s)`,
          lat(b.aedesQos0?.ackLatencyMs),
        ],
        [
          `InfluxDB v1 /write, ${fmt(b.influxWrite?.batchLines)}-line batches`,
          `${fmt(b.influxWrite?.pointsPerSec)} points/s`,
          '–',
        ],
      ],
    ),
    '',
  );
  out.push(
    '## Sustained end-to-end ingest (camera counts; QoS 1 closed loop, QoS 0 open loop at the QoS 1 rate)',
    '',
  );
  const rows = (['qos1', 'qos0'] as const).flatMap((q) => {
    const f = r.ingest[q];
    if (!f) return [];
    return [
      [
        q === 'qos1' ? 'QoS 1' : 'QoS 0',
        `${fmt(f.msgsPerSec)} msgs/s`,
        `${fmt(f.baselineMsgsPerSec)} msgs/s`,
        fmtRatio(f.ratio),
        `${fmt(f.acked)} / ${fmt(f.stored)} / **${fmt(f.lost)}**`,
        lat(f.ackLatencyMs),
        lat(f.baselineAckLatencyMs),
      ],
    ];
  });
  out.push(
    table(
      [
        'QoS',
        'platform',
        'bare aedes',
        'ratio',
        'acked / stored / lost',
        'ack ms p50/p95/p99',
        'aedes ack ms',
      ],
      rows,
    ),
    '',
  );
  for (const p of r.profiles ?? []) {
    out.push(`## Profile \`${p.profile}\` (open loop, device schedules)`, '');
    if (p.note) out.push(`> ${p.note}`, '');
    out.push(
      table(
        ['figure', 'value'],
        [
          [
            'connections (failed)',
            `${fmt(p.connections)} (${fmt(p.connectFailed)}) opened in ${fmt(p.connectSeconds, 1)} s`,
          ],
          ['offered msgs/s (readings/s)', `${fmt(p.offeredMsgsPerSec)} (${fmt(p.offeredReadingsPerSec)})`],
          ['achieved msgs/s (readings/s)', `${fmt(p.achievedMsgsPerSec)} (${fmt(p.achievedReadingsPerSec)})`],
          ['publish → PUBACK ms p50 / p95 / p99', lat(p.ackLatencyMs)],
          ['publish → queryable in InfluxDB ms p50 / p95 / p99', lat(p.queryableLatencyMs)],
          ['lost acknowledged readings', `**${fmt(p.lost)}**`],
          ['held back by the generator (device had too many unacked)', fmt(p.skipped)],
          ['platform peak RSS', `${fmt(p.platformPeakRssMb)} MB`],
        ],
      ),
      '',
    );
  }
  if (r.saturation) {
    const s = r.saturation;
    out.push('## Saturation: offered vs achieved (QoS 1 cameras, open loop)', '');
    out.push(
      `Capacity from the closed-loop run: ${fmt(s.capacityMsgsPerSec)} msgs/s (bare aedes ${fmt(s.baselineCapacityMsgsPerSec)}). ` +
        'Past the knee the broker pushes back by acknowledging later; the generator then holds back publishes of devices with too many unacknowledged messages.',
      '',
    );
    out.push(
      table(
        [
          'offered msgs/s',
          'achieved msgs/s',
          'ack ms p50 / p95 / p99',
          'held back',
          'lost',
          'platform alive',
          'RSS MB',
        ],
        s.steps.map((x) => [
          fmt(x.offeredMsgsPerSec),
          fmt(x.achievedMsgsPerSec),
          lat(x.ackLatencyMs),
          fmt(x.skipped),
          `**${fmt(x.lost)}**`,
          x.platformAlive ? 'yes' : '**no**',
          fmt(x.platformRssMb),
        ]),
      ),
      '',
    );
  }
  if (r.idle) {
    const i = r.idle;
    out.push('## Idle connections', '');
    out.push(
      table(
        ['figure', 'platform broker', 'bare aedes', 'ratio'],
        [
          [
            `memory per idle connection (${fmt(i.connected)} of ${fmt(i.connections)} connected)`,
            `${fmt(i.kbPerConnection, 1)} KB`,
            `${fmt(i.baselineKbPerConnection, 1)} KB`,
            fmtRatio(i.ratio),
          ],
          [
            'broker RSS before → after',
            `${fmt(i.brokerRssMbBefore)} → ${fmt(i.brokerRssMbAfter)} MB`,
            '',
            '',
          ],
          [
            'connection rate',
            `${fmt(i.connectPerSec)} /s`,
            `${fmt(i.baselineConnectPerSec)} /s`,
            fmtRatio(i.connectPerSec / i.baselineConnectPerSec),
          ],
        ],
      ),
      '',
    );
  }
  if (r.control?.length) {
    out.push('## Control loop time per tick', '');
    out.push(
      table(
        ['intersections', 'tick ms p50 / p95 / p99', 'baseline ms', 'ratio'],
        r.control.map((c) => [
          fmt(c.intersections),
          lat(c.tickMs),
          fmt(c.baselineMs, 2),
          `${fmt(c.ratio, 1)}×`,
        ]),
      ),
      '',
    );
  }
  if (r.http?.length) {
    out.push('## HTTP API (autocannon)', '');
    out.push(
      table(
        ['route', 'req/s', '2xx/s', 'p50 / p99 / max ms', 'baseline req/s', 'ratio', 'status codes'],
        r.http.map((h) => [
          `\`${h.route}\``,
          fmt(h.requestsPerSec),
          fmt(h.okPerSec),
          `${fmt(h.latencyMs.p50, 1)} / ${fmt(h.latencyMs.p99, 1)} / ${fmt(h.latencyMs.max, 1)}`,
          fmt(h.baselineRequestsPerSec),
          fmtRatio(h.ratio),
          Object.entries(h.statusCodes)
            .map(([c, n]) => `${c}: ${fmt(n)}`)
            .join(', ') + (h.errors ? `, errors: ${fmt(h.errors)}` : ''),
        ]),
      ),
      '',
    );
  }
  if (r.dashboard) out.push(...renderDashboard(r.dashboard));
  if (r.cpuProfile) {
    out.push(
      `## Where the time goes (V8 sampling profiler as in \`node --cpu-prof\`, ${r.cpuProfile.scenario})`,
      '',
    );
    out.push(
      table(
        ['self time', 'component'],
        r.cpuProfile.components.slice(0, 12).map((c) => [`${c.selfPct.toFixed(1)} %`, c.component]),
      ),
      '',
    );
    out.push(
      table(
        ['self time', 'function', 'where'],
        r.cpuProfile.top.map((h) => [`${h.selfPct.toFixed(1)} %`, `\`${h.function}\``, h.location]),
      ),
      '',
    );
  }
  if (charts.length) {
    out.push('## Charts', '');
    for (const c of charts) out.push(`![${c.title}](${c.file})`, '');
  }
  if (r.notes.length) {
    out.push('## Notes', '');
    for (const n of r.notes) out.push(`- ${n}`);
    out.push('');
  }
  return out.join('\n');
}

const kb = (bytes: number | undefined) => (bytes === undefined ? '–' : `${fmt(bytes / 1024, 1)} KB`);

/** The dashboard section: socket fan-out, publish → client latency, first render. */
export function renderDashboard(d: NonNullable<BenchResults['dashboard']>): string[] {
  const out: string[] = [];
  const f = d.fanout;
  if (f) {
    out.push(
      `## Dashboard fan-out: ${fmt(f.readyClients)} socket clients, ${fmt(f.intersections)} intersections`,
      '',
    );
    out.push(
      `> Feed: ${f.feed.description}. Offered ${fmt(f.feed.offeredMsgsPerSec)} msgs/s ` +
        `(${fmt(f.feed.offeredReadingsPerSec)} readings/s), published ${fmt(f.feed.publishedMsgsPerSec)} msgs/s in the window.`,
      '',
    );
    if (f.decodingClients !== undefined && f.decodingClients < f.clients)
      out.push(
        `> ${fmt(f.decodingClients)} of the ${fmt(f.clients)} clients were full socket.io-clients (decoding every event, timing latency); ` +
          'the others spoke the same engine.io/socket.io protocol over a plain WebSocket, acking every event without decoding its JSON ' +
          '(the server does the same work for both; the decoding is client CPU that starves the server on a 2-core machine).',
        '',
      );
    out.push(
      table(
        ['figure', `${fmt(f.readyClients)} clients`, `baseline: ${fmt(f.baseline.clients)} client`, 'ratio'],
        [
          [
            'dashboard process CPU (cores)',
            fmt(f.serverCores, 3),
            fmt(f.baseline.serverCores, 3),
            `${fmt(f.ratio, 1)}×`,
          ],
          [
            'dashboard RSS (mean / peak)',
            `${fmt(f.serverRssMb)} / ${fmt(f.serverPeakRssMb)} MB`,
            `${fmt(f.baseline.serverRssMb)} MB`,
            '',
          ],
          [
            'marginal cost per client',
            `${fmt(f.marginalCoresPerClient * 1000, 2)} millicores, ${fmt(f.marginalKbPerClient)} KB`,
            '',
            '',
          ],
          [
            'event-loop delay p50 / p99 / max',
            f.eventLoopDelayMs
              ? `${fmt(f.eventLoopDelayMs.p50)} / ${fmt(f.eventLoopDelayMs.p99)} / ${fmt(f.eventLoopDelayMs.max)} ms`
              : '–',
            '',
            '',
          ],
          [
            'resyncing snapshots (clients saw / server decided)',
            `${fmt(f.resyncs.clients)} / ${fmt(f.resyncs.server)}`,
            '',
            '',
          ],
          ['disconnects / connect errors', `${fmt(f.disconnects)} / ${fmt(f.connectErrors)}`, '', ''],
        ],
      ),
      '',
    );
    out.push(
      table(
        ['view', 'clients', 'deltas/s per client', 'bytes/s per client', 'resyncs in window'],
        (['all', 'city', 'district', 'street'] as const).map((c) => {
          const x = f.perClient[c];
          return [c, fmt(x.clients), fmt(x.deltasPerSec, 2), kb(x.bytesPerSec), fmt(x.resyncs)];
        }),
      ),
      '',
    );
    out.push(
      table(
        [
          'publish → …, ms',
          'p50 / p95 / p99',
          'max',
          'samples',
          'bare MQTT subscriber p50 / p95 / p99',
          'p99 ratio',
        ],
        [
          [
            `socket.io-client (node, ${fmt(f.readyClients)} clients)`,
            lat(f.latencyMs),
            fmt(f.latencyMs.max),
            fmt(f.latencyMs.count),
            lat(f.baselineLatencyMs),
            `${fmt(f.latencyMs.p99 / f.baselineLatencyMs.p99, 1)}×`,
          ],
          ...(f.browser
            ? [
                [
                  'headless Chromium, the real app',
                  lat(f.browser.latencyMs),
                  fmt(f.browser.latencyMs.max),
                  fmt(f.browser.latencyMs.count),
                  lat(f.browser.baselineLatencyMs),
                  `${fmt(f.browser.latencyMs.p99 / f.browser.baselineLatencyMs.p99, 1)}×`,
                ],
              ]
            : []),
        ],
      ),
      '',
    );
    if (f.note) out.push(`> ${f.note}`, '');
    if (f.cpuProfile) {
      out.push('Where the dashboard process spends its time (V8 sampling profiler, separate window):', '');
      out.push(
        table(
          ['self time', 'component'],
          f.cpuProfile.components.slice(0, 10).map((c) => [`${c.selfPct.toFixed(1)} %`, c.component]),
        ),
        '',
      );
      out.push(
        table(
          ['self time', 'function', 'where'],
          f.cpuProfile.top
            .slice(0, 12)
            .map((h) => [`${h.selfPct.toFixed(1)} %`, `\`${h.function}\``, h.location]),
        ),
        '',
      );
    }
  }
  const r = d.render;
  if (r) {
    out.push('## Dashboard first complete render (headless Chromium, SwiftShader WebGL)', '');
    const ms = (xs: readonly number[]) => xs.map((x) => fmt(x)).join(', ');
    out.push(
      table(
        ['network', 'runs ms', 'median', 'max', 'DOM ready / network received / map loaded (median ms)'],
        [
          [
            `${fmt(r.intersections)} intersections, ${fmt(r.links)} links`,
            ms(r.runsMs),
            fmt(r.medianMs),
            fmt(r.maxMs),
            `${fmt(r.milestonesMs.domReady)} / ${fmt(r.milestonesMs.network)} / ${fmt(r.milestonesMs.appReady)}`,
          ],
          [
            `baseline: ${fmt(r.baseline.intersections)} intersections, ${fmt(r.baseline.links)} links`,
            ms(r.baseline.runsMs),
            fmt(r.baseline.medianMs),
            fmt(r.baseline.maxMs),
            `${fmt(r.baseline.milestonesMs.domReady)} / ${fmt(r.baseline.milestonesMs.network)} / ${fmt(r.baseline.milestonesMs.appReady)}`,
          ],
        ],
      ),
      '',
      `Ratio of medians: ${fmt(r.ratio, 2)}×. Timed from navigation start (signed in, cold cache) until MapLibre is idle with ` +
        `${fmt(r.drawn.intersections)} intersections and ${fmt(r.drawn.links)} links rendered (last run).`,
      '',
    );
    if (r.note) out.push(`> ${r.note}`, '');
  }
  return out;
}
