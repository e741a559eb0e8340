import type {} from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ApiError, LoginBody, Me } from '../../shared/contract.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { OperatorDirectory } from '../deps.ts';
import type { Session, SessionStore } from './session-store.ts';

export const SESSION_COOKIE = 'sid';

declare module 'fastify' {
  interface FastifyRequest {
    operator: Session | null;
  }
}

/** Paths that answer without a session: health checks, login, and the app shell (no data in it). */
export function isPublicPath(path: string): boolean {
  if (path === '/api/login') return true;
  if (path.startsWith('/api/') || path === '/api') return false;
  if (path === '/openapi.json' || path === '/docs' || path.startsWith('/docs/')) return false;
  if (path.startsWith('/socket.io')) return false;
  return true;
}

export interface AuthOptions {
  readonly registry: OperatorDirectory;
  readonly sessions: SessionStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly tls: boolean;
  readonly loginRateLimit: { readonly max: number; readonly timeWindowMs: number };
}

/** The session behind a request's signed `sid` cookie, if any (shared by REST and the socket). */
export function sessionFromCookie(
  app: FastifyInstance,
  sessions: SessionStore,
  raw: string | undefined,
  nowMs: number,
): Session | null {
  if (raw === undefined) return null;
  const unsigned = app.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return null;
  return sessions.touch(unsigned.value, nowMs);
}

/**
 * Login, logout, `/api/me`, and the hook that turns away every non-public request without a
 * live session (401 for the API). Passwords are checked by the registry (scrypt); the browser
 * only ever holds a random session id in an http-only, SameSite=Strict cookie.
 */
export function registerAuth(app: FastifyInstance, o: AuthOptions): void {
  app.decorateRequest('operator', null);
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    req.operator = sessionFromCookie(app, o.sessions, req.cookies[SESSION_COOKIE], o.clock.now());
    if (req.operator === null && !isPublicPath(path)) {
      await reply.code(401).send({ error: 'unauthorized', message: 'log in first' });
    }
  });

  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/api/login',
    {
      config: { rateLimit: { max: o.loginRateLimit.max, timeWindow: o.loginRateLimit.timeWindowMs } },
      schema: { tags: ['auth'], body: LoginBody, response: { 200: Me, 401: ApiError } },
    },
    async (req, reply) => {
      const now = o.clock.now();
      const who = await o.registry.verifyOperator(req.body.name, req.body.password);
      if (!who) {
        o.audit.record({
          ts: now,
          user: req.body.name,
          action: 'login',
          target: null,
          outcome: 'denied',
          reason: 'wrong name or password',
          details: { ip: req.ip },
        });
        return reply.code(401).send({ error: 'unauthorized', message: 'wrong name or password' });
      }
      if (req.operator) o.sessions.destroy(req.operator.id);
      const since = o.registry.listOperators?.().find((r) => r.name === who.name)?.createdAt ?? null;
      const s = o.sessions.create(who.name, who.role, now, since);
      o.audit.record({
        ts: now,
        user: who.name,
        action: 'login',
        target: null,
        outcome: 'ok',
        reason: null,
        details: { ip: req.ip },
      });
      void reply.setCookie(SESSION_COOKIE, s.id, {
        httpOnly: true,
        sameSite: 'strict',
        secure: o.tls,
        path: '/',
        signed: true,
      });
      return { name: who.name, role: who.role };
    },
  );

  api.post('/api/logout', { schema: { tags: ['auth'] } }, async (req, reply) => {
    if (req.operator) {
      o.sessions.destroy(req.operator.id);
      o.audit.record({
        ts: o.clock.now(),
        user: req.operator.name,
        action: 'logout',
        target: null,
        outcome: 'ok',
        reason: null,
        details: null,
      });
    }
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  api.get('/api/me', { schema: { tags: ['auth'], response: { 200: Me } } }, async (req) => {
    const s = req.operator as Session;
    return { name: s.name, role: s.role };
  });
}
