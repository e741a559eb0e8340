// Public surface of the simulators: the network generator and file format, the traffic model,
// and the device simulators. Each line belongs to the folder it names.

export { CityCore, DEFAULT_FAULTS, type FaultRates, type Outgoing } from './city/city-core.ts';
export { type CityDevice, cityDevices, connectingDevices, signalDeviceId } from './city/city-devices.ts';
export { CREDENTIALS_FILE, type DeviceRegistry, provisionCity } from './city/provision-city.ts';
export {
  type SimulatedCity,
  type SimulatedCityOptions,
  startSimulatedCity,
} from './city/start-simulated-city.ts';
export { tinyCity } from './city/tiny-city.ts';
export { reconnectDelayMs } from './devices/backoff.ts';
export { type CameraFault, cameraCountsFrom } from './devices/camera-counts-from.ts';
export { type DeviceClient, startDeviceClient } from './devices/device-client.ts';
export { demandAt } from './devices/meter-profile.ts';
export { createMeterSim, type MeterAnomaly, type MeterSim, readMeter } from './devices/meter-simulation.ts';
export {
  type ActivePlan,
  advanceExecutor,
  createExecutor,
  type ExecutorState,
  executorSignalState,
  type IntervalChange,
  type MovementColour,
  movementColours,
  offerPlan,
} from './devices/plan-executor.ts';
export { checkPlanSafety, minimumGreenS, SAFETY, type SafetyVerdict } from './devices/plan-safety.ts';
export { type CorridorOptions, corridorNetwork } from './model/corridor-network.ts';
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
export { registerNetworkCommands } from './network/cli.ts';
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
export { writeNetworkFile } from './network/write-network.ts';
