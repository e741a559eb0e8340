import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApiError,
  Override,
  OverrideCreated,
  OverrideList,
  OverrideRefused,
  OverrideRequest,
} from '../../shared/contract.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Session } from '../auth/session-store.ts';
import type { Clock } from '../clock.ts';
import type { OverrideService } from '../overrides/override-service.ts';

export interface OverrideRoutesOptions {
  readonly overrides: OverrideService;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

const Refusal = z.object({ error: z.string(), message: z.string(), reasons: z.array(z.string()) });

/** Manual overrides: operators and admins only; viewers get 403, and the attempt is audited. */
export function registerOverrideRoutes(app: FastifyInstance, o: OverrideRoutesOptions): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  // Viewers may watch but not act (403); the refused attempt is on record like any other.
  const mayOverride =
    (action: string) =>
    async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      const s = req.operator;
      if (s && s.role !== 'operator' && s.role !== 'admin') {
        o.audit.record({
          ts: o.clock.now(),
          user: s.name,
          action,
          target: null,
          outcome: 'denied',
          reason: `role ${s.role} may not override`,
          details: { url: req.url },
        });
        await reply.code(403).send({ error: 'forbidden', message: 'overrides need role operator or admin' });
      }
    };

  api.post(
    '/api/overrides',
    {
      preHandler: mayOverride('override.create'),
      schema: {
        tags: ['overrides'],
        body: OverrideRequest,
        response: { 201: OverrideCreated, 403: ApiError, 404: Refusal, 422: OverrideRefused, 502: Refusal },
      },
    },
    async (req, reply) => {
      const s = req.operator as Session;
      const out = await o.overrides.create(s.name, req.body, o.clock.now());
      switch (out.status) {
        case 201:
          return reply.code(201).send({ override: out.override });
        case 422:
          return reply.code(422).send({
            error: 'envelope_refused',
            message: 'the override was refused',
            reasons: [...out.reasons],
          });
        default:
          return reply.code(out.status).send({
            error: out.status === 404 ? 'not_found' : 'publish_failed',
            message: out.reasons.join('; '),
            reasons: [...out.reasons],
          });
      }
    },
  );

  api.get(
    '/api/overrides',
    { schema: { tags: ['overrides'], response: { 200: OverrideList } } },
    async () => ({
      overrides: o.overrides.list(o.clock.now()),
    }),
  );

  api.delete(
    '/api/overrides/:id',
    {
      preHandler: mayOverride('override.cancel'),
      schema: {
        tags: ['overrides'],
        params: z.object({ id: z.string().min(1).max(64) }),
        response: {
          200: z.object({ override: Override }),
          403: ApiError,
          404: Refusal,
          409: Refusal,
          422: Refusal,
          502: Refusal,
        },
      },
    },
    async (req, reply) => {
      const s = req.operator as Session;
      const out = await o.overrides.cancel(s.name, req.params.id, o.clock.now());
      if (out.status === 200) return { override: out.override };
      return reply
        .code(out.status)
        .send({ error: `cancel_${out.status}`, message: out.reasons.join('; '), reasons: [...out.reasons] });
    },
  );
}
