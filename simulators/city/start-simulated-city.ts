import type { CityNetwork } from '../../protocol/index.ts';
import { createTrafficModel } from '../model/create-traffic-model.ts';
import {
  CityCore,
  type CityCoreOptions,
  type CityCoreStats,
  type Outgoing,
  type TrafficModelLike,
} from './city-core.ts';
import { connectingDevices } from './city-devices.ts';
import { createLocalFleet, type Fleet, type FleetStats } from './local-fleet.ts';
import { createShardedFleet } from './sharded-fleet.ts';

export interface SimulatedCityOptions extends Omit<CityCoreOptions, 'seed' | 'stepMs'> {
  readonly brokerUrl: string;
  /**
   * Brokers the shards connect to, round-robin (default: `brokerUrl` alone). Only a sharded
   * fleet spreads; with several URLs and `shards` unset there is at least one shard per broker.
   */
  readonly brokerUrls?: readonly string[];
  readonly network: CityNetwork;
  /** Secret of every device (provisionCity). */
  readonly credentials: ReadonlyMap<string, string>;
  /** City seconds per wall second. */
  readonly speed?: number;
  readonly seed?: number;
  /** Wall clock, ms epoch (tests hand in their own). */
  readonly clock?: () => number;
  /** City time at start, ms epoch (default: the wall clock's now). */
  readonly startMs?: number;
  /** Multiplies the model's demand. */
  readonly demandScale?: number;
  /** Wake-up period of the real-time loop, wall ms. */
  readonly tickMs?: number;
  /**
   * Child processes holding the MQTT connections; 0: all in this process. Default: 0 up to
   * 15,000 connecting devices, else enough shards of at most 15,000 (one process may hold
   * ~19,000 sockets: `ulimit -Hn` is 20,000).
   */
  readonly shards?: number;
  /** Connections opened per second at start, per process. */
  readonly connectPerS?: number;
}

export interface SimulatedCityStats {
  readonly core: CityCoreStats;
  readonly fleet: FleetStats;
  /** How far the city clock lags behind where real time says it should be, ms. */
  readonly lagMs: number;
}

export interface SimulatedCity {
  readonly core: CityCore;
  stats(): SimulatedCityStats;
  stop(): Promise<void>;
}

/** Connections one process holds at most before the fleet is sharded. */
export const DEVICES_PER_PROCESS = 15_000;

/** Most model steps one wake-up may take, so a slow step cannot starve the sockets. */
const MAX_STEPS_PER_TICK = 50;

/**
 * Runs the simulated city against a broker: the traffic model paced by the (scaled) wall clock,
 * every signal controller executing plans it receives over MQTT, cameras, meters and gateways
 * publishing with their own credentials. Devices connect gradually; `stop()` says `offline` for
 * each and disconnects.
 */
export function startSimulatedCity(opts: SimulatedCityOptions): SimulatedCity {
  const clock = opts.clock ?? Date.now;
  const speed = opts.speed ?? 1;
  const seed = opts.seed ?? 1;
  const wall0 = clock();
  const sim0 = Math.floor(opts.startMs ?? wall0);
  const model: TrafficModelLike = createTrafficModel(opts.network, {
    seed,
    startMs: sim0,
    utcOffsetMin: opts.utcOffsetMin ?? 180,
    demandScale: opts.demandScale ?? 1,
  });
  const core = new CityCore(opts.network, model, { ...opts, seed, stepMs: 1000 });
  const cityNow = () => sim0 + (clock() - wall0) * speed;
  const devices = connectingDevices(opts.network);
  let fleet: Fleet;
  const onPlan = (intersectionId: string, payload: Buffer) =>
    fleet.deliver(core.receivePlan(intersectionId, payload));
  const fleetOpts = {
    brokerUrl: opts.brokerUrl,
    devices,
    credentials: opts.credentials,
    seed,
    now: () => core.nowMs,
    onPlan,
    ...(opts.connectPerS === undefined ? {} : { connectPerS: opts.connectPerS }),
  };
  const brokerUrls = opts.brokerUrls ?? [];
  const shards = opts.shards ?? (brokerUrls.length > 1 ? brokerUrls.length : 0);
  fleet = shards > 0 ? createShardedFleet({ ...fleetOpts, shards, brokerUrls }) : createLocalFleet(fleetOpts);

  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const tick = () => {
    timer = null;
    if (stopped) return;
    const target = Math.min(cityNow(), core.nowMs + MAX_STEPS_PER_TICK * 1000);
    const out: Outgoing[] = core.tick(target);
    if (out.length > 0) fleet.deliver(out);
    timer = setTimeout(tick, opts.tickMs ?? 200);
  };
  timer = setTimeout(tick, opts.tickMs ?? 200);

  return {
    core,
    stats: () => ({ core: core.stats(), fleet: fleet.stats(), lagMs: Math.max(0, cityNow() - core.nowMs) }),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await fleet.stop();
    },
  };
}
