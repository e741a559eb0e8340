import type { Server as HttpServer } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { Server, type Socket } from 'socket.io';
import { type ClientToServerEvents, type Delta, type Snapshot, Viewport } from '../../shared/contract.ts';
import { SESSION_COOKIE, sessionFromCookie } from '../auth/auth-plugin.ts';
import type { SessionStore } from '../auth/session-store.ts';
import type { Clock } from '../clock.ts';
import { ClientStream, type StreamLimits } from '../live/client-stream.ts';
import { FlushMemo, type PreEncoded } from '../live/flush-memo.ts';
import type { LiveState } from '../live/live-state.ts';
import { ViewCatalog } from '../live/view-catalog.ts';
import { buildViewportIndex, filterViewport, type ViewportIds } from '../live/viewport-filter.ts';
import { preEncodedParser } from './pre-encoded-parser.ts';

export interface LiveSocketOptions {
  readonly app: FastifyInstance;
  readonly live: LiveState;
  readonly sessions: SessionStore;
  readonly clock: Clock;
  readonly limits?: Partial<StreamLimits>;
  readonly tickMs?: number;
}

interface ClientData {
  name: string;
  stream: ClientStream;
  ids: ViewportIds | null;
}

/**
 * The server's side of ServerToClientEvents: payloads leave serialised ahead of time, and clients
 * receive exactly the Snapshot and Delta the contract describes.
 */
export interface ServerEmits {
  snapshot(s: PreEncoded<Snapshot>, ack: () => void): void;
  delta(d: PreEncoded<Delta>, ack: () => void): void;
}

type LiveSocket = Socket<ClientToServerEvents, ServerEmits, Record<string, never>, ClientData>;

export interface LiveSocketServer {
  readonly io: Server<ClientToServerEvents, ServerEmits, Record<string, never>, ClientData>;
  /** Runs one round of the stream (the clock calls it every tick; tests may call it directly). */
  flush(): void;
  close(): Promise<void>;
}

/** Per-client write buffer length; engine.io keeps unsent packets there. */
function writeBufferOf(socket: LiveSocket): number {
  return (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
}

/**
 * The live map's socket: the handshake must carry a valid session cookie (else connect_error
 * `unauthorized`); each client declares a viewport and then receives a `snapshot`, followed by
 * coalesced `delta`s of what changed inside it, at most 4 per second. Flow control lives in the
 * pure ClientStream: a client that stops acknowledging, or whose write buffer grows, is skipped
 * and later receives one fresh snapshot, so no per-client queue can grow without bound.
 */
export function attachLiveSocket(server: HttpServer, o: LiveSocketOptions): LiveSocketServer {
  const io = new Server<ClientToServerEvents, ServerEmits, Record<string, never>, ClientData>(server, {
    serveClient: false,
    parser: preEncodedParser,
    // Same origin only: the page and the socket share scheme, host and port.
    cors: { origin: false },
    maxHttpBufferSize: 16 * 1024,
  });
  const index = buildViewportIndex(o.live.network);
  const views = new ViewCatalog();

  io.use((socket, next) => {
    const cookies = o.app.parseCookie(socket.handshake.headers.cookie ?? '');
    const session = sessionFromCookie(o.app, o.sessions, cookies[SESSION_COOKIE], o.clock.now());
    if (!session) {
      next(new Error('unauthorized'));
      return;
    }
    socket.data.name = session.name;
    socket.data.stream = new ClientStream(o.limits);
    socket.data.ids = null;
    next();
  });

  io.on('connection', (socket) => {
    socket.on('viewport', (raw: unknown) => {
      const v = Viewport.safeParse(raw);
      if (!v.success) return;
      const previous = socket.data.ids;
      socket.data.ids = views.acquire(filterViewport(index, v.data));
      if (previous) views.release(previous);
      socket.data.stream.viewportChanged();
    });
    socket.on('disconnect', () => {
      if (socket.data.ids) views.release(socket.data.ids);
      socket.data.ids = null;
    });
  });

  const ack = (socket: LiveSocket) => () => socket.data.stream.acked();

  const flush = (): void => {
    const now = o.clock.now();
    const seq = o.live.seq;
    const memo = new FlushMemo(o.live, now);
    for (const socket of io.of('/').sockets.values()) {
      const { stream, ids } = socket.data;
      if (!ids) continue;
      const action = stream.next(now, seq, writeBufferOf(socket));
      if (action === 'snapshot') {
        stream.sent('snapshot', now, seq);
        socket.emit('snapshot', memo.snapshot(ids), ack(socket));
      } else if (action === 'delta') {
        const delta = memo.delta(ids, stream.seenSeq);
        if (!delta) {
          stream.skipped(seq);
        } else {
          stream.sent('delta', now, seq);
          socket.emit('delta', delta, ack(socket));
        }
      }
    }
  };

  const stop = o.clock.every(o.tickMs ?? 50, flush);
  return {
    io,
    flush,
    close: async () => {
      stop();
      // Not io.close(): that would close the HTTP server, which belongs to fastify.
      io.disconnectSockets(true);
      io.engine.close();
    },
  };
}
