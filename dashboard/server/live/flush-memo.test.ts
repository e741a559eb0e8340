import { describe, expect, it } from 'vitest';
import { tinyNetwork } from '../test-support/tiny-network.ts';
import { FlushMemo } from './flush-memo.ts';
import { LiveState } from './live-state.ts';
import { buildViewportIndex, filterViewport } from './viewport-filter.ts';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const net = tinyNetwork();
const index = buildViewportIndex(net);
const everything = filterViewport(index, { bbox: [37, 55, 38, 56], zoom: 16 });
const counts = { ts: T0, intervalS: 60, intensity: 30, queueLength: 12 };

describe('FlushMemo', () => {
  it('builds a view delta once per seq and hands every client the same payload', () => {
    const live = new LiveState(net);
    live.applyCameraCounts('cam-A-N', counts, T0);
    const memo = new FlushMemo(live, T0);
    const first = memo.delta(everything, 0);
    expect(memo.delta(everything, 0)).toBe(first);
    expect(JSON.parse(first?.json ?? 'null')).toEqual(live.changesSince(0, everything, T0));
  });

  it('keeps deltas apart for clients at different seqs or with different views', () => {
    const live = new LiveState(net);
    live.applyCameraCounts('cam-A-N', counts, T0);
    const seen = live.seq;
    live.applyCameraCounts('cam-A-E', counts, T0);
    const memo = new FlushMemo(live, T0);
    const since0 = JSON.parse(memo.delta(everything, 0)?.json ?? 'null');
    const sinceSeen = JSON.parse(memo.delta(everything, seen)?.json ?? 'null');
    expect(since0.links.map((l: { id: string }) => l.id).sort()).toEqual(['A-in-E', 'A-in-N']);
    expect(sinceSeen.links.map((l: { id: string }) => l.id)).toEqual(['A-in-E']);
    const other = filterViewport(index, { bbox: [37, 55, 38, 56], zoom: 16 });
    expect(memo.delta(other, 0)).not.toBe(memo.delta(everything, 0));
  });

  it('has no delta for a client that has seen every change', () => {
    const live = new LiveState(net);
    live.applyCameraCounts('cam-A-N', counts, T0);
    expect(new FlushMemo(live, T0).delta(everything, live.seq)).toBeNull();
  });

  it('serialises one snapshot per view', () => {
    const live = new LiveState(net);
    const memo = new FlushMemo(live, T0);
    const s = memo.snapshot(everything);
    expect(memo.snapshot(everything)).toBe(s);
    expect(JSON.parse(s.json)).toEqual(live.snapshot(everything, T0));
  });
});
