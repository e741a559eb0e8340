// `npm run evaluate [-- --quick] [--out dir]`: every scenario x controller x seed through the
// traffic model, faster than real time; writes evaluation.json, evaluation.md and evaluation.svg.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ControllerKind, parseControlConfig } from '../core/control-config.ts';
import { markdownReport, svgChart } from './report.ts';
import { type EvaluationRow, runScenario } from './run-scenario.ts';
import { scenarios } from './scenarios.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    seeds: { type: 'string' },
  },
});
const quick = values.quick === true;
const size = quick ? { horizonS: 900, gridIntersections: 9 } : { horizonS: 2400, gridIntersections: 16 };
const seeds = Number(values.seeds ?? (quick ? 2 : 5));
const out = values.out ?? join('control', 'results', quick ? 'quick' : '.');
const cfg = parseControlConfig();
const controllers: ControllerKind[] = ['fixed', 'webster', 'actuated', 'adaptive'];

const started = performance.now();
const rows: EvaluationRow[] = [];
const all = scenarios(size);
for (const scenario of all) {
  for (const controller of controllers) {
    for (let seed = 1; seed <= seeds; seed++) {
      const row = runScenario(scenario, controller, seed, cfg);
      rows.push(row);
      process.stdout.write(
        `${scenario.name.padEnd(20)} ${controller.padEnd(9)} seed ${seed}: delay ${row.avgDelayS.toFixed(1)} s, ` +
          `${row.throughputVehPerH.toFixed(0)} veh/h\n`,
      );
    }
  }
}
const elapsedS = (performance.now() - started) / 1000;
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'evaluation.json'), `${JSON.stringify(rows, null, 2)}\n`);
const report = markdownReport(rows, {
  horizonS: size.horizonS,
  seeds,
  descriptions: new Map(all.map((s) => [s.name, s.description])),
  timeVarying: new Set(all.filter((s) => s.timeVarying).map((s) => s.name)),
  elapsedS,
});
writeFileSync(join(out, 'evaluation.md'), report);
// The table itself, for whoever ran the command (the issue asks evaluate to print it).
process.stdout.write(`\n${report}\n`);
writeFileSync(join(out, 'evaluation.svg'), svgChart(rows));
process.stdout.write(
  `wrote ${out}/evaluation.{json,md,svg} (${rows.length} runs, ${elapsedS.toFixed(0)} s)\n`,
);
