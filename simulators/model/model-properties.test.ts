import fc from 'fast-check';
import { describe, it } from 'vitest';
import { corridorNetwork } from './corridor-network.ts';
import { createTrafficModel } from './create-traffic-model.ts';
import { constantDemand } from './demand.ts';
import type { SignalColor } from './plan-signals.ts';

const COLORS: readonly SignalColor[] = ['red', 'yellow', 'green'];

describe('traffic model invariants under arbitrary signals and demand', () => {
  it('conserves vehicles, never counts below zero and never overfills a link', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 4000 }),
        fc.integer({ min: 0, max: 800 }),
        fc.array(fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)), { minLength: 20, maxLength: 20 }),
        (seed, mainVehPerH, sideVehPerH, schedule) => {
          const m = createTrafficModel(corridorNetwork({ intersections: 2, linkLengthM: 200 }), {
            seed,
            startMs: 0,
            demand: constantDemand({ arterialVehPerH: mainVehPerH, sideVehPerH: sideVehPerH }),
          });
          // Any colours at all, changed every 30 s: the model is not the safety layer, it must cope.
          for (const [a, b, c, d] of schedule) {
            m.setSignals(
              'I-0',
              new Map([
                ['WT', COLORS[a] ?? 'red'],
                ['NL', COLORS[b] ?? 'red'],
              ]),
            );
            m.setSignals(
              'I-1',
              new Map([
                ['WT', COLORS[c] ?? 'red'],
                ['NL', COLORS[d] ?? 'red'],
              ]),
            );
            for (let k = 0; k < 30; k++) {
              m.step();
              const x = m.metrics();
              if (x.entered !== x.exited + x.onNetwork) return false;
            }
            for (const id of ['I-0', 'I-1']) {
              for (const mv of ['WT', 'NL']) {
                const o = m.observeMovement(id, mv);
                if (o.queueVeh < 0 || o.departures > o.arrivals) return false;
              }
              const w = m.observeApproach(id, 'W');
              // 200 m × 1 lane / 7 m: at most 28 vehicles on the link, so at most 28 queued.
              if (w.queueVeh > 28 || w.arrivals - w.departures !== w.queueVeh) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 40 },
    );
  });
});
