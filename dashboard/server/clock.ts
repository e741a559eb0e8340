/** Time, handed in: the system clock in production, a driven clock in tests. */
export interface Clock {
  now(): number;
  /** Calls `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
};

/** A clock that only moves when told to: `advance` fires every timer that falls due, in order. */
export class ManualClock implements Clock {
  private timers = new Map<number, { ms: number; due: number; fn: () => void }>();
  private nextId = 1;

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  every(ms: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.set(id, { ms, due: this.t + ms, fn });
    return () => this.timers.delete(id);
  }

  /** Moves time forward by `ms`, firing timers as their due times pass. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: { id: number; due: number } | null = null;
      for (const [id, timer] of this.timers)
        if (timer.due <= end && (!next || timer.due < next.due)) next = { id, due: timer.due };
      if (!next) break;
      const timer = this.timers.get(next.id);
      if (!timer) break;
      this.t = timer.due;
      timer.due += timer.ms;
      timer.fn();
    }
    this.t = end;
  }
}
