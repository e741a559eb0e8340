import { describe, expect, it } from 'vitest';
import { checkPlanSafety } from '../devices/plan-safety.ts';
import { generateCity, generateNetwork } from './generate-network.ts';
import { parseNetwork } from './parse-network.ts';

describe('generateNetwork', () => {
  it('builds the requested number of intersections with a camera on every approach', () => {
    const net = generateNetwork({ intersections: 100, seed: 1 });
    expect(net.intersections).toHaveLength(100);
    const approaches = net.intersections.reduce((n, x) => n + x.approaches.length, 0);
    expect(net.cameras).toHaveLength(approaches);
    expect(net.cameras.length / 100).toBeGreaterThan(3.7);
    expect(net.cameras.length / 100).toBeLessThanOrEqual(4);
    expect(new Set(net.cameras.map((c) => `${c.intersectionId}:${c.approach}`)).size).toBe(
      net.cameras.length,
    );
  });

  it('generates networks that pass the file checks, for many sizes and seeds', () => {
    for (const [intersections, seed] of [
      [1, 1],
      [2, 2],
      [5, 3],
      [37, 4],
      [100, 5],
      [150, 6],
    ] as const) {
      const net = generateNetwork({ intersections, seed });
      expect(() => parseNetwork(JSON.parse(JSON.stringify(net)))).not.toThrow();
      expect(net.intersections).toHaveLength(intersections);
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = JSON.stringify(generateNetwork({ intersections: 30, seed: 9 }));
    expect(JSON.stringify(generateNetwork({ intersections: 30, seed: 9 }))).toBe(a);
    expect(JSON.stringify(generateNetwork({ intersections: 30, seed: 10 }))).not.toBe(a);
  });

  it('lays a Moscow street grid: realistic spacing, 3-lane arterials, 1–2 lane side streets', () => {
    const net = generateNetwork({ intersections: 100, seed: 2 });
    const internal = net.links.filter((l) => l.from !== null && l.to !== null);
    for (const l of internal) {
      expect(l.lengthM).toBeGreaterThanOrEqual(150);
      expect(l.lengthM).toBeLessThanOrEqual(400);
      expect(l.lanes).toBe(l.roadClass === 'arterial' ? 3 : l.lanes);
      if (l.roadClass === 'side') expect([1, 2]).toContain(l.lanes);
    }
    expect(internal.some((l) => l.roadClass === 'arterial')).toBe(true);
    expect(internal.filter((l) => l.roadClass === 'side').length).toBeGreaterThan(internal.length / 2);
    for (const x of net.intersections) {
      expect(Math.abs(x.position[0] - 37.62)).toBeLessThan(0.05);
      expect(Math.abs(x.position[1] - 55.75)).toBeLessThan(0.03);
    }
  });

  it('has boundary entry and exit links, T-junctions and one-way links per direction', () => {
    const net = generateNetwork({ intersections: 100, seed: 3 });
    expect(net.links.filter((l) => l.from === null).length).toBe(40); // 10 × 10 grid: 4 × 10 edges
    expect(net.links.filter((l) => l.to === null).length).toBe(40);
    const tees = net.intersections.filter((x) => x.kind === 'tee');
    expect(tees.length).toBeGreaterThan(0);
    for (const x of tees) expect(x.approaches).toHaveLength(3);
    const ids = new Set(net.links.map((l) => `${l.from}>${l.to}`));
    for (const l of net.links) {
      if (l.from !== null && l.to !== null) expect(ids.has(`${l.to}>${l.from}`)).toBe(true);
    }
  });

  it('gives heavy arterial lefts a pocket and a protected phase, everything else 2–4 phases', () => {
    const net = generateNetwork({ intersections: 100, seed: 4 });
    let protectedLefts = 0;
    for (const x of net.intersections) {
      expect(x.phases.length).toBeGreaterThanOrEqual(2);
      expect(x.phases.length).toBeLessThanOrEqual(4);
      for (const g of x.laneGroups.filter((g) => g.turns.length === 1 && g.turns[0] === 'L')) {
        protectedLefts++;
        const left = x.movements.find((m) => m.laneGroup === g.id);
        const phase = x.phases.find((p) => p.movements.includes(left?.id ?? ''));
        // A protected left runs in a phase with no through traffic.
        expect(phase?.movements.some((m) => m.endsWith('T'))).toBe(false);
      }
      for (const m of x.movements) expect(m.outLink).not.toBeNull();
      expect(x.pedestrianCrossings).toHaveLength(x.approaches.length);
    }
    expect(protectedLefts).toBeGreaterThan(0);
  });

  it('never puts two conflicting movements in one phase or plan phase', () => {
    const net = generateNetwork({ intersections: 200, seed: 5 });
    for (const x of net.intersections) {
      const bad = new Set(x.conflicts.map(([a, b]) => `${a}|${b}`));
      const clash = (ms: readonly string[]) =>
        ms.some((a) => ms.some((b) => bad.has(`${a}|${b}`) || bad.has(`${b}|${a}`)));
      for (const p of x.phases) expect(clash(p.movements)).toBe(false);
      for (const plan of x.plans) for (const p of plan.phases) expect(clash(p.movements)).toBe(false);
    }
  });

  it('stores four time-of-day plans: cycle 60–120 s, yellow 3 s, all-red 2 s, greens ≥ 7 s', () => {
    const net = generateNetwork({ intersections: 100, seed: 6 });
    for (const x of net.intersections) {
      expect(x.plans.map((p) => p.id.slice(x.id.length + 1))).toEqual(['AM', 'DAY', 'PM', 'NIGHT']);
      for (const plan of x.plans) {
        expect(plan.cycleS).toBeGreaterThanOrEqual(60);
        expect(plan.cycleS).toBeLessThanOrEqual(120);
        expect(plan.offsetS).toBeLessThan(plan.cycleS);
        let sum = 0;
        for (const p of plan.phases) {
          expect(p.yellowS).toBe(3);
          expect(p.allRedS).toBe(2);
          expect(p.greenS).toBeGreaterThanOrEqual(Math.max(7, p.minGreenS ?? 0));
          sum += p.greenS + p.yellowS + p.allRedS;
        }
        expect(sum).toBe(plan.cycleS);
      }
      const used = new Set(x.schedule.map((e) => e.planId));
      expect(used.size).toBe(4);
    }
  });

  it("stores plans the signal controller's own conflict monitor accepts", () => {
    const net = generateNetwork({ intersections: 200, seed: 11, buildings: 0 });
    const refused = net.intersections.flatMap((x) =>
      x.plans.flatMap((p) => {
        const verdict = checkPlanSafety(x, p);
        return verdict.ok ? [] : [`${p.id}: ${verdict.reason}`];
      }),
    );
    expect(refused).toEqual([]);
  });

  it('splits green roughly by expected volume: the arterial gets more than the side street', () => {
    const net = generateNetwork({ intersections: 100, seed: 7 });
    const x = net.intersections.find(
      (i) =>
        i.kind === 'cross' &&
        i.phases.length === 2 &&
        i.approaches.some((a) => a.dir === 'N' && a.lanes === 3) &&
        i.approaches.some((a) => a.dir === 'E' && a.lanes === 1),
    );
    if (!x) throw new Error('fixture has no arterial × one-lane side street junction');
    const am = x.plans[0];
    const [ns, ew] = am?.phases ?? [];
    expect(ns?.movements).toContain('NT');
    expect((ns?.greenS ?? 0) > (ew?.greenS ?? 0)).toBe(true);
  });

  it('puts a water and an electricity meter in every building, most behind gateways', () => {
    const net = generateNetwork({ intersections: 100, seed: 8, buildings: 2000 });
    expect(net.buildings).toHaveLength(2000);
    const meters = net.buildings.flatMap((b) => b.meters);
    expect(meters).toHaveLength(4000);
    for (const b of net.buildings)
      expect(b.meters.map((m) => m.kind).sort()).toEqual(['electricity', 'water']);
    const behind = meters.filter((m) => m.gatewayId !== undefined).length / meters.length;
    expect(behind).toBeGreaterThan(0.85);
    expect(behind).toBeLessThan(0.95);
    const perGateway = new Map<string, number>();
    for (const m of meters)
      if (m.gatewayId) perGateway.set(m.gatewayId, (perGateway.get(m.gatewayId) ?? 0) + 1);
    expect(net.gateways.length).toBe(72);
    const avg = [...perGateway.values()].reduce((a, b) => a + b, 0) / perGateway.size;
    expect(avg).toBeGreaterThan(40);
    expect(avg).toBeLessThan(60);
  });

  it('streams a million meters behind ten thousand gateways', { timeout: 120_000 }, () => {
    const city = generateCity({
      intersections: 100,
      seed: 1,
      meters: 1_000_000,
      metersPerGateway: 100,
      gatewayShare: 1,
    });
    expect(city.buildingCount).toBe(500_000);
    expect(city.network.gateways).toHaveLength(10_000);
    expect(city.network.buildings).toHaveLength(0);
    let meters = 0;
    let last = '';
    const gateways = new Set<string>();
    for (const b of city.buildings()) {
      meters += b.meters.length;
      last = b.id;
      for (const m of b.meters) if (m.gatewayId) gateways.add(m.gatewayId);
    }
    expect(meters).toBe(1_000_000);
    expect(last).toBe('B-499999');
    expect(gateways.size).toBe(10_000);
  });

  it('scales to 4,000 intersections and about 16,000 cameras', { timeout: 120_000 }, () => {
    const net = generateNetwork({ intersections: 4000, seed: 1, buildings: 0 });
    expect(net.intersections).toHaveLength(4000);
    expect(net.cameras.length).toBeGreaterThan(15_000);
    expect(net.cameras.length).toBeLessThanOrEqual(16_000);
    expect(() => parseNetwork(net)).not.toThrow();
  });
});
