import mqtt, { type MqttClient } from 'mqtt';
import { topics } from '../../protocol/topics.ts';

export interface FleetCamera {
  readonly id: string;
  readonly secret: string;
}

/**
 * Real MQTT cameras for the platform's durability tests: each publishes QoS 1 counts with a
 * unique `ts` per message and remembers which ones were acknowledged (PUBACK). mqtt.js keeps
 * unacknowledged messages in its outgoing store and resends them after a reconnect, as a device
 * must.
 */
export class CameraFleet {
  readonly acked = new Map<string, Set<number>>();
  readonly #clients: MqttClient[] = [];
  #timer: NodeJS.Timeout | null = null;
  #seq = 0;
  #inFlight = 0;
  readonly #baseTs: number;

  constructor(
    readonly brokerUrl: string,
    readonly cameras: readonly FleetCamera[],
    baseTs: number,
  ) {
    this.#baseTs = baseTs;
  }

  async connect(): Promise<void> {
    await Promise.all(
      this.cameras.map(
        (c) =>
          new Promise<void>((resolve, reject) => {
            const client = mqtt.connect(this.brokerUrl, {
              clientId: c.id,
              username: c.id,
              password: c.secret,
              reconnectPeriod: 250,
              connectTimeout: 5_000,
              // Resend what was not acknowledged after a reconnect (the broker keeps no session).
              clean: true,
              queueQoSZero: false,
            });
            client.once('connect', () => resolve());
            client.once('error', reject);
            this.#clients.push(client);
            this.acked.set(c.id, new Set());
          }),
      ),
    );
  }

  /** Publishes `perTick` messages round-robin every `tickMs` until stop(). */
  start(perTick: number, tickMs = 50): void {
    this.#timer = setInterval(() => {
      for (let i = 0; i < perTick; i++) this.#publishOne();
    }, tickMs);
  }

  #publishOne(): void {
    const n = this.#seq++;
    const index = n % this.#clients.length;
    const client = this.#clients[index];
    const camera = this.cameras[index];
    if (client === undefined || camera === undefined) return;
    // Per camera one message per ms step: (camera, ts) is unique, so no two readings collide.
    const ts = this.#baseTs + Math.floor(n / this.#clients.length);
    const payload = JSON.stringify({ ts, intervalS: 5, intensity: n % 50, occupancy: 0.2 });
    this.#inFlight++;
    client.publish(topics.cameraCounts.of(camera.id), payload, { qos: 1 }, (err) => {
      this.#inFlight--;
      if (!err) this.acked.get(camera.id)?.add(ts);
    });
  }

  get published(): number {
    return this.#seq;
  }

  get ackedCount(): number {
    let n = 0;
    for (const s of this.acked.values()) n += s.size;
    return n;
  }

  /** Stops publishing and waits until every published message was acknowledged (or the deadline). */
  async stop(timeoutMs = 120_000): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    const deadline = Date.now() + timeoutMs;
    while (this.#inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await Promise.all(this.#clients.map((c) => c.endAsync(true)));
  }
}
