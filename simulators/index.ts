// Public surface of the simulators: the network generator and file format, the traffic model,
// and the device simulators. Each line belongs to the folder it names.

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
