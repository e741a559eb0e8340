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
import { AlertBook } from './alert-book.ts';
import { deriveAlerts, sortAlerts } from './derive-alerts.ts';
import { cameraSilentAfterMs, DEFAULT_SIGNAL_SILENT_MS, isSilent } from './device-silence.ts';
import {
  type ApproachReading,
  approachLive,
  intersectionStatus,
  liveIntersection,
  quietIntersection,
} from './intersection-view.ts';
import { linkFromCounts } from './link-congestion.ts';
import type { ControlIntersectionStatus, ControlStatus, IngestStatus } from './live-status.ts';
import { defaultMeterRules, type MeterRules } from './meter-anomaly.ts';
import { MeterFleet } from './meter-fleet.ts';
import { deriveHealth, MessageRate } from './platform-health.ts';
import { Sequence, sameItem, VersionedMap } from './versioned-map.ts';
import type { ViewportIds } from './viewport-filter.ts';

export type { ControlIntersectionStatus, ControlStatus, IngestStatus } from './live-status.ts';

export interface LiveStateOptions {
  readonly meterRules?: Partial<MeterRules>;
  /** A signal sends its state at least every 5 s; silent after this long. */
  readonly signalSilentMs?: number;
  /** Most alerts a snapshot or delta carries (the most severe first). */
  readonly maxAlerts?: number;
}

/** The last message heard from a device, as the device-latest route serves it. */
export interface LatestMessage {
  type: DeviceType;
  payload: unknown;
  ts: number;
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
 * The rules live beside it: link congestion, intersection views, device silence, meter
 * anomalies, health and alerts; this class keeps the state and applies them.
 */
export class LiveState {
  private readonly sequence = new Sequence();
  private readonly signalSilentMs: number;
  private readonly maxAlerts: number;
  private readonly intersections = new VersionedMap<LiveIntersection>(this.sequence);
  private readonly links = new VersionedMap<LiveLink>(this.sequence);
  private readonly cameras = new VersionedMap<LiveCamera>(this.sequence);
  private readonly meters: MeterFleet;
  private readonly approaches = new Map<string, Map<string, ApproachReading>>();
  private readonly signals = new Map<string, SignalState>();
  private readonly plans = new Map<string, SignalPlan>();
  private readonly cameraIntervalS = new Map<string, number>();
  private readonly latest = new Map<string, LatestMessage>();
  private readonly control = new Map<string, ControlIntersectionStatus>();
  private readonly positions = new Map<string, LonLat>();
  private readonly linkById: Map<string, Link>;
  private readonly intersectionById: Map<string, Intersection>;
  private readonly cameraById: Map<string, CityNetwork['cameras'][number]>;
  private alertMap = new Map<string, Alert>();
  private readonly alertBook = new AlertBook(this.sequence);
  private healthItem: Health;
  private healthSeq = 0;
  private ingest: IngestStatus | null = null;
  private feedUp = false;
  private lastMessageMs: number | null = null;
  private readonly rate = new MessageRate();
  private watchedSinceMs: number | null = null;
  private readonly offline = new Set<string>();
  private readonly congestionOf = (linkId: string): number => this.links.get(linkId)?.congestion ?? 0;

  constructor(
    readonly network: CityNetwork,
    options: LiveStateOptions = {},
  ) {
    this.signalSilentMs = options.signalSilentMs ?? DEFAULT_SIGNAL_SILENT_MS;
    this.maxAlerts = options.maxAlerts ?? 200;
    this.meters = new MeterFleet(network.buildings, this.sequence, {
      ...defaultMeterRules,
      ...options.meterRules,
    });
    this.linkById = new Map(network.links.map((l) => [l.id, l]));
    this.intersectionById = new Map(network.intersections.map((i) => [i.id, i]));
    this.cameraById = new Map(network.cameras.map((c) => [c.id, c]));
    for (const i of network.intersections) {
      this.positions.set(i.id, i.position);
      this.intersections.init(i.id, quietIntersection(i.id));
      this.approaches.set(i.id, new Map());
    }
    for (const l of network.links) {
      this.links.init(l.id, { id: l.id, flowVehPerH: 0, speedKmh: null, congestion: 0 });
    }
    for (const c of network.cameras) {
      const p = this.positions.get(c.intersectionId);
      if (p) this.positions.set(c.id, p);
      this.cameras.init(c.id, { id: c.id, silent: false, lastSeenMs: 0 });
    }
    for (const b of network.buildings) {
      this.positions.set(b.id, b.position);
      for (const m of b.meters) this.positions.set(m.id, b.position);
    }
    this.healthItem = {
      status: 'disconnected',
      ingestRatePerS: 0,
      rejectsPerS: 0,
      spoolDepth: 0,
      staleDevices: 0,
      dataAgeS: null,
    };
  }

  /** The sequence number of the latest change. */
  get seq(): number {
    return this.sequence.current;
  }

  // ------------------------------------------------------------------ feed

  private heard(id: string, type: DeviceType, payload: unknown, nowMs: number): void {
    this.latest.set(id, { type, payload, ts: nowMs });
    this.lastMessageMs = nowMs;
    this.rate.heard();
  }

  applyCameraCounts(cameraId: string, counts: CameraCounts, nowMs: number): void {
    this.heard(cameraId, 'camera', counts, nowMs);
    const cam = this.cameraById.get(cameraId);
    if (!cam) return;
    this.cameraIntervalS.set(cameraId, counts.intervalS);
    this.cameras.put(cameraId, { id: cameraId, silent: false, lastSeenMs: nowMs });
    this.approaches.get(cam.intersectionId)?.set(cam.approach, {
      intensity: counts.intensity,
      queueLength: counts.queueLength ?? null,
      ts: counts.ts,
    });
    const link = this.linkById.get(cam.linkId);
    if (link) this.links.put(link.id, linkFromCounts(link, counts));
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
    for (const r of readings) this.meters.fold(meterId, r);
  }

  applyGatewayReadings(
    gatewayId: string,
    readings: readonly (MeterReading & { meterId: string })[],
    nowMs: number,
  ): void {
    this.heard(gatewayId, 'gateway', readings.at(-1), nowMs);
    for (const r of readings) {
      this.latest.set(r.meterId, { type: 'meter', payload: r, ts: nowMs });
      this.meters.fold(r.meterId, r);
    }
  }

  /** A device's retained online/offline status: an offline device counts as silent at once. */
  applyDeviceStatus(deviceId: string, status: DeviceStatus, nowMs: number): void {
    this.lastMessageMs = nowMs;
    if (status.status === 'offline') this.offline.add(deviceId);
    else this.offline.delete(deviceId);
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
    const def = this.intersectionById.get(id);
    if (!def) return;
    const item = liveIntersection(
      def,
      this.signals.get(id),
      this.approaches.get(id)?.values() ?? [],
      this.congestionOf,
      this.control.get(id),
    );
    this.intersections.put(id, item);
  }

  // ------------------------------------------------------------------ time

  /**
   * Re-evaluates everything that changes with time alone: silent cameras and signals, meter
   * anomalies, health and alerts. Call about once a second.
   */
  tick(nowMs: number): void {
    this.watchedSinceMs ??= nowMs;
    const watched = this.watchedSinceMs;
    let staleDevices = 0;
    for (const [id, cam] of this.cameras) {
      const afterMs = cameraSilentAfterMs(this.cameraIntervalS.get(id));
      const silent = isSilent(cam.lastSeenMs, this.offline.has(id), watched, afterMs, nowMs);
      if (silent !== cam.silent) this.cameras.put(id, { ...cam, silent });
      if (silent) staleDevices += 1;
    }
    const silentSignals = new Set<string>();
    for (const id of this.intersections.ids()) {
      const heard = this.latest.get(id)?.ts ?? 0;
      if (isSilent(heard, this.offline.has(id), watched, this.signalSilentMs, nowMs)) silentSignals.add(id);
    }
    this.meters.tick(nowMs, watched);
    staleDevices += silentSignals.size + this.meters.inOutage();
    this.tickHealth(nowMs, staleDevices);
    const alerts = deriveAlerts(
      {
        intersections: [...this.intersections.values()],
        cameras: [...this.cameras.values()],
        meters: [...this.meters.items.values()],
        silentSignals,
        health: this.healthItem,
        positionOf: (id) => this.positions.get(id) ?? this.network.center,
        cityCenter: this.network.center,
      },
      this.alertMap,
      nowMs,
    );
    // Ordered once here for every client; an unchanged alert map keeps the list as it was.
    if (!sameAlerts(alerts, this.alertMap))
      this.alertBook.set(sortAlerts(alerts.values()).slice(0, this.maxAlerts));
    this.alertMap = alerts;
  }

  private tickHealth(nowMs: number, staleDevices: number): void {
    const health = deriveHealth(
      {
        feedUp: this.feedUp,
        ingest: this.ingest,
        lastMessageMs: this.lastMessageMs,
        observedRatePerS: this.rate.tick(nowMs),
        staleDevices,
      },
      nowMs,
    );
    if (sameItem(health, this.healthItem)) return;
    this.healthItem = health;
    this.healthSeq = this.sequence.next();
  }

  // ------------------------------------------------------------------ reads

  health(): Health {
    return this.healthItem;
  }

  /** The most severe alerts first, at most `maxAlerts` of them. */
  alerts(): Alert[] {
    return [...this.alertBook.current];
  }

  /** Everything inside `ids` (null: the whole city). */
  snapshot(ids: ViewportIds | null, nowMs: number): Snapshot {
    return {
      seq: this.sequence.current,
      ts: nowMs,
      intersections: this.intersections.pick(ids?.intersections),
      links: this.links.pick(ids?.links),
      cameras: this.cameras.pick(ids?.cameras),
      meters: this.meters.items.pick(ids?.meters),
      alerts: this.alerts(),
      health: this.healthItem,
    };
  }

  /** What changed inside `ids` after `sinceSeq`; only the keys that have changes are present. */
  changesSince(sinceSeq: number, ids: ViewportIds, nowMs: number): Delta {
    const delta: Delta = { seq: this.sequence.current, ts: nowMs };
    const intersections = this.intersections.changedSince(sinceSeq, ids.intersections);
    const links = this.links.changedSince(sinceSeq, ids.links);
    const cameras = this.cameras.changedSince(sinceSeq, ids.cameras);
    const meters = this.meters.items.changedSince(sinceSeq, ids.meters);
    if (intersections) delta.intersections = intersections;
    if (links) delta.links = links;
    if (cameras) delta.cameras = cameras;
    if (meters) delta.meters = meters;
    const alerts = this.alertBook.changesSince(sinceSeq);
    if (alerts) Object.assign(delta, alerts);
    if (this.healthSeq > sinceSeq) delta.health = this.healthItem;
    return delta;
  }

  /** True when a delta carries nothing but its header. */
  static isEmpty(delta: Delta): boolean {
    return Object.keys(delta).every((k) => k === 'seq' || k === 'ts');
  }

  intersectionStatus(id: string, nowMs: number): IntersectionStatus | null {
    if (!this.intersections.get(id)) return null;
    return intersectionStatus(this.signals.get(id), this.plans.get(id), this.control.get(id), nowMs);
  }

  approachLive(intersectionId: string): ApproachLive[] {
    const def = this.intersectionById.get(intersectionId);
    return def ? approachLive(def, this.approaches.get(intersectionId)) : [];
  }

  /** The last plan seen on an intersection's plan topic. */
  currentPlan(intersectionId: string): SignalPlan | null {
    return this.plans.get(intersectionId) ?? null;
  }

  latestOf(deviceId: string): LatestMessage | null {
    return this.latest.get(deviceId) ?? null;
  }

  meter(id: string): LiveMeter | null {
    return this.meters.items.get(id) ?? null;
  }

  intersection(id: string): LiveIntersection | null {
    return this.intersections.get(id) ?? null;
  }

  link(id: string): LiveLink | null {
    return this.links.get(id) ?? null;
  }

  camera(id: string): LiveCamera | null {
    return this.cameras.get(id) ?? null;
  }
}
