import { io, type Socket } from 'socket.io-client';
import {
  type ClientToServerEvents,
  Delta,
  type ServerToClientEvents,
  Snapshot,
  type Viewport,
} from '../../shared/contract.ts';
import type { LiveChange, LiveStore } from './live-store.ts';

export interface LiveClientEvents {
  /** A snapshot or delta was applied to the store. */
  onChange(change: LiveChange): void;
  /** Connected, disconnected, or the server refused the session. */
  onConnection(state: 'connected' | 'disconnected' | 'unauthorized'): void;
}

/**
 * The socket.io link to the server. socket.io reconnects on its own (with backoff); on every
 * (re)connect we send the current viewport so the server answers with a fresh snapshot.
 */
export class LiveClient {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private viewport: Viewport | null = null;
  /** Client clock of the last event applied (null: none yet). */
  lastEventAtMs: number | null = null;
  invalidEvents = 0;

  constructor(
    private readonly store: LiveStore,
    private readonly events: LiveClientEvents,
    private readonly clock: () => number = Date.now,
  ) {
    this.socket = io({
      path: '/socket.io',
      withCredentials: true,
      transports: ['websocket', 'polling'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.socket.on('connect', () => {
      this.events.onConnection('connected');
      if (this.viewport) this.socket.emit('viewport', this.viewport);
    });
    this.socket.on('disconnect', (reason) => {
      this.events.onConnection('disconnected');
      // socket.io does not retry after the server hung up. The server hangs up when the session
      // ended (the retry's handshake then says `unauthorized`) or when it shuts down (sessions
      // survive a restart, so the retry reconnects once it is back).
      if (reason === 'io server disconnect') this.socket.connect();
    });
    this.socket.on('connect_error', (err) => {
      // The handshake checks the session cookie; an expired session cannot be fixed by retrying.
      if (err.message === 'unauthorized') this.events.onConnection('unauthorized');
      else this.events.onConnection('disconnected');
    });
    this.socket.on('snapshot', (raw, ack) => {
      const s = Snapshot.safeParse(raw);
      if (s.success) this.applied(this.store.applySnapshot(s.data));
      else this.invalidEvents++;
      ack?.();
    });
    this.socket.on('delta', (raw, ack) => {
      const d = Delta.safeParse(raw);
      if (d.success) {
        const change = this.store.applyDelta(d.data);
        if (change) this.applied(change);
      } else {
        this.invalidEvents++;
      }
      // Ack only after the work is done: a browser that cannot keep up acks late and the server
      // sends it one fresh snapshot instead of a growing queue.
      ack?.();
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  setViewport(v: Viewport): void {
    this.viewport = v;
    if (this.socket.connected) this.socket.emit('viewport', v);
  }

  close(): void {
    this.socket.close();
  }

  private applied(change: LiveChange): void {
    this.lastEventAtMs = this.clock();
    this.events.onChange(change);
  }
}
