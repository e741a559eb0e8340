import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { createWebSocketStream, WebSocketServer } from 'ws';

export interface ListenOptions {
  /** MQTT 3.1.1 over plain TCP (0: any free port). */
  readonly tcpPort: number;
  readonly host: string;
  /** MQTT over WebSocket on path /mqtt; omitted: no WebSocket listener. */
  readonly wsPort?: number;
  /** MQTT over TLS; `cert` and `key` are PEM file paths. Omitted: no TLS listener. */
  readonly tls?: { readonly port: number; readonly cert: string; readonly key: string };
}

export interface ListeningPorts {
  readonly tcpPort: number;
  readonly wsPort?: number;
  readonly tlsPort?: number;
}

export interface Listeners {
  readonly ports: ListeningPorts;
  /** Stops accepting connections; resolves once every server has closed (see destroyConnections). */
  stopAccepting(): Promise<void>;
  /** Destroys every connection still open (e.g. ones that never sent CONNECT). */
  destroyConnections(): void;
}

export type ConnectionHandler = (stream: Duplex, req?: IncomingMessage) => unknown;

/** The path MQTT-over-WebSocket clients connect to (`ws://host:port/mqtt`, as mqtt.js defaults). */
export const WS_PATH = '/mqtt';

// Node's default accept backlog (511) overflows when thousands of devices reconnect at once
// after a restart, and the kernel then resets them; Linux caps this at net.core.somaxconn.
const BACKLOG = 4096;

function listenOn(server: Server | HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: BACKLOG }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Opens the broker's listeners and hands every connection (a byte stream) to `handle`, which is
 * aedes' connection handler. This is the only broker file that opens sockets.
 */
export async function startListeners(handle: ConnectionHandler, opts: ListenOptions): Promise<Listeners> {
  const servers: (Server | HttpServer)[] = [];
  // Every raw connection, so shutdown can end the ones aedes does not know about: a socket that
  // never sent CONNECT would otherwise hold its server open until aedes' 30 s connect timeout.
  const sockets = new Set<Socket>();
  const track = (server: Server | HttpServer) => {
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    servers.push(server);
  };
  let wss: WebSocketServer | null = null;
  const stopAccepting = async () => {
    wss?.close();
    await Promise.all(servers.map(closeServer));
  };
  const destroyConnections = () => {
    for (const s of sockets) s.destroy();
  };
  try {
    // Nagle off: QoS 1 PUBACKs are small and latency-bound.
    const tcp = createNetServer((socket: Socket) => {
      socket.setNoDelay(true);
      handle(socket);
    });
    track(tcp);
    const tcpPort = await listenOn(tcp, opts.tcpPort, opts.host);

    let wsPort: number | undefined;
    if (opts.wsPort !== undefined) {
      const http = createHttpServer((_req, res) => {
        res.statusCode = 404;
        res.end();
      });
      track(http);
      const ws = new WebSocketServer({ server: http, path: WS_PATH });
      wss = ws;
      ws.on('connection', (socket, req) => {
        const stream = createWebSocketStream(socket);
        // a client that vanishes mid-frame must not surface as an unhandled stream error
        stream.on('error', () => stream.destroy());
        handle(stream, req);
      });
      wsPort = await listenOn(http, opts.wsPort, opts.host);
    }

    let tlsPort: number | undefined;
    if (opts.tls !== undefined) {
      const secure = createTlsServer(
        { cert: readFileSync(opts.tls.cert), key: readFileSync(opts.tls.key) },
        (s) => {
          s.setNoDelay(true);
          handle(s);
        },
      );
      // 'secureConnection' sockets wrap the raw ones tracked through 'connection'
      track(secure);
      tlsPort = await listenOn(secure, opts.tls.port, opts.host);
    }

    const ports: ListeningPorts = {
      tcpPort,
      ...(wsPort !== undefined ? { wsPort } : {}),
      ...(tlsPort !== undefined ? { tlsPort } : {}),
    };
    return { ports, stopAccepting, destroyConnections };
  } catch (err) {
    const stopped = stopAccepting();
    destroyConnections();
    await stopped;
    throw err;
  }
}
