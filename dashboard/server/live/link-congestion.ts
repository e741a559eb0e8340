import type { CameraCounts } from '../../../protocol/camera-counts.ts';
import type { Link } from '../../../protocol/network.ts';
import type { LiveLink } from '../../shared/contract.ts';

/** Saturation flow per lane (veh/h) and the share of the cycle an approach is green, for v/c. */
export const SATURATION_VEH_PER_H_LANE = 1800;
export const GREEN_SHARE = 0.45;
/** Space one queued vehicle takes, m. */
export const VEHICLE_SPACING_M = 7;

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * A link's live flow and congestion from the counts of the camera watching its stop line.
 * Congestion is the worse of volume over capacity (saturation flow × lanes × green share) and
 * the queue over the vehicles the link can store, clamped to 0..1: a link can be jammed with
 * little flow (a standing queue), or saturated with no queue yet.
 */
export function linkFromCounts(link: Link, counts: CameraCounts): LiveLink {
  const flow = (counts.intensity * 3600) / counts.intervalS;
  const vc = flow / (link.lanes * SATURATION_VEH_PER_H_LANE * GREEN_SHARE);
  const storage = (link.lengthM * link.lanes) / VEHICLE_SPACING_M;
  const queueShare = counts.queueLength === undefined ? 0 : counts.queueLength / storage;
  return {
    id: link.id,
    flowVehPerH: Math.round(flow),
    speedKmh: counts.averageVehicleSpeed ?? null,
    congestion: clamp01(Math.max(vc, queueShare)),
  };
}
