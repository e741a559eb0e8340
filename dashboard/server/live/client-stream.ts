/** Limits of one client's live stream. */
export interface StreamLimits {
  /** At least this long between two emissions: 250 ms = at most 4 per second. */
  readonly minIntervalMs: number;
  /** Emissions sent but not yet acknowledged before the client counts as behind. */
  readonly maxInFlight: number;
  /** An emission not acknowledged within this long counts as lost. */
  readonly ackTimeoutMs: number;
  /** Packets waiting in the socket's write buffer before the client counts as behind. */
  readonly maxWriteBuffer: number;
}

export const defaultStreamLimits: StreamLimits = {
  minIntervalMs: 250,
  maxInFlight: 4,
  ackTimeoutMs: 10_000,
  maxWriteBuffer: 16,
};

export type StreamAction = 'none' | 'snapshot' | 'delta';

/**
 * The pure flow control of one socket: decides, at each tick, whether the client gets nothing,
 * a coalesced delta, or a fresh snapshot. Changes are never queued per client: the client only
 * remembers the store sequence it has seen, so a delta always carries the latest values, and a
 * client that falls behind (unacknowledged emissions pile up, or the socket's write buffer grows)
 * is skipped until it catches up and then receives one snapshot instead of the backlog.
 */
export class ClientStream {
  private readonly limits: StreamLimits;
  private hasViewport = false;
  private needsSnapshot = true;
  private lastEmitMs = Number.NEGATIVE_INFINITY;
  private sentAt: number[] = [];
  /** Store sequence the client has been brought up to. */
  seenSeq = 0;
  /** How often this client was found behind and resynchronised (for metrics and tests). */
  resyncs = 0;

  constructor(limits: Partial<StreamLimits> = {}) {
    this.limits = { ...defaultStreamLimits, ...limits };
  }

  /** A new viewport: the next emission is a snapshot of it. */
  viewportChanged(): void {
    this.hasViewport = true;
    this.needsSnapshot = true;
  }

  get inFlight(): number {
    return this.sentAt.length;
  }

  next(nowMs: number, storeSeq: number, writeBuffer: number): StreamAction {
    if (!this.hasViewport) return 'none';
    const oldest = this.sentAt[0];
    if (oldest !== undefined && nowMs - oldest >= this.limits.ackTimeoutMs) {
      // Acks this late are as good as lost: stop waiting and start over with a snapshot.
      this.sentAt = [];
      this.behind();
    }
    if (this.sentAt.length >= this.limits.maxInFlight || writeBuffer > this.limits.maxWriteBuffer) {
      this.behind();
      return 'none';
    }
    if (nowMs - this.lastEmitMs < this.limits.minIntervalMs) return 'none';
    if (this.needsSnapshot) {
      // A resync waits until everything sent earlier is acknowledged, so the snapshot is not
      // stuck behind the backlog it replaces.
      return this.sentAt.length === 0 ? 'snapshot' : 'none';
    }
    return storeSeq > this.seenSeq ? 'delta' : 'none';
  }

  /** Record an emission of `action` carrying the store up to `seq`. */
  sent(action: 'snapshot' | 'delta', nowMs: number, seq: number): void {
    if (action === 'snapshot') this.needsSnapshot = false;
    this.lastEmitMs = nowMs;
    this.seenSeq = seq;
    this.sentAt.push(nowMs);
  }

  /** A delta turned out empty for this viewport: nothing to send, but the changes are seen. */
  skipped(seq: number): void {
    this.seenSeq = seq;
  }

  acked(): void {
    this.sentAt.shift();
  }

  private behind(): void {
    if (!this.needsSnapshot) this.resyncs += 1;
    this.needsSnapshot = true;
  }
}
