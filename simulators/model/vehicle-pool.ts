/**
 * Every vehicle in the model is an index into these typed arrays, never an object: a city of
 * 4,000 junctions holds tens of thousands of vehicles and steps them every second. Vehicles wait
 * in FIFOs chained through `next`; freed slots are reused.
 */
export class VehiclePool {
  /** When the vehicle reaches the stop line of its current link, model seconds. */
  ready = new Float64Array(1024);
  /** Delay collected so far, s. */
  delay = new Float64Array(1024);
  /** Movement it takes at the end of its link (−1: its trip ends there). */
  move = new Int32Array(1024);
  /** Next vehicle in the same FIFO (−1: none), or the next free slot. */
  next = new Int32Array(1024);
  stops = new Uint16Array(1024);
  #used = 0;
  #free = -1;

  /** A fresh vehicle: no delay, no stops yet. */
  alloc(): number {
    let v = this.#free;
    if (v >= 0) this.#free = this.next[v] ?? -1;
    else {
      if (this.#used === this.ready.length) this.#grow(this.ready.length * 2);
      v = this.#used++;
    }
    this.delay[v] = 0;
    this.stops[v] = 0;
    return v;
  }

  release(v: number): void {
    this.next[v] = this.#free;
    this.#free = v;
  }

  #grow(n: number): void {
    const grow = <T extends Float64Array | Int32Array | Uint16Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.ready = grow(this.ready, new Float64Array(n));
    this.delay = grow(this.delay, new Float64Array(n));
    this.move = grow(this.move, new Int32Array(n));
    this.next = grow(this.next, new Int32Array(n));
    this.stops = grow(this.stops, new Uint16Array(n));
  }
}
