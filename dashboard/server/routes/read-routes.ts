import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EntityId } from '../../../protocol/ids.ts';
import type { CityNetwork } from '../../../protocol/network.ts';
import {
  AlertList,
  ApiError,
  AuditList,
  AuditQuery,
  BuildingDetail,
  DeviceLatest,
  HistoryQuery,
  HistoryResponse,
  IntersectionDetail,
  NetworkGeoJson,
} from '../../shared/contract.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { InfluxTarget } from '../history/influx-query.ts';
import { readHistory } from '../history/read-history.ts';
import type { LiveState } from '../live/live-state.ts';
import { emptyLiveMeter } from '../live/meter-fleet.ts';
import { networkLayers } from '../network-geojson.ts';
import type { OverrideService } from '../overrides/override-service.ts';
import { sendStaticJson, staticJson } from './static-json.ts';

/** Longest history window one request may ask for. */
const MAX_HISTORY_RANGE_MS = 31 * 86_400_000;

export interface ReadRoutesOptions {
  readonly network: CityNetwork;
  readonly live: LiveState;
  readonly influx: InfluxTarget;
  readonly audit: AuditLog;
  readonly overrides: OverrideService;
  readonly clock: Clock;
}

const IdParams = z.object({ id: EntityId });

/** The read side of the API: network, live detail, history, buildings, alerts and the audit trail. */
export function registerReadRoutes(app: FastifyInstance, o: ReadRoutesOptions): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // The network is fixed for the run: serialized and compressed once, here, not per request.
  const layers = networkLayers(o.network);
  const core = staticJson(layers.core);
  const extras = staticJson(layers.extras);
  const intersections = new Map(o.network.intersections.map((i) => [i.id, i]));
  const buildings = new Map(o.network.buildings.map((b) => [b.id, b]));
  const deviceTypes = new Map<string, 'camera' | 'signal' | 'meter' | 'gateway'>([
    ...o.network.intersections.map((i) => [i.id, 'signal'] as const),
    ...o.network.cameras.map((c) => [c.id, 'camera'] as const),
    ...o.network.gateways.map((g) => [g.id, 'gateway'] as const),
    ...o.network.buildings.flatMap((b) => b.meters.map((m) => [m.id, 'meter'] as const)),
  ]);

  api.get(
    '/api/network',
    {
      schema: {
        tags: ['network'],
        description: 'Links and intersections (what the whole-city view draws), gzip/br, with an ETag.',
        response: { 200: NetworkGeoJson },
      },
    },
    async (req, reply) => sendStaticJson(req, reply, core),
  );

  api.get(
    '/api/network/extras',
    {
      schema: {
        tags: ['network'],
        description: 'Cameras and buildings (drawn from zoom 12-13 on), gzip/br, with an ETag.',
        response: { 200: NetworkGeoJson },
      },
    },
    async (req, reply) => sendStaticJson(req, reply, extras),
  );

  api.get(
    '/api/intersections/:id',
    { schema: { tags: ['network'], params: IdParams, response: { 200: IntersectionDetail, 404: ApiError } } },
    async (req, reply) => {
      const i = intersections.get(req.params.id);
      const now = o.clock.now();
      const status = o.live.intersectionStatus(req.params.id, now);
      if (!i || !status)
        return reply.code(404).send({ error: 'not_found', message: `no intersection ${req.params.id}` });
      return {
        id: i.id,
        name: i.name,
        position: i.position,
        approaches: i.approaches,
        phases: i.phases,
        movements: i.movements.map((m) => ({ id: m.id, approach: m.approach, turn: m.turn })),
        plans: i.plans.map((p) => ({ id: p.id, cycleS: p.cycleS })),
        status,
        live: o.live.approachLive(i.id),
        override: o.overrides.activeFor(i.id, now),
      };
    },
  );

  api.get(
    '/api/devices/:id/latest',
    { schema: { tags: ['network'], params: IdParams, response: { 200: DeviceLatest, 404: ApiError } } },
    async (req, reply) => {
      const type = deviceTypes.get(req.params.id);
      if (!type) return reply.code(404).send({ error: 'not_found', message: `no device ${req.params.id}` });
      const latest = o.live.latestOf(req.params.id);
      return { id: req.params.id, type, payload: latest?.payload ?? null, ts: latest?.ts ?? null };
    },
  );

  api.get(
    '/api/history',
    {
      schema: {
        tags: ['history'],
        querystring: HistoryQuery,
        response: { 200: HistoryResponse, 400: ApiError, 502: ApiError },
      },
    },
    async (req, reply) => {
      const q = req.query;
      if (q.to <= q.from || q.to - q.from > MAX_HISTORY_RANGE_MS) {
        return reply
          .code(400)
          .send({ error: 'invalid_range', message: 'need from < to, at most 31 days apart' });
      }
      try {
        return await readHistory(o.influx, q);
      } catch (err) {
        req.log.warn({ err }, 'history query failed');
        return reply.code(502).send({ error: 'influx_unavailable', message: (err as Error).message });
      }
    },
  );

  api.get(
    '/api/buildings/:id',
    { schema: { tags: ['network'], params: IdParams, response: { 200: BuildingDetail, 404: ApiError } } },
    async (req, reply) => {
      const b = buildings.get(req.params.id);
      if (!b) return reply.code(404).send({ error: 'not_found', message: `no building ${req.params.id}` });
      return {
        id: b.id,
        position: b.position,
        use: b.use,
        meters: b.meters.map((m) => {
          const live = o.live.meter(m.id) ?? emptyLiveMeter(m.id, b.id, m.kind);
          return { ...live, gatewayId: m.gatewayId ?? null };
        }),
      };
    },
  );

  api.get('/api/alerts', { schema: { tags: ['live'], response: { 200: AlertList } } }, async () => ({
    alerts: o.live.alerts(),
    health: o.live.health(),
  }));

  api.get(
    '/api/audit',
    { schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: AuditList } } },
    async (req) => ({ entries: o.audit.query(req.query) }),
  );
}
