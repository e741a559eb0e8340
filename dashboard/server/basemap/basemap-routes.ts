import { basename, dirname } from 'node:path';
import send from '@fastify/send';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BasemapInfo } from '../../shared/contract.ts';
import type { BasemapSummary } from './pmtiles-archive.ts';

/** Where the archive is served: under /api/, so the session hook guards it like every data route. */
export const BASEMAP_URL = '/api/basemap.pmtiles';

export interface BasemapRouteOptions {
  /** The PMTiles file and its summary (read once at startup); null: no basemap. */
  readonly basemap: { readonly path: string; readonly summary: BasemapSummary } | null;
}

/**
 * `GET /api/basemap` says whether a basemap is configured; `GET /api/basemap.pmtiles` serves the
 * archive with HTTP Range (the browser's pmtiles reader fetches the header, directories and each
 * tile as byte ranges of the one file). Both need a session.
 */
export function registerBasemapRoutes(app: FastifyInstance, o: BasemapRouteOptions): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const info: BasemapInfo = {
    basemap: o.basemap ? { url: BASEMAP_URL, ...o.basemap.summary } : null,
  };
  api.get('/api/basemap', { schema: { tags: ['map'], response: { 200: BasemapInfo } } }, async () => info);

  const file = o.basemap?.path;
  if (!file) return;
  const root = dirname(file);
  const name = `/${encodeURIComponent(basename(file))}`;
  app.get(
    BASEMAP_URL,
    {
      schema: { tags: ['map'], hide: true },
      // One request per tile while panning: a static, session-bound file read, not an API call
      // worth counting against the 1,200 a minute.
      config: { rateLimit: false },
    },
    async (req, reply) => {
      // Range, If-Range, ETag and HEAD handled by @fastify/send (what @fastify/static uses).
      const res = await send(req.raw, name, { root, dotfiles: 'allow', cacheControl: false, index: false });
      if (res.type === 'error') {
        const status = (res.metadata.error as { status?: number }).status ?? 500;
        if (status >= 500) req.log.error({ err: res.metadata.error }, 'basemap read failed');
        // 416 carries `Content-Range: bytes */size`: the pmtiles reader learns the file's size from it.
        const range = res.headers['Content-Range'];
        if (range) void reply.header('content-range', range);
        return reply.code(status).send({
          error: status === 416 ? 'range_not_satisfiable' : 'basemap_unavailable',
          message: 'basemap unavailable',
        });
      }
      // Private: the archive is behind the session. Revalidated, so a replaced file is noticed.
      return reply
        .code(res.statusCode)
        .headers(res.headers)
        .header('cache-control', 'private, no-cache')
        .type('application/vnd.pmtiles')
        .send(res.stream);
    },
  );
}
