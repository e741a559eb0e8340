import type { CameraCounts } from '../../../protocol/camera-counts.ts';
import type { DeviceStatus } from '../../../protocol/device-status.ts';
import type { DeviceType } from '../../../protocol/ids.ts';
import type { MeterReading } from '../../../protocol/meter-reading.ts';
import type { CityNetwork, Intersection, Link, LonLat } from '../../../protocol/network.ts';
import type { SignalPlan } from '../../../protocol/signal-plan.ts';
import type { SignalState } from '../../../protocol/signal-state.ts';
import type {
  Alert,
  ApproachLive,
  Delta,
  Health,
  IntersectionStatus,
  LiveCamera,
  LiveIntersection,
  LiveLink,
  LiveMeter,
  Snapshot,
} from '../../shared/contract.ts';
import { deriveAlerts, sortAlerts } from './derive-alerts.ts';
import {
  applyReading,
  defaultMeterRules,
  emptyTrack,
  type MeterRules,
  type MeterTrack,
  meterAnomaly,
} from './meter-anomaly.ts';
import type { ViewportIds } from './viewport-filter.ts';

/** What the control loop reports per intersection (the platform adapts the control service to it). */
export interface ControlIntersectionStatus {
  readonly intersectionId: string;
  /** Why the loop fell back to a stored plan (stale or missing detector data, …); null: adaptive. */
  readonly fallbackReason: string | null;
  /** Age of the detector data the last decision used, s. */
  readonly dataAgeS: number | null;
}
export interface ControlStatus {
  readonly intersections: readonly ControlIntersectionStatus[];
}

/** What ingest reports (the platform adapts `ingest.status()` to it). */
export interface IngestStatus {
  readonly spoolDepth: number;
  readonly influxReachable: boolean;
  readonly ingestRatePerS?: number;
  readonly rejectsPerS?: number;
}

export interface LiveStateOptions {
  readonly meterRules?: Partial<MeterRules>;
  /** A signal sends its state at least every 5 s; silent after this long. */
  readonly signalSilentMs?: number;
  /** Most alerts a snapshot or delta carries (the most severe first). */
  readonly maxAlerts?: number;
}

/** Saturation flow per lane (veh/h) and the share of the cycle an approach is green, for v/c. */
const SATURATION_VEH_PER_H_LANE = 1800;
const GREEN_SHARE = 0.45;
/** Space one queued vehicle takes, m. */
const VEHICLE_SPACING_M = 7;
/** A camera is silent after three of its counting intervals without counts. */
const CAMERA_SILENT_INTERVALS = 3;
const DEFAULT_CAMERA_INTERVAL_S = 60;
/** No message for this long: the health line says lagging. */
const LAGGING_AFTER_S = 15;

interface Entry<T> {
  item: T;
  seq: number;
}

interface ApproachEntry {
  intensity: number | null;
  queueLength: number | null;
  ts: number | null;
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/** Shallow equality of two live items (their arrays hold strings), so unchanged items keep their seq. */
function sameItem(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) {
    const u = x[k];
    const v = y[k];
    if (u === v) continue;
    if (!Array.isArray(u) || !Array.isArray(v) || u.length !== v.length) return false;
    for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) return false;
  }
  return true;
}

function sameAlerts(a: ReadonlyMap<string, Alert>, b: ReadonlyMap<string, Alert>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, x] of a) {
    const y = b.get(id);
    if (!y || x.message !== y.message || x.severity !== y.severity) return false;
  }
  return true;
}

/**
 * The dashboard's picture of the city, fed with validated protocol messages. Pure: no I/O, time
 * is a parameter. Every change bumps a global sequence number and stamps the changed item with
 * it, so any number of clients can ask "what changed since seq N" without per-client queues.
 */
export class LiveState {
  private seqNo = 0;
  private readonly rules: MeterRules;
  private readonly signalSilentMs: number;
  private readonly maxAlerts: number;
  private readonly intersections = new Map<string, Entry<LiveIntersection>>();
  private readonly links = new Map<string, Entry<LiveLink>>();
  private readonly cameras = new Map<string, Entry<LiveCamera>>();
  private readonly meters = new Map<string, Entry<LiveMeter>>();
  private readonly tracks = new Map<string, MeterTrack>();
  private readonly approaches = new Map<string, Map<string, ApproachEntry>>();
  private readonly signals = new Map<string, SignalState>();
  private readonly plans = new Map<string, SignalPlan>();
  private readonly cameraIntervalS = new Map<string, number>();
  private readonly latest = new Map<string, { type: DeviceType; payload: unknown; ts: number }>();
  private readonly control = new Map<string, ControlIntersectionStatus>();
  private readonly positions = new Map<string, LonLat>();
  private readonly linkById: Map<string, Link>;
  private readonly intersectionById: Map<string, Intersection>;
  private readonly cameraById: Map<string, CityNetwork['cameras'][number]>;
  private readonly meterBuilding = new Map<string, string>();
  private alertMap = new Map<string, Alert>();
  private alertsSeq = 0;
  private healthEntry: Entry<Health>;
  private ingest: IngestStatus | null = null;
  private feedUp = false;
  private lastMessageMs: number | null = null;
  private messagesSinceTick = 0;
  private lastTickMs: number | null = null;
  private observedRatePerS = 0;
  private watchedSinceMs: number | null = null;
  private silentSignals = new Set<string>();
  private readonly offline = new Set<string>();

  constructor(
    readonly network: CityNetwork,
    options: LiveStateOptions = {},
  ) {
    this.rules = { ...defaultMeterRules, ...options.meterRules };
    this.signalSilentMs = options.signalSilentMs ?? 15_000;
    this.maxAlerts = options.maxAlerts ?? 200;
    this.linkById = new Map(network.links.map((l) => [l.id, l]));
    this.intersectionById = new Map(network.intersections.map((i) => [i.id, i]));
    this.cameraById = new Map(network.cameras.map((c) => [c.id, c]));
    for (const i of network.intersections) {
      this.positions.set(i.id, i.position);
      this.intersections.set(i.id, {
        seq: 0,
        item: {
          id: i.id,
          mode: null,
          source: null,
          phase: null,
          interval: null,
          planId: null,
          queueVeh: 0,
          congestion: 0,
          faults: [],
          fallbackReason: null,
          ts: 0,
        },
      });
      this.approaches.set(i.id, new Map());
    }
    for (const l of network.links) {
      this.links.set(l.id, { seq: 0, item: { id: l.id, flowVehPerH: 0, speedKmh: null, congestion: 0 } });
    }
    for (const c of network.cameras) {
      const p = this.positions.get(c.intersectionId);
      if (p) this.positions.set(c.id, p);
      this.cameras.set(c.id, { seq: 0, item: { id: c.id, silent: false, lastSeenMs: 0 } });
    }
    for (const b of network.buildings) {
      this.positions.set(b.id, b.position);
      for (const m of b.meters) {
        this.positions.set(m.id, b.position);
        this.meterBuilding.set(m.id, b.id);
        this.tracks.set(m.id, emptyTrack(m.kind));
        this.meters.set(m.id, {
          seq: 0,
          item: { id: m.id, buildingId: b.id, kind: m.kind, value: null, rate: null, anomaly: null, ts: 0 },
        });
      }
    }
    this.healthEntry = {
      seq: 0,
      item: {
        status: 'disconnected',
        ingestRatePerS: 0,
        rejectsPerS: 0,
        spoolDepth: 0,
        staleDevices: 0,
        dataAgeS: null,
      },
    };
  }

  /** The sequence number of the latest change. */
  get seq(): number {
    return this.seqNo;
  }

  private put<T extends object>(map: Map<string, Entry<T>>, id: string, item: T): void {
    const e = map.get(id);
    if (e && sameItem(e.item, item)) return;
    map.set(id, { item, seq: ++this.seqNo });
  }

  private heard(id: string, type: DeviceType, payload: unknown, nowMs: number): void {
    this.latest.set(id, { type, payload, ts: nowMs });
    this.lastMessageMs = nowMs;
    this.messagesSinceTick += 1;
  }

  applyCameraCounts(cameraId: string, counts: CameraCounts, nowMs: number): void {
    this.heard(cameraId, 'camera', counts, nowMs);
    const cam = this.cameraById.get(cameraId);
    if (!cam) return;
    this.cameraIntervalS.set(cameraId, counts.intervalS);
    this.put(this.cameras, cameraId, { id: cameraId, silent: false, lastSeenMs: nowMs });
    this.approaches.get(cam.intersectionId)?.set(cam.approach, {
      intensity: counts.intensity,
      queueLength: counts.queueLength ?? null,
      ts: counts.ts,
    });
    const link = this.linkById.get(cam.linkId);
    if (link) {
      const flow = (counts.intensity * 3600) / counts.intervalS;
      const vc = flow / (link.lanes * SATURATION_VEH_PER_H_LANE * GREEN_SHARE);
      const storage = (link.lengthM * link.lanes) / VEHICLE_SPACING_M;
      const queueShare = counts.queueLength === undefined ? 0 : counts.queueLength / storage;
      this.put(this.links, link.id, {
        id: link.id,
        flowVehPerH: Math.round(flow),
        speedKmh: counts.averageVehicleSpeed ?? null,
        congestion: clamp01(Math.max(vc, queueShare)),
      });
    }
    this.refreshIntersection(cam.intersectionId);
  }

  applySignalState(intersectionId: string, state: SignalState, nowMs: number): void {
    this.heard(intersectionId, 'signal', state, nowMs);
    this.signals.set(intersectionId, state);
    this.refreshIntersection(intersectionId);
  }

  /** A plan sent to a signal (by the control loop or an operator), as seen on the plan topic. */
  applySignalPlan(intersectionId: string, plan: SignalPlan): void {
    this.plans.set(intersectionId, plan);
  }

  applyMeterReadings(meterId: string, readings: readonly MeterReading[], nowMs: number): void {
    this.heard(meterId, 'meter', readings.at(-1), nowMs);
    for (const r of readings) this.foldReading(meterId, r);
  }

  applyGatewayReadings(
    gatewayId: string,
    readings: readonly (MeterReading & { meterId: string })[],
    nowMs: number,
  ): void {
    this.heard(gatewayId, 'gateway', readings.at(-1), nowMs);
    for (const r of readings) {
      this.latest.set(r.meterId, { type: 'meter', payload: r, ts: nowMs });
      this.foldReading(r.meterId, r);
    }
  }

  /** A device's retained online/offline status: an offline device counts as silent at once. */
  applyDeviceStatus(deviceId: string, status: DeviceStatus, nowMs: number): void {
    this.lastMessageMs = nowMs;
    if (status.status === 'offline') this.offline.add(deviceId);
    else this.offline.delete(deviceId);
  }

  private foldReading(meterId: string, r: MeterReading): void {
    const track = this.tracks.get(meterId);
    const entry = this.meters.get(meterId);
    if (!track || !entry) return;
    const next = applyReading(track, r, this.rules);
    this.tracks.set(meterId, next);
    this.put(this.meters, meterId, { ...entry.item, value: next.value, rate: next.rate, ts: next.ts });
  }

  setControlStatus(status: ControlStatus): void {
    for (const s of status.intersections) {
      this.control.set(s.intersectionId, s);
      this.refreshIntersection(s.intersectionId);
    }
  }

  setIngestStatus(status: IngestStatus): void {
    this.ingest = status;
  }

  setFeedConnected(connected: boolean): void {
    this.feedUp = connected;
  }

  /** True while the MQTT feed is connected and subscribed. */
  get feedConnected(): boolean {
    return this.feedUp;
  }

  private refreshIntersection(id: string): void {
    const entry = this.intersections.get(id);
    const def = this.intersectionById.get(id);
    if (!entry || !def) return;
    const s = this.signals.get(id);
    let queueVeh = 0;
    for (const a of this.approaches.get(id)?.values() ?? []) queueVeh += a.queueLength ?? 0;
    let congestion = 0;
    for (const a of def.approaches)
      congestion = Math.max(congestion, this.links.get(a.inLink)?.item.congestion ?? 0);
    this.put(this.intersections, id, {
      id,
      mode: s?.mode ?? null,
      source: s?.source ?? null,
      phase: s?.phase ?? null,
      interval: s?.interval ?? null,
      planId: s?.planId ?? null,
      queueVeh,
      congestion,
      faults: s?.faults ?? [],
      fallbackReason: this.control.get(id)?.fallbackReason ?? null,
      ts: s?.ts ?? 0,
    });
  }

  /**
   * Re-evaluates everything that changes with time alone: silent cameras and signals, meter
   * anomalies, health and alerts. Call about once a second.
   */
  tick(nowMs: number): void {
    this.watchedSinceMs ??= nowMs;
    const watched = this.watchedSinceMs;
    for (const [id, e] of this.cameras) {
      const intervalMs = (this.cameraIntervalS.get(id) ?? DEFAULT_CAMERA_INTERVAL_S) * 1000;
      const silent =
        this.offline.has(id) ||
        nowMs - Math.max(e.item.lastSeenMs, watched) > CAMERA_SILENT_INTERVALS * intervalMs;
      if (silent !== e.item.silent) this.put(this.cameras, id, { ...e.item, silent });
    }
    const silentSignals = new Set<string>();
    for (const id of this.intersections.keys()) {
      const heard = this.latest.get(id)?.ts ?? 0;
      if (this.offline.has(id) || nowMs - Math.max(heard, watched) > this.signalSilentMs)
        silentSignals.add(id);
    }
    this.silentSignals = silentSignals;
    this.tickMeters(nowMs, watched);
    this.tickHealth(nowMs);
    const alerts = deriveAlerts(
      {
        intersections: [...this.intersections.values()].map((e) => e.item),
        cameras: [...this.cameras.values()].map((e) => e.item),
        meters: [...this.meters.values()].map((e) => e.item),
        silentSignals,
        health: this.healthEntry.item,
        positionOf: (id) => this.positions.get(id) ?? this.network.center,
        cityCenter: this.network.center,
      },
      this.alertMap,
      nowMs,
    );
    if (!sameAlerts(alerts, this.alertMap)) this.alertsSeq = ++this.seqNo;
    this.alertMap = alerts;
  }

  private tickMeters(nowMs: number, watched: number): void {
    const moving = new Map<string, { moved: number; all: number }>();
    for (const t of this.tracks.values()) {
      const m = moving.get(t.kind) ?? { moved: 0, all: 0 };
      m.all += 1;
      if (t.lastChangeTs > 0 && t.ts - t.lastChangeTs < this.rules.stuckAfterMs) m.moved += 1;
      moving.set(t.kind, m);
    }
    for (const [id, t] of this.tracks) {
      const m = moving.get(t.kind);
      const share = m && m.all > 0 ? m.moved / m.all : 0;
      const anomaly = meterAnomaly(t, nowMs, share, watched, this.rules);
      const e = this.meters.get(id);
      if (e && e.item.anomaly !== anomaly) this.put(this.meters, id, { ...e.item, anomaly });
    }
  }

  private tickHealth(nowMs: number): void {
    if (this.lastTickMs !== null && nowMs > this.lastTickMs) {
      this.observedRatePerS = (this.messagesSinceTick * 1000) / (nowMs - this.lastTickMs);
    }
    this.lastTickMs = nowMs;
    this.messagesSinceTick = 0;
    const dataAgeS = this.lastMessageMs === null ? null : Math.max(0, (nowMs - this.lastMessageMs) / 1000);
    let staleDevices = this.silentSignals.size;
    for (const c of this.cameras.values()) if (c.item.silent) staleDevices += 1;
    for (const m of this.meters.values()) if (m.item.anomaly === 'outage') staleDevices += 1;
    const spoolDepth = this.ingest?.spoolDepth ?? 0;
    const lagging =
      dataAgeS === null ||
      dataAgeS > LAGGING_AFTER_S ||
      this.ingest?.influxReachable === false ||
      spoolDepth > 10_000;
    const health: Health = {
      status: !this.feedUp ? 'disconnected' : lagging ? 'lagging' : 'live',
      ingestRatePerS: Math.round((this.ingest?.ingestRatePerS ?? this.observedRatePerS) * 10) / 10,
      rejectsPerS: this.ingest?.rejectsPerS ?? 0,
      spoolDepth,
      staleDevices,
      dataAgeS: dataAgeS === null ? null : Math.round(dataAgeS * 10) / 10,
    };
    if (!sameItem(health, this.healthEntry.item)) this.healthEntry = { item: health, seq: ++this.seqNo };
  }

  // ------------------------------------------------------------------ reads

  health(): Health {
    return this.healthEntry.item;
  }

  alerts(): Alert[] {
    return sortAlerts(this.alertMap.values()).slice(0, this.maxAlerts);
  }

  /** Everything inside `ids` (null: the whole city). */
  snapshot(ids: ViewportIds | null, nowMs: number): Snapshot {
    const pick = <T>(map: Map<string, Entry<T>>, keep: ReadonlySet<string> | undefined): T[] => {
      const out: T[] = [];
      if (keep === undefined) for (const e of map.values()) out.push(e.item);
      else
        for (const id of keep) {
          const e = map.get(id);
          if (e) out.push(e.item);
        }
      return out;
    };
    return {
      seq: this.seqNo,
      ts: nowMs,
      intersections: pick(this.intersections, ids?.intersections),
      links: pick(this.links, ids?.links),
      cameras: pick(this.cameras, ids?.cameras),
      meters: pick(this.meters, ids?.meters),
      alerts: this.alerts(),
      health: this.healthEntry.item,
    };
  }

  /** What changed inside `ids` after `sinceSeq`; only the keys that have changes are present. */
  changesSince(sinceSeq: number, ids: ViewportIds, nowMs: number): Delta {
    const pick = <T>(map: Map<string, Entry<T>>, keep: ReadonlySet<string>): T[] | undefined => {
      const out: T[] = [];
      // Scan the smaller side: a zoomed-in client watches few ids, a zoomed-out one many.
      if (keep.size < map.size) {
        for (const id of keep) {
          const e = map.get(id);
          if (e && e.seq > sinceSeq) out.push(e.item);
        }
      } else {
        for (const [id, e] of map) if (e.seq > sinceSeq && keep.has(id)) out.push(e.item);
      }
      return out.length > 0 ? out : undefined;
    };
    const delta: Delta = { seq: this.seqNo, ts: nowMs };
    const intersections = pick(this.intersections, ids.intersections);
    const links = pick(this.links, ids.links);
    const cameras = pick(this.cameras, ids.cameras);
    const meters = pick(this.meters, ids.meters);
    if (intersections) delta.intersections = intersections;
    if (links) delta.links = links;
    if (cameras) delta.cameras = cameras;
    if (meters) delta.meters = meters;
    if (this.alertsSeq > sinceSeq) delta.alerts = this.alerts();
    if (this.healthEntry.seq > sinceSeq) delta.health = this.healthEntry.item;
    return delta;
  }

  /** True when a delta carries nothing but its header. */
  static isEmpty(delta: Delta): boolean {
    return Object.keys(delta).every((k) => k === 'seq' || k === 'ts');
  }

  intersectionStatus(id: string, nowMs: number): IntersectionStatus | null {
    const e = this.intersections.get(id);
    if (!e) return null;
    const s = this.signals.get(id);
    const c = this.control.get(id);
    return {
      mode: s?.mode ?? null,
      source: s?.source ?? null,
      planId: s?.planId ?? null,
      phase: s?.phase ?? null,
      interval: s?.interval ?? null,
      phaseElapsedS: s?.phaseElapsedS ?? null,
      cycleS: s?.cycleS ?? this.plans.get(id)?.cycleS ?? null,
      plan: this.plans.get(id) ?? null,
      dataAgeS: c?.dataAgeS ?? (s ? Math.max(0, (nowMs - s.ts) / 1000) : null),
      fallbackReason: c?.fallbackReason ?? null,
      faults: s?.faults ?? [],
    };
  }

  approachLive(intersectionId: string): ApproachLive[] {
    const def = this.intersectionById.get(intersectionId);
    const live = this.approaches.get(intersectionId);
    if (!def) return [];
    return def.approaches.map((a) => {
      const l = live?.get(a.dir);
      return {
        dir: a.dir,
        intensity: l?.intensity ?? null,
        queueLength: l?.queueLength ?? null,
        ts: l?.ts ?? null,
      };
    });
  }

  /** The last plan seen on an intersection's plan topic. */
  currentPlan(intersectionId: string): SignalPlan | null {
    return this.plans.get(intersectionId) ?? null;
  }

  latestOf(deviceId: string): { type: DeviceType; payload: unknown; ts: number } | null {
    return this.latest.get(deviceId) ?? null;
  }

  meter(id: string): LiveMeter | null {
    return this.meters.get(id)?.item ?? null;
  }

  intersection(id: string): LiveIntersection | null {
    return this.intersections.get(id)?.item ?? null;
  }

  link(id: string): LiveLink | null {
    return this.links.get(id)?.item ?? null;
  }

  camera(id: string): LiveCamera | null {
    return this.cameras.get(id)?.item ?? null;
  }
}
