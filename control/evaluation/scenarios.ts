import type { CityNetwork } from '../../protocol/index.ts';
import {
  constantDemand,
  type Demand,
  generateNetwork,
  rampDemand,
  type TrafficModel,
} from '../../simulators/index.ts';
import { corridorNetwork } from '../../simulators/model/corridor-network.ts';

/** One evaluation case: a network, its demand, what happens during the run, and the cameras' health. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly network: CityNetwork;
  readonly demand: Demand;
  readonly horizonS: number;
  /** Demand changes during the run (the adaptive-vs-Webster target applies here). */
  readonly timeVarying: boolean;
  /** Share of cameras that never report (chosen per seed). */
  readonly failedCameraShare: number;
  /** Relative noise of camera counts. */
  readonly cameraNoise: number;
  /** Called before every model step (incidents). */
  readonly onStep?: (model: TrafficModel) => void;
}

export interface ScenarioSize {
  readonly horizonS: number;
  readonly gridIntersections: number;
}

/** Monday 12 Jan 2026, 08:00 Moscow: the stored AM-peak plans are in force. */
export const EVALUATION_START_MS = Date.UTC(2026, 0, 12, 5, 0);

export function scenarios(size: ScenarioSize): Scenario[] {
  const grid = generateNetwork({ intersections: size.gridIntersections, seed: 11 });
  const corridor = corridorNetwork({ intersections: 5, lanes: 2, linkLengthM: 300 });
  const h = size.horizonS;
  const base = { horizonS: h, failedCameraShare: 0, cameraNoise: 0.1 };
  const ramp = rampDemand({
    from: { arterial: 300, side: 100 },
    to: { arterial: 1300, side: 420 },
    overS: h * 0.7,
  });
  const busiest = grid.links.find((l) => l.roadClass === 'arterial' && l.from !== null && l.to !== null);
  return [
    {
      ...base,
      name: 'balanced-grid',
      description: `${grid.intersections.length}-junction grid, constant demand (arterial entries 900 veh/h, side 300)`,
      network: grid,
      demand: constantDemand({ arterialVehPerH: 900, sideVehPerH: 300 }),
      timeVarying: false,
    },
    {
      ...base,
      name: 'asymmetric-arterial',
      description:
        '5-junction one-way arterial (2 lanes, 1,400 veh/h) with side streets turning on (250 veh/h each)',
      network: corridor,
      demand: constantDemand({ arterialVehPerH: 1400, sideVehPerH: 250 }),
      timeVarying: false,
    },
    {
      ...base,
      name: 'morning-peak-ramp',
      description: 'grid, demand ramps from 300/100 to 1,300/420 veh/h per entry over 70 % of the run',
      network: grid,
      demand: ramp,
      timeVarying: true,
    },
    {
      ...base,
      name: 'over-saturation',
      description: 'grid, constant demand beyond capacity (arterial 2,000 veh/h, side 650)',
      network: grid,
      demand: constantDemand({ arterialVehPerH: 2000, sideVehPerH: 650 }),
      timeVarying: false,
    },
    {
      ...base,
      name: 'incident',
      description: `grid at 1,000/300 veh/h; 2 lanes of ${busiest?.id ?? 'an arterial'} blocked from 25 % to 60 % of the run`,
      network: grid,
      demand: constantDemand({ arterialVehPerH: 1000, sideVehPerH: 300 }),
      timeVarying: true,
      onStep: (m) => {
        if (busiest && m.timeS === Math.round(h * 0.25)) m.blockLane(busiest.id, 2, Math.round(h * 0.6));
      },
    },
    {
      ...base,
      name: 'camera-failures',
      description: 'the morning-peak ramp with 20 % of cameras silent from the start',
      network: grid,
      demand: ramp,
      timeVarying: true,
      failedCameraShare: 0.2,
    },
  ];
}
