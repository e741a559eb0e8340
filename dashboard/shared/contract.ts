import { z } from 'zod';
import { Approach, EntityId, EpochMs, MeterKind } from '../../protocol/ids.ts';
import { LonLat } from '../../protocol/network.ts';
import { PlanSource, SignalPlan } from '../../protocol/signal-plan.ts';
import { SignalInterval, SignalMode } from '../../protocol/signal-state.ts';

/**
 * The dashboard contract: what the operations server (dashboard/server) and the browser app
 * (dashboard/web) exchange over REST and socket.io. Imports only zod and protocol/, so the browser
 * bundle can use it unchanged.
 */

// ---------------------------------------------------------------- auth

export const OperatorRole = z.enum(['viewer', 'operator', 'admin']);
export type OperatorRole = z.infer<typeof OperatorRole>;

export const LoginBody = z.object({
  name: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const Me = z.object({ name: z.string(), role: OperatorRole });
export type Me = z.infer<typeof Me>;

/** Every error the API answers with: a stable code and a human message. */
export const ApiError = z.object({ error: z.string(), message: z.string() });
export type ApiError = z.infer<typeof ApiError>;

// ---------------------------------------------------------------- network (GeoJSON)

const LinkFeature = z.object({
  type: z.literal('Feature'),
  geometry: z.object({ type: z.literal('LineString'), coordinates: z.array(LonLat) }),
  properties: z.object({
    id: z.string(),
    kind: z.literal('link'),
    roadClass: z.enum(['arterial', 'side']),
    lanes: z.number(),
    name: z.string().optional(),
  }),
});
const PointGeometry = z.object({ type: z.literal('Point'), coordinates: LonLat });
const IntersectionFeature = z.object({
  type: z.literal('Feature'),
  geometry: PointGeometry,
  properties: z.object({ id: z.string(), kind: z.literal('intersection'), name: z.string() }),
});
const CameraFeature = z.object({
  type: z.literal('Feature'),
  geometry: PointGeometry,
  properties: z.object({
    id: z.string(),
    kind: z.literal('camera'),
    intersectionId: z.string(),
    approach: Approach.optional(),
  }),
});
const BuildingFeature = z.object({
  type: z.literal('Feature'),
  geometry: PointGeometry,
  properties: z.object({ id: z.string(), kind: z.literal('building'), use: z.string().optional() }),
});
export const NetworkFeature = z.union([LinkFeature, IntersectionFeature, CameraFeature, BuildingFeature]);
export type NetworkFeature = z.infer<typeof NetworkFeature>;
export const NetworkGeoJson = z.object({
  type: z.literal('FeatureCollection'),
  /** [west, south, east, north] of everything drawn. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  features: z.array(NetworkFeature),
});
export type NetworkGeoJson = z.infer<typeof NetworkGeoJson>;

// ---------------------------------------------------------------- live items (socket + REST)

export const Congestion = z.number().min(0).max(1);

export const LiveIntersection = z.object({
  id: z.string(),
  mode: SignalMode.nullable(),
  source: z.string().nullable(),
  phase: z.string().nullable(),
  interval: SignalInterval.nullable(),
  planId: z.string().nullable(),
  /** Vehicles queued on all approaches (latest camera counts). */
  queueVeh: z.number(),
  congestion: Congestion,
  faults: z.array(z.string()),
  fallbackReason: z.string().nullable(),
  /** Last signal state, ms epoch (0: never heard from). */
  ts: z.number(),
});
export type LiveIntersection = z.infer<typeof LiveIntersection>;

export const LiveLink = z.object({
  id: z.string(),
  flowVehPerH: z.number(),
  speedKmh: z.number().nullable(),
  congestion: Congestion,
});
export type LiveLink = z.infer<typeof LiveLink>;

export const LiveCamera = z.object({
  id: z.string(),
  silent: z.boolean(),
  /** Last counts received, ms epoch (0: never). */
  lastSeenMs: z.number(),
});
export type LiveCamera = z.infer<typeof LiveCamera>;

export const MeterAnomaly = z.enum(['leak', 'stuck', 'outage']);
export type MeterAnomaly = z.infer<typeof MeterAnomaly>;

export const LiveMeter = z.object({
  id: z.string(),
  buildingId: z.string(),
  kind: MeterKind,
  /** Cumulative register (m³ water, kWh electricity); null before the first reading. */
  value: z.number().nullable(),
  /** Instantaneous flow (L/h) or power (W) when sent, else derived from the register. */
  rate: z.number().nullable(),
  anomaly: MeterAnomaly.nullable(),
  ts: z.number(),
});
export type LiveMeter = z.infer<typeof LiveMeter>;

export const AlertKind = z.enum(['congestion', 'fallback', 'silent', 'fault', 'leak', 'reject-burst']);
export type AlertKind = z.infer<typeof AlertKind>;

export const Alert = z.object({
  /** Stable while the condition lasts: `${kind}:${entityId}`. */
  id: z.string(),
  kind: AlertKind,
  severity: z.enum(['info', 'warning', 'critical']),
  entityId: z.string(),
  position: LonLat,
  message: z.string(),
  sinceMs: z.number(),
});
export type Alert = z.infer<typeof Alert>;

export const Health = z.object({
  status: z.enum(['live', 'lagging', 'disconnected']),
  ingestRatePerS: z.number(),
  rejectsPerS: z.number(),
  spoolDepth: z.number(),
  staleDevices: z.number(),
  /** Age of the newest message the dashboard received, s (null: none yet). */
  dataAgeS: z.number().nullable(),
});
export type Health = z.infer<typeof Health>;

// ---------------------------------------------------------------- socket.io

export const Bbox = z.tuple([
  z.number().min(-180).max(180),
  z.number().min(-90).max(90),
  z.number().min(-180).max(180),
  z.number().min(-90).max(90),
]);
export type Bbox = z.infer<typeof Bbox>;

/** Client → server, event `viewport`. */
export const Viewport = z.object({ bbox: Bbox, zoom: z.number().min(0).max(24) });
export type Viewport = z.infer<typeof Viewport>;

/** Server → client, event `snapshot`: everything inside the viewport. */
export const Snapshot = z.object({
  seq: z.number().int(),
  ts: z.number(),
  intersections: z.array(LiveIntersection),
  links: z.array(LiveLink),
  cameras: z.array(LiveCamera),
  meters: z.array(LiveMeter),
  alerts: z.array(Alert),
  health: Health,
});
export type Snapshot = z.infer<typeof Snapshot>;

/**
 * Server → client, event `delta`: only what changed inside the viewport since the last emission,
 * at most 4 per second. Alerts travel as changes too: `alertsChanged` are alerts that appeared or
 * changed (put them in place of the ones held), `alertsCleared` ids that ended or dropped out of the
 * list. `alerts`, when present, is the whole current list and replaces the one held (the server
 * sends it to a client too far behind for changes).
 */
export const Delta = z.object({
  seq: z.number().int(),
  ts: z.number(),
  intersections: z.array(LiveIntersection).optional(),
  links: z.array(LiveLink).optional(),
  cameras: z.array(LiveCamera).optional(),
  meters: z.array(LiveMeter).optional(),
  alerts: z.array(Alert).optional(),
  alertsChanged: z.array(Alert).optional(),
  alertsCleared: z.array(z.string()).optional(),
  health: Health.optional(),
});
export type Delta = z.infer<typeof Delta>;

export const socketEvents = {
  viewport: 'viewport',
  snapshot: 'snapshot',
  delta: 'delta',
} as const;

/**
 * socket.io typing for both ends. The client acknowledges every `snapshot` and `delta` by calling
 * `ack()`: a client whose acks fall behind gets no more deltas and, once it catches up, one fresh
 * `snapshot` instead of a queue.
 */
export interface ServerToClientEvents {
  snapshot(s: Snapshot, ack: () => void): void;
  delta(d: Delta, ack: () => void): void;
}
export interface ClientToServerEvents {
  viewport(v: Viewport): void;
}

// ---------------------------------------------------------------- REST: intersections, devices

export const IntersectionStatus = z.object({
  mode: SignalMode.nullable(),
  source: z.string().nullable(),
  planId: z.string().nullable(),
  phase: z.string().nullable(),
  interval: SignalInterval.nullable(),
  phaseElapsedS: z.number().nullable(),
  cycleS: z.number().nullable(),
  /** The plan the intersection currently runs, as far as the dashboard knows. */
  plan: SignalPlan.nullable(),
  dataAgeS: z.number().nullable(),
  fallbackReason: z.string().nullable(),
  faults: z.array(z.string()),
});
export type IntersectionStatus = z.infer<typeof IntersectionStatus>;

export const ApproachLive = z.object({
  dir: Approach,
  intensity: z.number().nullable(),
  queueLength: z.number().nullable(),
  ts: z.number().nullable(),
});
export type ApproachLive = z.infer<typeof ApproachLive>;

export const DeviceLatest = z.object({
  id: z.string(),
  type: z.enum(['camera', 'signal', 'meter', 'gateway']),
  /** Latest payload received from the device (a protocol message), null when none yet. */
  payload: z.unknown().nullable(),
  ts: z.number().nullable(),
});
export type DeviceLatest = z.infer<typeof DeviceLatest>;

// ---------------------------------------------------------------- REST: history

export const HistorySeries = z.enum(['counts', 'queues', 'modes', 'meter']);
export type HistorySeries = z.infer<typeof HistorySeries>;

export const HistoryQuery = z.object({
  series: HistorySeries,
  id: EntityId,
  from: z.coerce.number().int().nonnegative(),
  to: z.coerce.number().int().nonnegative(),
  points: z.coerce.number().int().min(1).max(2000).default(300),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

/** One bucket: `t` (bucket start, ms epoch) and one value per field (strings for `modes`). */
export const HistoryPoint = z
  .object({ t: z.number() })
  .catchall(z.union([z.number(), z.string()]).nullable());
export type HistoryPoint = z.infer<typeof HistoryPoint>;

export const HistoryResponse = z.object({
  series: HistorySeries,
  id: z.string(),
  /** Width of one bucket, ms. */
  stepMs: z.number(),
  /** Names of the value fields each point carries besides `t` (`v` for single-valued series). */
  fields: z.array(z.string()),
  points: z.array(HistoryPoint),
  /**
   * For fields that carry a category (series `modes`: field `mode`), the value is an index into
   * this list, e.g. `legend.mode[2] === 'manual'`.
   */
  legend: z.record(z.string(), z.array(z.string())).optional(),
});
export type HistoryResponse = z.infer<typeof HistoryResponse>;

// ---------------------------------------------------------------- REST: buildings

export const BuildingDetail = z.object({
  id: z.string(),
  position: LonLat,
  use: z.string(),
  meters: z.array(LiveMeter.extend({ gatewayId: z.string().nullable() })),
});
export type BuildingDetail = z.infer<typeof BuildingDetail>;

// ---------------------------------------------------------------- REST: overrides and audit

export const OverrideKind = z.enum(['plan', 'hold', 'flash']);
export type OverrideKind = z.infer<typeof OverrideKind>;

/** Longest an override may run; longer requests are capped. */
export const MAX_OVERRIDE_MINUTES = 60;

export const OverrideRequest = z.object({
  intersectionId: EntityId,
  kind: OverrideKind,
  /** kind 'plan': the stored plan to force. */
  planId: z.string().min(1).max(128).optional(),
  /** kind 'hold': the phase to hold. */
  phaseId: z.string().min(1).max(64).optional(),
  minutes: z
    .number()
    .positive()
    .max(24 * 60),
  reason: z.string().min(3).max(500),
});
export type OverrideRequest = z.infer<typeof OverrideRequest>;

export const Override = z.object({
  id: z.string(),
  intersectionId: z.string(),
  kind: OverrideKind,
  planId: z.string().nullable(),
  phaseId: z.string().nullable(),
  reason: z.string(),
  user: z.string(),
  createdAt: EpochMs,
  expiresAt: EpochMs,
  /** Set when it ended early (cancelled) or was superseded. */
  endedAt: EpochMs.nullable(),
  status: z.enum(['active', 'expired', 'cancelled', 'superseded']),
  /** The plan published to the signal. */
  plan: SignalPlan,
});
export type Override = z.infer<typeof Override>;

export const OverrideCreated = z.object({ override: Override });
export const OverrideRefused = z.object({
  error: z.literal('envelope_refused'),
  message: z.string(),
  reasons: z.array(z.string()),
});
export type OverrideRefused = z.infer<typeof OverrideRefused>;
export const OverrideList = z.object({ overrides: z.array(Override) });

export const IntersectionDetail = z.object({
  id: z.string(),
  name: z.string(),
  position: LonLat,
  approaches: z.array(
    z.object({ dir: Approach, inLink: z.string(), lanes: z.number(), speedLimitKmh: z.number() }),
  ),
  phases: z.array(z.object({ id: z.string(), movements: z.array(z.string()) })),
  movements: z.array(z.object({ id: z.string(), approach: Approach, turn: z.string() })),
  plans: z.array(z.object({ id: z.string(), cycleS: z.number() })),
  status: IntersectionStatus,
  live: z.array(ApproachLive),
  override: Override.nullable(),
});
export type IntersectionDetail = z.infer<typeof IntersectionDetail>;

export const AuditEntry = z.object({
  id: z.number().int(),
  ts: EpochMs,
  user: z.string(),
  /** e.g. `override.create`, `override.cancel`, `override.expire`, `login`, `login.failed`, `logout`. */
  action: z.string(),
  target: z.string().nullable(),
  outcome: z.enum(['ok', 'refused', 'denied', 'error']),
  reason: z.string().nullable(),
  /** Structured details (the request, refusal reasons, the published plan id). */
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.object({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  user: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
export const AuditList = z.object({ entries: z.array(AuditEntry) });

export const AlertList = z.object({ alerts: z.array(Alert), health: Health });

export { PlanSource };

// ---------------------------------------------------------------- REST: basemap

/** Tile formats a PMTiles archive can hold (its header's tile type). */
export const BasemapTileType = z.enum(['mvt', 'png', 'jpeg', 'webp', 'avif']);
export type BasemapTileType = z.infer<typeof BasemapTileType>;

/**
 * `GET /api/basemap`: the optional basemap from a local PMTiles file, served (behind the session,
 * with HTTP Range) at `url`; null when none is configured and the map shows only our layers.
 */
export const BasemapInfo = z.object({
  basemap: z
    .object({
      url: z.string(),
      tileType: BasemapTileType,
      minZoom: z.number().int().min(0).max(30),
      maxZoom: z.number().int().min(0).max(30),
      /** [west, south, east, north] from the archive's header. */
      bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
      /** Layer ids of a vector archive (its metadata's `vector_layers`); empty for raster. */
      vectorLayers: z.array(z.string()),
    })
    .nullable(),
});
export type BasemapInfo = z.infer<typeof BasemapInfo>;
