import type { MeterKind } from '../../../protocol/ids.ts';
import type { MeterAnomaly } from '../../shared/contract.ts';

/** Thresholds of the meter anomaly rules; the defaults suit readings every few minutes. */
export interface MeterRules {
  /** No reading for this long: outage. */
  readonly outageAfterMs: number;
  /** Water flowing without a pause through the night for this long: leak. */
  readonly leakAfterMs: number;
  /** Register unchanged for this long while most meters of its kind moved: stuck. */
  readonly stuckAfterMs: number;
  /** Local night, minutes after local midnight [start, end), and the city's UTC offset. */
  readonly nightStartMin: number;
  readonly nightEndMin: number;
  readonly utcOffsetMin: number;
}

export const defaultMeterRules: MeterRules = {
  outageAfterMs: 30 * 60_000,
  leakAfterMs: 2 * 3_600_000,
  stuckAfterMs: 3 * 3_600_000,
  nightStartMin: 60,
  nightEndMin: 5 * 60,
  utcOffsetMin: 180,
};

/** What the anomaly rules remember about one meter between readings. */
export interface MeterTrack {
  readonly kind: MeterKind;
  readonly value: number | null;
  /** L/h for water, W for electricity. */
  readonly rate: number | null;
  /** Time of the last reading (device ts), 0 before the first. */
  readonly ts: number;
  /** When the register last changed (0: never seen it change). */
  readonly lastChangeTs: number;
  /** Start of the current uninterrupted night flow, null when there is none. */
  readonly nightFlowSinceMs: number | null;
}

export function emptyTrack(kind: MeterKind): MeterTrack {
  return { kind, value: null, rate: null, ts: 0, lastChangeTs: 0, nightFlowSinceMs: null };
}

export function isNight(tsMs: number, rules: MeterRules): boolean {
  const minuteOfDay = (((Math.floor(tsMs / 60_000) + rules.utcOffsetMin) % 1440) + 1440) % 1440;
  return minuteOfDay >= rules.nightStartMin && minuteOfDay < rules.nightEndMin;
}

/**
 * Folds one reading into the track. The rate is the reported flow/power when the meter sends
 * it, else derived from the register's rise since the previous reading. Out-of-order readings
 * (older than the last one) are ignored: the register only moves forward.
 */
export function applyReading(
  track: MeterTrack,
  reading: { ts: number; value: number; flow?: number | undefined; power?: number | undefined },
  rules: MeterRules,
): MeterTrack {
  if (reading.ts < track.ts) return track;
  const reported = track.kind === 'water' ? reading.flow : reading.power;
  let rate: number | null = reported ?? null;
  if (rate === null && track.value !== null && reading.ts > track.ts) {
    const hours = (reading.ts - track.ts) / 3_600_000;
    // m³ → L and kWh → Wh: both registers scale by 1,000 to the rate's unit.
    rate = Math.max(0, ((reading.value - track.value) * 1000) / hours);
  }
  const changed = track.value === null || reading.value !== track.value;
  const flowing = (rate ?? 0) > 0;
  let nightFlowSinceMs: number | null = null;
  if (track.kind === 'water' && flowing && isNight(reading.ts, rules)) {
    nightFlowSinceMs = track.nightFlowSinceMs ?? reading.ts;
  } else if (track.kind === 'water' && flowing && track.nightFlowSinceMs !== null) {
    // Flow continuing past the end of the night keeps the leak visible until it stops.
    nightFlowSinceMs = track.nightFlowSinceMs;
  }
  return {
    kind: track.kind,
    value: reading.value,
    rate,
    ts: reading.ts,
    lastChangeTs: changed ? reading.ts : track.lastChangeTs,
    nightFlowSinceMs,
  };
}

/**
 * The anomaly of one meter at `nowMs`. `movingShare` is the share (0..1) of the meters of the
 * same kind whose register moved within `stuckAfterMs`: a register that stands still while most
 * others move is stuck, while a quiet hour for everyone is just a quiet hour. `watchedSinceMs` is
 * when the dashboard started listening: a meter is not in outage before it had time to report.
 */
export function meterAnomaly(
  track: MeterTrack,
  nowMs: number,
  movingShare: number,
  watchedSinceMs: number,
  rules: MeterRules,
): MeterAnomaly | null {
  if (nowMs - Math.max(track.ts, watchedSinceMs) > rules.outageAfterMs) return 'outage';
  if (track.nightFlowSinceMs !== null && track.ts - track.nightFlowSinceMs >= rules.leakAfterMs)
    return 'leak';
  if (track.lastChangeTs > 0 && track.ts - track.lastChangeTs >= rules.stuckAfterMs && movingShare >= 0.5) {
    return 'stuck';
  }
  return null;
}
