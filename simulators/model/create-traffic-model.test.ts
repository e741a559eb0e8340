import { describe, expect, it } from 'vitest';
import { generateNetwork } from '../network/generate-network.ts';
import { parseNetwork } from '../network/parse-network.ts';
import { corridorNetwork } from './corridor-network.ts';
import { createTrafficModel } from './create-traffic-model.ts';
import { constantDemand, rampDemand } from './demand.ts';
import { activePlan, cycleSecondAt, planSignalsAt, type SignalColor } from './plan-signals.ts';
import { runFast } from './run-model.ts';

// Monday 12 January 2026, 08:00 Moscow time: inside the weekday AM peak.
const MONDAY_8AM = Date.UTC(2026, 0, 12, 5, 0);
const green = (...ids: string[]) => new Map<string, SignalColor>(ids.map((id) => [id, 'green']));

describe('traffic model', () => {
  it('conserves vehicles: entered = exited + on the network, at every minute', () => {
    const net = generateNetwork({ intersections: 100, seed: 5, buildings: 0 });
    const m = createTrafficModel(net, { seed: 1, startMs: MONDAY_8AM });
    for (let minute = 0; minute < 30; minute++) {
      runFast(m, 60);
      const x = m.metrics();
      expect(x.entered).toBe(x.exited + x.onNetwork);
    }
    const x = m.metrics();
    expect(x.entered).toBeGreaterThan(1000);
    expect(x.exited).toBeGreaterThan(500);
  });

  it('discharges a saturated approach at ~1,800 veh/h per lane on constant green', () => {
    for (const lanes of [1, 2]) {
      const net = corridorNetwork({ lanes });
      const m = createTrafficModel(net, {
        seed: 2,
        startMs: MONDAY_8AM,
        demand: constantDemand({ arterialVehPerH: 6000, sideVehPerH: 0 }),
      });
      m.setSignals('I-0', green('WT'));
      runFast(m, 120); // queue builds up past the stop line
      const before = m.observeMovement('I-0', 'WT').departures;
      runFast(m, 1800);
      const flowPerLane = ((m.observeMovement('I-0', 'WT').departures - before) * 2) / lanes;
      expect(m.observeMovement('I-0', 'WT').queueVeh).toBeGreaterThan(10);
      expect(flowPerLane).toBeGreaterThan(1800 * 0.97);
      expect(flowPerLane).toBeLessThan(1800 * 1.03);
    }
  });

  it('honours a configured saturation flow', () => {
    const m = createTrafficModel(corridorNetwork(), {
      seed: 2,
      startMs: MONDAY_8AM,
      saturationFlowVehPerHLane: 1500,
      demand: constantDemand({ arterialVehPerH: 6000, sideVehPerH: 0 }),
    });
    m.setSignals('I-0', green('WT'));
    runFast(m, 120);
    const before = m.observeMovement('I-0', 'WT').departures;
    runFast(m, 3600);
    const flow = m.observeMovement('I-0', 'WT').departures - before;
    expect(flow).toBeGreaterThan(1500 * 0.97);
    expect(flow).toBeLessThan(1500 * 1.03);
  });

  it('loses start-up time at each green and discharges through the yellow', () => {
    const m = createTrafficModel(corridorNetwork(), {
      seed: 2,
      startMs: MONDAY_8AM,
      demand: constantDemand({ arterialVehPerH: 6000, sideVehPerH: 0 }),
    });
    m.setSignals('I-0', new Map());
    runFast(m, 120);
    const d0 = m.observeMovement('I-0', 'WT').departures;
    m.setSignals('I-0', green('WT'));
    runFast(m, 20); // 20 s green: 18 s effective
    m.setSignals('I-0', new Map([['WT', 'yellow']]));
    runFast(m, 4); // yellow used in full
    m.setSignals('I-0', new Map());
    runFast(m, 10);
    expect(m.observeMovement('I-0', 'WT').departures - d0).toBe(11); // (18 + 4) s × 0.5 veh/s
  });

  it('lets queues grow without bound over capacity and clear under it', () => {
    const over = createTrafficModel(corridorNetwork(), {
      seed: 3,
      startMs: MONDAY_8AM,
      demand: constantDemand({ arterialVehPerH: 1600, sideVehPerH: 100 }), // capacity ≈ 1800 × 53/90 ≈ 1060
    });
    const backlog = () => over.observeApproach('I-0', 'W').queueVeh + over.metrics().waitingToEnter;
    const samples: number[] = [];
    for (let k = 0; k < 4; k++) {
      runFast(over, 900);
      samples.push(backlog());
    }
    for (let k = 1; k < samples.length; k++) {
      expect(samples[k] as number).toBeGreaterThan((samples[k - 1] as number) + 50);
    }

    const under = createTrafficModel(corridorNetwork(), {
      seed: 3,
      startMs: MONDAY_8AM,
      demand: constantDemand({ arterialVehPerH: 600, sideVehPerH: 100 }),
    });
    runFast(under, 1800);
    let minQueue = Number.POSITIVE_INFINITY;
    let maxQueue = 0;
    runFast(under, 900, (mm) => {
      const q = mm.observeApproach('I-0', 'W').queueVeh;
      minQueue = Math.min(minQueue, q);
      maxQueue = Math.max(maxQueue, q);
    });
    expect(minQueue).toBe(0); // every green clears the queue
    expect(maxQueue).toBeLessThan(30);
    expect(under.metrics().waitingToEnter).toBe(0);
  });

  it('grows queues from a ramp that passes capacity', () => {
    const m = createTrafficModel(corridorNetwork(), {
      seed: 4,
      startMs: MONDAY_8AM,
      demand: rampDemand({
        from: { arterial: 300, side: 50 },
        to: { arterial: 1800, side: 50 },
        overS: 1800,
      }),
    });
    runFast(m, 600);
    const early = m.metrics().totalDelayVehS;
    runFast(m, 600);
    const mid = m.metrics().totalDelayVehS - early;
    runFast(m, 1200);
    const late = (m.metrics().totalDelayVehS - early - mid) / 2;
    expect(mid).toBeGreaterThan(early);
    expect(late).toBeGreaterThan(2 * mid);
  });

  it('spills back: a full downstream link stops the upstream stop line', () => {
    const net = corridorNetwork({ intersections: 2, linkLengthM: 140 }); // L-0 holds 20 vehicles
    const m = createTrafficModel(net, {
      seed: 5,
      startMs: MONDAY_8AM,
      demand: constantDemand({ arterialVehPerH: 1500, sideVehPerH: 0 }),
    });
    m.setSignals('I-0', green('WT'));
    m.setSignals('I-1', new Map()); // all red downstream
    runFast(m, 300);
    const wt = m.observeMovement('I-0', 'WT');
    expect(wt.downstreamFull).toBe(true);
    expect(m.observeApproach('I-1', 'W').queueVeh).toBe(20);
    const waiting = m.metrics().waitingToEnter;
    runFast(m, 300);
    expect(m.observeMovement('I-0', 'WT').departures).toBe(wt.departures); // nothing moved on green
    // The upstream link stays full and the queue reaches back outside the network.
    expect(m.observeMovement('I-0', 'WT').queueVeh).toBe(20);
    expect(m.metrics().waitingToEnter).toBeGreaterThan(waiting + 50);

    m.setSignals('I-1', green('WT')); // release downstream: the upstream line moves again
    runFast(m, 60);
    expect(m.observeMovement('I-0', 'WT').departures).toBeGreaterThan(wt.departures + 10);
    expect(m.observeMovement('I-0', 'WT').downstreamFull).toBe(false);
  });

  it('keeps an over-saturated grid moving: held drivers take another way out of their lanes', () => {
    const net = generateNetwork({ intersections: 100, seed: 1, buildings: 0 });
    const m = createTrafficModel(net, { seed: 1, startMs: MONDAY_8AM, demandScale: 3 });
    const exitsPerQuarter: number[] = [];
    let last = 0;
    for (let k = 0; k < 8; k++) {
      runFast(m, 900);
      exitsPerQuarter.push(m.metrics().exited - last);
      last = m.metrics().exited;
    }
    // Demand far above capacity: the backlog outside grows, but throughput does not collapse.
    expect(m.metrics().waitingToEnter).toBeGreaterThan(10_000);
    const peak = Math.max(...exitsPerQuarter);
    expect(exitsPerQuarter.at(-1) as number).toBeGreaterThan(peak * 0.8);
    expect(m.metrics().entered).toBe(m.metrics().exited + m.metrics().onNetwork);
  });

  it('blocks discharge in proportion to the lanes an incident closes', () => {
    const flow = (blocked: number) => {
      const m = createTrafficModel(corridorNetwork({ lanes: 3 }), {
        seed: 6,
        startMs: MONDAY_8AM,
        demand: constantDemand({ arterialVehPerH: 9000, sideVehPerH: 0 }),
      });
      m.setSignals('I-0', green('WT'));
      runFast(m, 120);
      m.blockLane('E-MAIN', blocked, m.timeS + 600);
      const before = m.observeMovement('I-0', 'WT').departures;
      runFast(m, 600);
      return m.observeMovement('I-0', 'WT').departures - before;
    };
    expect(flow(0)).toBe(900); // 3 lanes × 0.5 veh/s × 600 s
    expect(flow(2)).toBe(300);
    expect(flow(3)).toBe(0);
  });

  it('gives way: a permitted left discharges less while opposing traffic queues', () => {
    const net = generateNetwork({ intersections: 25, seed: 9, buildings: 0 });
    const x = net.intersections.find(
      (i) => i.kind === 'cross' && (i.yields ?? []).some(([a, b]) => a.endsWith('L') && b.endsWith('T')),
    );
    const pair = x?.yields?.find(([a, b]) => a.endsWith('L') && b.endsWith('T'));
    if (!x || !pair) throw new Error('fixture has no permitted left');
    const [left, through] = pair;
    const run = (opposingGreen: boolean) => {
      const m = createTrafficModel(net, {
        seed: 1,
        startMs: MONDAY_8AM,
        demand: constantDemand({ arterialVehPerH: 2500, sideVehPerH: 2500 }),
      });
      m.setSignals(x.id, new Map());
      runFast(m, 300);
      const own = x.movements.filter((v) => v.approach === left[0]).map((v) => v.id);
      m.setSignals(x.id, opposingGreen ? green(...own, through) : green(...own));
      const before = m.observeMovement(x.id, left).departures;
      runFast(m, 60);
      return m.observeMovement(x.id, left).departures - before;
    };
    expect(run(true)).toBeLessThan(run(false));
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const net = generateNetwork({ intersections: 36, seed: 1, buildings: 0 });
    const run = (seed: number) => {
      const m = createTrafficModel(net, { seed, startMs: MONDAY_8AM });
      runFast(m, 1200);
      return m.metrics();
    };
    const a = run(11);
    expect(run(11)).toEqual(a);
    const b = run(12);
    expect(b.entered === a.entered && b.totalDelayVehS === a.totalDelayVehS).toBe(false);
  });

  it('runs its stored plans without ever showing two conflicting movements green', () => {
    const net = generateNetwork({ intersections: 16, seed: 4, buildings: 0 });
    const m = createTrafficModel(net, { seed: 1, startMs: MONDAY_8AM });
    let checked = 0;
    const violations: string[] = [];
    const greens = new Set<string>();
    runFast(m, 300, (mm) => {
      for (const x of net.intersections) {
        const state = mm.signalState(x.id);
        for (const [id, color] of state) if (color === 'green') greens.add(`${x.id}:${id}`);
        for (const [a, b] of x.conflicts) {
          if (state.get(a) === 'green' && state.get(b) === 'green') violations.push(`${x.id} ${a}/${b}`);
          checked++;
        }
      }
    });
    expect(violations).toEqual([]);
    expect(checked).toBeGreaterThan(10_000);
    // Every vehicle movement got its green within the 300 s (cycles are at most 120 s).
    expect(greens.size).toBe(net.intersections.reduce((n, x) => n + x.movements.length, 0));
  });

  it('rewards better timings: green split by volume gives less delay than the reverse', () => {
    const delayWith = (mainGreenS: number, sideGreenS: number) => {
      const m = createTrafficModel(corridorNetwork(), {
        seed: 10,
        startMs: MONDAY_8AM,
        demand: constantDemand({ arterialVehPerH: 700, sideVehPerH: 150 }),
      });
      const plan = {
        cycleS: mainGreenS + sideGreenS + 10,
        offsetS: 0,
        phases: [
          { id: 'P1', movements: ['WT'], greenS: mainGreenS, yellowS: 3, allRedS: 2 },
          { id: 'P2', movements: ['NL'], greenS: sideGreenS, yellowS: 3, allRedS: 2 },
        ],
      };
      for (let k = 0; k < 3600; k++) {
        m.setSignals('I-0', planSignalsAt(plan, cycleSecondAt(plan, m.nowMs)));
        m.step();
      }
      return m.metrics();
    };
    const byVolume = delayWith(60, 20);
    const even = delayWith(40, 40);
    const reversed = delayWith(20, 60);
    expect(byVolume.totalDelayVehS).toBeLessThan(even.totalDelayVehS);
    expect(even.totalDelayVehS).toBeLessThan(reversed.totalDelayVehS);
    expect(byVolume.avgDelayS).toBeLessThan(reversed.avgDelayS / 2);
    expect(byVolume.stopsPerVehicle).toBeLessThan(reversed.stopsPerVehicle);
  });

  it('starts and ends trips along internal streets when the demand asks for it', () => {
    const m = createTrafficModel(corridorNetwork({ intersections: 3 }), {
      seed: 12,
      startMs: MONDAY_8AM,
      demand: { entryVehPerH: () => 0, sourceVehPerH: () => 360, tripEndShare: 0.5 },
    });
    runFast(m, 1800);
    const x = m.metrics();
    // Only L-0 and L-1 are internal: 2 × 360 veh/h × 0.5 h ≈ 360 trips.
    expect(x.entered).toBeGreaterThan(300);
    expect(x.entered).toBeLessThan(420);
    expect(x.entered).toBe(x.exited + x.onNetwork);
    // I-1 sees the trips from L-0; I-2 those from L-1 plus the half of L-0's that go on: ×1.5.
    const atI1 = m.observeApproach('I-1', 'W').arrivals;
    const atI2 = m.observeApproach('I-2', 'W').arrivals;
    expect(atI2 / atI1).toBeGreaterThan(1.2);
    expect(atI2 / atI1).toBeLessThan(1.8);
    expect(x.exited).toBeGreaterThan(x.entered * 0.8);
  });

  it("gives the generator's stored Webster plans less delay than even splits on a long cycle", {
    timeout: 60_000,
  }, () => {
    const net = generateNetwork({ intersections: 100, seed: 1, buildings: 0 });
    const stored = createTrafficModel(net, { seed: 1, startMs: MONDAY_8AM });
    runFast(stored, 3600);
    const even = createTrafficModel(net, { seed: 1, startMs: MONDAY_8AM });
    const plans = net.intersections.map((x) => {
      const p = activePlan(x, MONDAY_8AM);
      const greenS = (120 - p.phases.length * 5) / p.phases.length;
      return {
        id: x.id,
        plan: { cycleS: 120, offsetS: 0, phases: p.phases.map((ph) => ({ ...ph, greenS })) },
      };
    });
    for (let k = 0; k < 3600; k++) {
      for (const { id, plan } of plans)
        even.setSignals(id, planSignalsAt(plan, cycleSecondAt(plan, even.nowMs)));
      even.step();
    }
    expect(stored.metrics().totalDelayVehS).toBeLessThan(even.metrics().totalDelayVehS * 0.8);
  });

  it('keeps approach counts consistent with its queue', () => {
    const m = createTrafficModel(corridorNetwork(), {
      seed: 8,
      startMs: MONDAY_8AM,
      demand: constantDemand({ arterialVehPerH: 900, sideVehPerH: 200 }),
    });
    runFast(m, 777);
    const w = m.observeApproach('I-0', 'W');
    expect(w.arrivals - w.departures).toBe(w.queueVeh);
    expect(w.arrivals).toBeGreaterThan(100);
    expect(w.occupancy).toBeGreaterThanOrEqual(0);
    expect(w.occupancy).toBeLessThanOrEqual(1);
    expect(w.lastArrivalAgeS).toBeGreaterThanOrEqual(0);
    expect(() => m.observeApproach('I-0', 'S')).toThrow(/no approach S/);
  });

  it('plays a hand-written corridor that passes the network checks', () => {
    expect(() =>
      parseNetwork(JSON.parse(JSON.stringify(corridorNetwork({ intersections: 3 })))),
    ).not.toThrow();
  });
});
