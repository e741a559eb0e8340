import { existsSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { AuditLog } from './audit/audit-log.ts';
import { registerAuth } from './auth/auth-plugin.ts';
import { SessionStore } from './auth/session-store.ts';
import { SocketSessions } from './auth/socket-sessions.ts';
import { registerBasemapRoutes } from './basemap/basemap-routes.ts';
import { readBasemapSummary } from './basemap/pmtiles-archive.ts';
import type { DashboardDeps } from './deps.ts';
import { OverrideService } from './overrides/override-service.ts';
import { registerOverrideRoutes } from './routes/override-routes.ts';
import { registerReadRoutes } from './routes/read-routes.ts';
import { helmetOptions } from './security.ts';
import { attachLiveSocket, type LiveSocketServer } from './socket/live-socket.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The live map's socket.io server (attached to this app's HTTP server). */
    liveSocket: LiveSocketServer;
    overrides: OverrideService;
    audit: AuditLog;
  }
}

/**
 * The operations server: REST API, live socket, overrides and the web app, as a fastify app that
 * is built here and never listens (dashboard/main.ts and the platform listen; tests inject).
 * Closing the app stops its timers, the socket server and the audit database.
 */
export async function buildDashboard(deps: DashboardDeps): Promise<FastifyInstance> {
  if (deps.cookieSecret.length < 32) throw new Error('cookieSecret needs at least 32 characters');
  const tls = deps.tls ?? false;
  // Checked before anything is opened: a bad basemap file is a configuration error, said at start.
  const basemap = deps.basemapPmtiles
    ? { path: deps.basemapPmtiles, summary: await readBasemapSummary(deps.basemapPmtiles) }
    : null;
  const app = Fastify({ loggerInstance: deps.logger, bodyLimit: 64 * 1024, trustProxy: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      return reply.code(400).send({ error: 'invalid_request', message: err.message });
    }
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    return reply.code(status).send({
      error: status === 429 ? 'rate_limited' : status >= 500 ? 'internal' : 'bad_request',
      message: status >= 500 ? 'internal error' : (err as Error).message,
    });
  });

  const audit = new AuditLog(deps.auditDbPath);
  const sessions = new SessionStore(deps.sessionLimits, { dbPath: deps.sessionDbPath });
  const overrides = new OverrideService({
    db: audit,
    intersections: new Map(deps.network.intersections.map((i) => [i.id, i])),
    envelope: deps.envelope,
    publishPlan: deps.publishPlan,
    utcOffsetMin: deps.utcOffsetMin ?? 180,
  });
  app.decorate('audit', audit);
  app.decorate('overrides', overrides);

  await app.register(fastifyCookie, { secret: deps.cookieSecret });
  await app.register(fastifyHelmet, helmetOptions(tls));
  await app.register(fastifyRateLimit, { global: true, max: 1200, timeWindow: 60_000 });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'City operations dashboard API', version: '1.0.0' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sid' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // Served from node_modules by the plugin itself: no CDN. Its own CSP hashes are kept strict.
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: false });

  if (deps.opsRoutes) deps.opsRoutes(app);
  registerAuth(app, {
    registry: deps.registry,
    sessions,
    audit,
    clock: deps.clock,
    tls,
    loginRateLimit: deps.loginRateLimit ?? { max: 5, timeWindowMs: 60_000 },
  });
  registerReadRoutes(app, {
    network: deps.network,
    live: deps.live,
    influx: deps.influx,
    audit,
    overrides,
    clock: deps.clock,
  });
  registerOverrideRoutes(app, { overrides, audit, clock: deps.clock });
  registerBasemapRoutes(app, { basemap });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  if (deps.staticDir && existsSync(deps.staticDir)) {
    await app.register(fastifyStatic, { root: deps.staticDir, index: ['index.html'], wildcard: true });
  }

  const liveSocket = attachLiveSocket(app.server, {
    app,
    live: deps.live,
    sessions,
    clock: deps.clock,
    limits: deps.stream ?? {},
    tickMs: deps.streamTickMs ?? 50,
  });
  app.decorate('liveSocket', liveSocket);
  const socketSessions = new SocketSessions(app, sessions);

  const stopTick = deps.clock.every(1000, () => {
    const now = deps.clock.now();
    try {
      if (deps.controlStatus) deps.live.setControlStatus(deps.controlStatus());
      if (deps.ingestStatus) deps.live.setIngestStatus(deps.ingestStatus());
      deps.live.tick(now);
      overrides.expire(now);
      sessions.sweep(now);
      if (deps.registry.listOperators) sessions.endStale(deps.registry.listOperators());
      socketSessions.check(liveSocket.io.of('/').sockets.values(), now);
    } catch (err) {
      deps.logger.error({ err }, 'dashboard tick failed');
    }
  });

  // Sockets first (preClose), or the HTTP server would wait for their connections to end.
  app.addHook('preClose', async () => {
    stopTick();
    await liveSocket.close();
  });
  app.addHook('onClose', async () => {
    audit.close();
    sessions.close();
  });
  return app;
}
