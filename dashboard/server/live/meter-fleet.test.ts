import { describe, expect, it } from 'vitest';
import { tinyNetwork } from '../test-support/tiny-network.ts';
import { defaultMeterRules, emptyTrack, type MeterTrack } from './meter-anomaly.ts';
import { MeterFleet, movingShareByKind } from './meter-fleet.ts';
import { Sequence } from './versioned-map.ts';

const H = 3_600_000;
const track = (kind: MeterTrack['kind'], ts: number, lastChangeTs: number): MeterTrack => ({
  ...emptyTrack(kind),
  ts,
  lastChangeTs,
});

describe('movingShareByKind', () => {
  it('is the share of each kind whose register moved within the stuck window', () => {
    const shares = movingShareByKind(
      [track('water', 10 * H, 9 * H), track('water', 10 * H, 1 * H), track('electricity', 10 * H, 0)],
      3 * H,
    );
    expect(shares.get('water')).toBe(0.5);
    expect(shares.get('electricity')).toBe(0);
  });
});

describe('MeterFleet', () => {
  const net = tinyNetwork();

  it('folds readings into the live item and ignores unknown meters', () => {
    const seq = new Sequence();
    const fleet = new MeterFleet(net.buildings, seq, defaultMeterRules);
    fleet.fold('wm-1', { ts: 1000, kind: 'water', value: 12.5, flow: 40 });
    fleet.fold('nobody', { ts: 1000, kind: 'water', value: 1 });
    expect(fleet.items.get('wm-1')).toMatchObject({ value: 12.5, rate: 40, ts: 1000, buildingId: 'bld-1' });
    expect(seq.current).toBe(1);
  });

  it('marks a meter in outage once it has been quiet too long', () => {
    const fleet = new MeterFleet(net.buildings, new Sequence(), defaultMeterRules);
    fleet.fold('wm-1', { ts: 0, kind: 'water', value: 1 });
    fleet.tick(defaultMeterRules.outageAfterMs + 1, 0);
    expect(fleet.items.get('wm-1')?.anomaly).toBe('outage');
    expect(fleet.inOutage()).toBe(2);
  });
});
