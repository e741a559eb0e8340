import type { LiveMeter, MeterAnomaly } from '../../shared/contract.ts';

/** What the map draws for one building, folded from its meters. */
export interface BuildingState {
  /** The worst anomaly among its meters (leak > outage > stuck), or 'none'. */
  anomaly: MeterAnomaly | 'none';
  /** Electric power, W (sum over its electricity meters; 0 when unknown). */
  powerW: number;
  /** Water flow, L/h (sum over its water meters; 0 when unknown). */
  waterLph: number;
}

const anomalyRank: Record<MeterAnomaly | 'none', number> = { none: 0, stuck: 1, outage: 2, leak: 3 };

export function buildingState(meters: readonly LiveMeter[]): BuildingState {
  const state: BuildingState = { anomaly: 'none', powerW: 0, waterLph: 0 };
  for (const m of meters) {
    const anomaly = m.anomaly ?? 'none';
    if (anomalyRank[anomaly] > anomalyRank[state.anomaly]) state.anomaly = anomaly;
    if (m.rate === null) continue;
    if (m.kind === 'electricity') state.powerW += m.rate;
    else state.waterLph += m.rate;
  }
  return state;
}
