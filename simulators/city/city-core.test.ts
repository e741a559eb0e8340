import { describe, expect, it } from 'vitest';
import {
  parseTopic,
  type SignalPlan,
  type SignalState,
  type TopicKey,
  topics,
} from '../../protocol/index.ts';
import { createTrafficModel } from '../model/create-traffic-model.ts';
import { CityCore, type Outgoing } from './city-core.ts';
import { tinyCity } from './tiny-city.ts';

/** Wednesday 08:00 Moscow: morning peak, the weekday `day` plan. */
const START = Date.UTC(2026, 10, 25, 5, 0, 0);
const network = tinyCity(2);

function core(faults = {}) {
  const model = createTrafficModel(network, { seed: 1, startMs: START });
  return new CityCore(network, model, { seed: 1, meterReadS: 60, gatewayPeriodS: 60, faults });
}

function runFor(c: CityCore, seconds: number): Outgoing[] {
  const out: Outgoing[] = [];
  for (let t = 1; t <= seconds; t++) out.push(...c.tick(START + t * 1000));
  return out;
}

function byKey(out: Outgoing[], key: TopicKey): Outgoing[] {
  return out.filter((m) => parseTopic(m.topic)?.key === key);
}

describe('city core (model + devices, no sockets)', () => {
  const out = runFor(core({ cameraStuck: 0, cameraSilent: 0, cameraMiscounting: 0 }), 600);

  it('every message parses with the schema of its topic', () => {
    for (const m of out) {
      const parsed = parseTopic(m.topic);
      expect(parsed).not.toBeNull();
      if (parsed) expect(topics[parsed.key].schema.safeParse(m.payload).success).toBe(true);
    }
  });

  it('cameras report every 5 s what the model counted at their approach', () => {
    const counts = byKey(out, 'cameraCounts');
    const perCamera = new Map<string, number>();
    for (const m of counts) perCamera.set(m.deviceId, (perCamera.get(m.deviceId) ?? 0) + 1);
    expect(perCamera.size).toBe(8);
    // 600 s / 5 s, less the first staggered (unreported) interval.
    for (const n of perCamera.values()) expect(n).toBeGreaterThanOrEqual(118);
    const vehicles = counts.reduce((s, m) => s + (m.payload as { intensity: number }).intensity, 0);
    expect(vehicles).toBeGreaterThan(0);
  });

  it('signal controllers report on every phase change and at least every 5 s', () => {
    for (const id of ['I1', 'I2']) {
      const states = byKey(out, 'signalState')
        .filter((m) => m.topic === topics.signalState.of(id))
        .map((m) => m.payload as SignalState);
      expect(states.length).toBeGreaterThan(100);
      for (let i = 1; i < states.length; i++) {
        expect((states[i]?.ts ?? 0) - (states[i - 1]?.ts ?? 0)).toBeLessThanOrEqual(5000);
      }
      const intervals = new Set(states.map((s) => `${s.phase}/${s.interval}`));
      expect(intervals).toContain('A/yellow');
      expect(intervals).toContain('D/allRed');
    }
  });

  it('gateways relay their meters in batches; a directly-reporting meter publishes itself', () => {
    const batches = byKey(out, 'gatewayReadings');
    expect(batches.length).toBeGreaterThanOrEqual(9);
    expect(batches.every((b) => b.deviceId === 'gw-1')).toBe(true);
    const direct = byKey(out, 'meterReadings');
    expect(direct.length).toBeGreaterThanOrEqual(9);
    expect(direct.every((m) => m.deviceId === 'm-B2-e')).toBe(true);
  });

  it('answers a plan at once with its state: refused when broken, running after the boundary when safe', () => {
    const c = core();
    runFor(c, 10);
    const [bad] = c.receivePlan('I1', Buffer.from('{"planId":"x1","phases":'));
    expect((bad?.payload as SignalState | undefined)?.lastRejectedPlan).toMatchObject({
      planId: 'unknown',
      reason: 'plan is not valid JSON',
    });
    const [wrong] = c.receivePlan('I1', JSON.stringify({ planId: 'x2', ts: START }));
    expect((wrong?.payload as SignalState | undefined)?.lastRejectedPlan?.reason).toContain('schema');
    const junction = network.intersections[0];
    const good: SignalPlan = {
      ts: START,
      planId: 'adaptive-9',
      source: 'adaptive',
      cycleS: 76,
      offsetS: 0,
      phases: (junction?.phases ?? []).map((p, i) => ({
        id: p.id,
        movements: p.movements,
        greenS: [20, 8, 20, 8][i] ?? 8,
        yellowS: 3,
        allRedS: 2,
      })),
    };
    c.receivePlan('I1', JSON.stringify(good));
    const later = runFor(c, 120).filter((m) => m.topic === topics.signalState.of('I1'));
    expect(later.some((m) => (m.payload as SignalState).planId === 'adaptive-9')).toBe(true);
    expect(c.stats()).toMatchObject({ plansAccepted: 1, plansRejected: 2 });
  });

  it('the same seed gives the same city', () => {
    const a = runFor(core(), 120);
    const b = runFor(core(), 120);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});
