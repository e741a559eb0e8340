// Public surface of the simulators: the network generator and file format, the traffic model,
// and the device simulators. Each line belongs to the folder it names.

export { createTrafficModel } from './model/create-traffic-model.ts';
export {
  constantDemand,
  DEFAULT_TURN_RATIOS,
  type Demand,
  type DemandClock,
  perLinkDemand,
  profileFactor,
  rampDemand,
  timeOfDayDemand,
} from './model/demand.ts';
export { activePlan, cycleSecondAt, planSignalsAt, type SignalColor } from './model/plan-signals.ts';
export {
  createRealTimeDriver,
  type DriverClock,
  type RealTimeDriver,
  type RealTimeDriverOptions,
  runFast,
} from './model/run-model.ts';
export type {
  ApproachObservation,
  IntersectionMetrics,
  MovementObservation,
  TrafficMetrics,
  TrafficModel,
  TrafficModelOptions,
} from './model/types.ts';
export { type ConflictMatrix, conflictMatrix } from './network/conflict-matrix.ts';
export {
  type GeneratedCity,
  type GenerateNetworkOptions,
  generateCity,
  generateNetwork,
  MOSCOW_CENTER,
} from './network/generate-network.ts';
export { loadNetwork, NetworkFormatError, parseNetwork } from './network/parse-network.ts';
export { type GeoFeature, type GeoFeatureCollection, toGeoJson } from './network/to-geo-json.ts';
