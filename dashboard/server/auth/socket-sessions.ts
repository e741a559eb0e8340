import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from './auth-plugin.ts';
import type { SessionStore } from './session-store.ts';

/** What the check needs of a socket.io socket. */
export interface SessionSocket {
  readonly handshake: { readonly headers: { readonly cookie?: string | undefined } };
  disconnect(close?: boolean): unknown;
}

/**
 * Holds the live map's sockets to their sessions after the handshake: an open map is the
 * operator at work, so it keeps the session from idling out, but a socket whose session ended
 * (logout, absolute lifetime, operator revoked or given another role) is disconnected, or a
 * revoked operator would keep receiving the city's live state until they closed the tab.
 */
export class SocketSessions {
  /** The session token of each socket's handshake cookie, unsigned once (null: none valid). */
  private readonly tokens = new WeakMap<SessionSocket, string | null>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly sessions: SessionStore,
  ) {}

  /** Touches the session of every socket and disconnects those without one; returns how many. */
  check(sockets: Iterable<SessionSocket>, nowMs: number): number {
    let dropped = 0;
    for (const socket of sockets) {
      const token = this.tokenOf(socket);
      if (token !== null && this.sessions.touch(token, nowMs) !== null) continue;
      socket.disconnect(true);
      dropped += 1;
    }
    return dropped;
  }

  private tokenOf(socket: SessionSocket): string | null {
    const known = this.tokens.get(socket);
    if (known !== undefined) return known;
    const raw = this.app.parseCookie(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE];
    const unsigned = raw === undefined ? null : this.app.unsignCookie(raw);
    const token = unsigned?.valid ? unsigned.value : null;
    this.tokens.set(socket, token);
    return token;
  }
}
