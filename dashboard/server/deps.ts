import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { CityNetwork } from '../../protocol/network.ts';
import type { OperatorRole } from '../shared/contract.ts';
import type { OperatorStanding } from './auth/session-rules.ts';
import type { Clock } from './clock.ts';
import type { InfluxTarget } from './history/influx-query.ts';
import type { ControlStatus, IngestStatus, LiveState } from './live/live-state.ts';
import type { Envelope, PublishPlan } from './overrides/override-service.ts';

/** The operator side of the registry (broker/registry.ts `Registry` satisfies it). */
export interface OperatorDirectory {
  verifyOperator(name: string, password: string): Promise<{ name: string; role: OperatorRole } | null>;
  /**
   * Every operator with role and revocation, read again about once a second: sessions of an
   * operator who was revoked, changed role or was made anew end. Absent: only logout and expiry
   * end sessions.
   */
  listOperators?(): readonly OperatorStanding[];
}

/** Everything the dashboard server needs, handed in: it reads no environment and opens no port. */
export interface DashboardDeps {
  readonly registry: OperatorDirectory;
  readonly network: CityNetwork;
  /** InfluxDB for history, queried through the v1 `/query` endpoint. */
  readonly influx: InfluxTarget;
  /** The live picture, fed by the MQTT feed (live/mqtt-feed.ts) the caller starts. */
  readonly live: LiveState;
  /** SQLite file of the audit trail and the overrides. */
  readonly auditDbPath: string;
  /** SQLite file of the operators' sessions (token hashes only), so a restart logs nobody out. Absent: in memory. */
  readonly sessionDbPath?: string | null;
  /** Publishes a plan on the intersection's plan topic with the dashboard's service account. */
  readonly publishPlan: PublishPlan;
  /** `enforceEnvelope` from control/index.ts: every override passes it. */
  readonly envelope: Envelope;
  readonly controlStatus?: () => ControlStatus;
  readonly ingestStatus?: () => IngestStatus;
  readonly clock: Clock;
  readonly logger: FastifyBaseLogger;
  /** Signs the session cookie (at least 32 characters). */
  readonly cookieSecret: string;
  /** The built web app (dashboard/web/dist); null or absent: API only. */
  readonly staticDir?: string | null;
  /**
   * A local PMTiles v3 file (vector or raster) drawn under our layers; null or absent: no basemap.
   * Served behind the session with HTTP Range; a missing or malformed file fails the build.
   */
  readonly basemapPmtiles?: string | null;
  /** Serving over TLS: cookies get `Secure`, the CSP upgrades requests, HSTS is sent. */
  readonly tls?: boolean;
  /** Mounts `/healthz`, `/readyz`, `/metrics` (scripts/ops-routes.ts): they answer without a session. */
  readonly opsRoutes?: (app: FastifyInstance) => void;
  /** City's offset from UTC, minutes (plan schedules are in local time). Default 180 (Moscow). */
  readonly utcOffsetMin?: number;
  /** Login attempts allowed per client address per window. Default 5 per minute. */
  readonly loginRateLimit?: { readonly max: number; readonly timeWindowMs: number };
  readonly sessionLimits?: { readonly ttlMs?: number; readonly idleMs?: number };
  /** Socket stream limits (tests shrink them). */
  readonly stream?: {
    readonly minIntervalMs?: number;
    readonly maxInFlight?: number;
    readonly ackTimeoutMs?: number;
    readonly maxWriteBuffer?: number;
  };
  /** How often the socket layer looks for changes to send, ms. Default 50. */
  readonly streamTickMs?: number;
}
