import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A JSON answer that never changes while the server runs (the network is fixed per run):
 * serialized, compressed (gzip and brotli) and hashed once, then served as bytes with an ETag,
 * so a request costs neither a serialization nor a compression.
 */
export interface StaticJson {
  readonly etag: string;
  readonly identity: Buffer;
  readonly gzip: Buffer;
  readonly br: Buffer;
}

export function staticJson(value: unknown): StaticJson {
  const identity = Buffer.from(JSON.stringify(value));
  return {
    etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
    identity,
    gzip: gzipSync(identity, { level: 6 }),
    // Quality 5: most of brotli's gain at a fraction of the start-up time of 11.
    br: brotliCompressSync(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
  };
}

/** Which encoding to send for an Accept-Encoding header: brotli, then gzip, else none. */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return null;
}

/** Sends `body` (304 when the client holds the same version), encoded as the client accepts. */
export function sendStaticJson(req: FastifyRequest, reply: FastifyReply, body: StaticJson): FastifyReply {
  reply
    .header('etag', body.etag)
    .header('vary', 'accept-encoding')
    // Behind the session: the browser may keep it, shared caches may not; revalidated every use.
    .header('cache-control', 'private, no-cache')
    .type('application/json; charset=utf-8');
  const match = req.headers['if-none-match'];
  if (match?.split(',').some((t) => t.trim().replace(/^W\//, '') === body.etag)) {
    return reply.code(304).send();
  }
  const encoding = pickEncoding(req.headers['accept-encoding']);
  if (encoding === null) return reply.send(body.identity);
  return reply.header('content-encoding', encoding).send(encoding === 'br' ? body.br : body.gzip);
}
