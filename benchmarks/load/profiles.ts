/**
 * Named load profiles and their rate maths. A profile is a fleet of device groups, each with a
 * publish period; gateways batch the readings of the meters behind them. Kept declarative so the
 * same numbers port to a k6 scenario later.
 */

export type QoS = 0 | 1;

/** Devices that publish on their own connection: one MQTT connection each. */
export interface DeviceGroup {
  readonly type: 'signal' | 'camera';
  readonly count: number;
  /** One message every `periodMs`. */
  readonly periodMs: number;
  readonly qos: QoS;
}

/** Gateways relay the readings of the meters registered behind them, one batch per `batchPeriodMs`. */
export interface GatewayGroup {
  readonly type: 'gateway';
  readonly count: number;
  readonly metersPerGateway: number;
  /** Each meter produces one reading every `meterPeriodMs`. */
  readonly meterPeriodMs: number;
  /** The gateway sends what its meters produced once per `batchPeriodMs` (≥ 1 reading per message). */
  readonly batchPeriodMs: number;
  readonly qos: QoS;
}

export type Group = DeviceGroup | GatewayGroup;

export interface Profile {
  readonly name: string;
  readonly description: string;
  readonly groups: readonly Group[];
  /** New connections per second, over the whole fleet. */
  readonly rampPerSec: number;
  /** How long the fleet publishes after the last connection opened. */
  readonly durationS: number;
}

const MIN = 60_000;

/** Intersections with a signal and four cameras each, plus utility meters behind gateways. */
function city(
  name: string,
  description: string,
  intersections: number,
  gateways: number,
  opts: { metersPerGateway?: number; rampPerSec: number; durationS: number; cameraPeriodMs?: number },
): Profile {
  const metersPerGateway = opts.metersPerGateway ?? 100;
  return {
    name,
    description,
    groups: [
      { type: 'signal', count: intersections, periodMs: 1000, qos: 1 },
      { type: 'camera', count: intersections * 4, periodMs: opts.cameraPeriodMs ?? 5000, qos: 1 },
      {
        type: 'gateway',
        count: gateways,
        metersPerGateway,
        meterPeriodMs: 15 * MIN,
        batchPeriodMs: 15 * MIN,
        qos: 1,
      },
    ],
    rampPerSec: opts.rampPerSec,
    durationS: opts.durationS,
  };
}

export const profiles = {
  smoke: city('smoke', 'seconds-long check of the whole path: 10 intersections, 2 gateways', 10, 2, {
    metersPerGateway: 20,
    rampPerSec: 200,
    durationS: 5,
    cameraPeriodMs: 1000,
  }),
  district: city(
    'district',
    '400 intersections, 1,600 cameras, 100,000 meters through 1,000 gateways',
    400,
    1000,
    {
      rampPerSec: 1000,
      durationS: 60,
    },
  ),
  moscow: city(
    'moscow',
    '4,000 intersections at 1 state/s, 16,000 cameras every 5 s, 1,000,000 meters every 15 min through 10,000 gateways',
    4000,
    10_000,
    { rampPerSec: 1000, durationS: 120 },
  ),
} as const satisfies Record<string, Profile>;

export type ProfileName = keyof typeof profiles | 'stress';

/** Messages per second a group offers. */
export function groupMessagesPerSec(g: Group): number {
  return g.type === 'gateway' ? (g.count * 1000) / g.batchPeriodMs : (g.count * 1000) / g.periodMs;
}

/** Readings (stored points) per second a group offers. */
export function groupReadingsPerSec(g: Group): number {
  return g.type === 'gateway'
    ? (g.count * g.metersPerGateway * 1000) / g.meterPeriodMs
    : groupMessagesPerSec(g);
}

/** Readings in one gateway batch: what its meters produced during one batch period. */
export function readingsPerBatch(g: GatewayGroup): number {
  return Math.max(1, Math.round((g.metersPerGateway * g.batchPeriodMs) / g.meterPeriodMs));
}

export interface ProfileRates {
  readonly connections: number;
  readonly messagesPerSec: number;
  readonly readingsPerSec: number;
  readonly meters: number;
}

export function profileRates(p: Profile): ProfileRates {
  let connections = 0;
  let messagesPerSec = 0;
  let readingsPerSec = 0;
  let meters = 0;
  for (const g of p.groups) {
    connections += g.count;
    messagesPerSec += groupMessagesPerSec(g);
    readingsPerSec += groupReadingsPerSec(g);
    if (g.type === 'gateway') meters += g.count * g.metersPerGateway;
  }
  return { connections, messagesPerSec, readingsPerSec, meters };
}

/**
 * Child processes needed for `connections` sockets: a process may hold 20,000 open files
 * (`ulimit -Hn`, not raisable), so each child stays at or below `maxPerChild` (15,000 leaves
 * room for pipes, the module graph and the parent's IPC).
 */
export function childrenFor(connections: number, maxPerChild = 15_000): number {
  return Math.max(1, Math.ceil(connections / maxPerChild));
}

/** Splits `n` items over `parts` as evenly as possible (first parts get the remainder). */
export function splitEven(n: number, parts: number): number[] {
  const base = Math.floor(n / parts);
  const rest = n % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < rest ? 1 : 0));
}

/** A copy of `p` with every count multiplied by `factor` (at least one device per group). */
export function scaleProfile(p: Profile, factor: number, name = `${p.name}×${factor}`): Profile {
  return {
    ...p,
    name,
    groups: p.groups.map((g) => ({ ...g, count: Math.max(1, Math.round(g.count * factor)) })),
  };
}
