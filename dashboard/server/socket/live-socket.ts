import type { Server as HttpServer } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { Server, type Socket } from 'socket.io';
import { type ClientToServerEvents, type ServerToClientEvents, Viewport } from '../../shared/contract.ts';
import { SESSION_COOKIE, sessionFromCookie } from '../auth/auth-plugin.ts';
import type { SessionStore } from '../auth/session-store.ts';
import type { Clock } from '../clock.ts';
import { ClientStream, type StreamLimits } from '../live/client-stream.ts';
import { LiveState } from '../live/live-state.ts';
import { buildViewportIndex, filterViewport, type ViewportIds } from '../live/viewport-filter.ts';

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

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ClientData>;

export interface LiveSocketServer {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ClientData>;
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
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ClientData>(
    server,
    {
      serveClient: false,
      // Same origin only: the page and the socket share scheme, host and port.
      cors: { origin: false },
      maxHttpBufferSize: 16 * 1024,
    },
  );
  const index = buildViewportIndex(o.live.network);

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
      socket.data.ids = filterViewport(index, v.data);
      socket.data.stream.viewportChanged();
    });
  });

  const ack = (socket: LiveSocket) => () => socket.data.stream.acked();

  const flush = (): void => {
    const now = o.clock.now();
    const seq = o.live.seq;
    for (const socket of io.of('/').sockets.values()) {
      const { stream, ids } = socket.data;
      if (!ids) continue;
      const action = stream.next(now, seq, writeBufferOf(socket));
      if (action === 'snapshot') {
        stream.sent('snapshot', now, seq);
        socket.emit('snapshot', o.live.snapshot(ids, now), ack(socket));
      } else if (action === 'delta') {
        const delta = o.live.changesSince(stream.seenSeq, ids, now);
        if (LiveState.isEmpty(delta)) {
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
