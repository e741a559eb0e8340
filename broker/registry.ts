import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import DatabaseConstructor, { type Database, type Statement } from 'better-sqlite3';
import { z } from 'zod';
import type { SenderIdentity, ServiceRight } from '../protocol/identity.ts';
import { type Approach, type DeviceType, EntityId, type MeterKind } from '../protocol/ids.ts';
import { migrate } from './registry-schema.ts';
import {
  type AuthResult,
  type Credentials,
  type DeviceRecord,
  DeviceSpec,
  OperatorName,
  OperatorPassword,
  type OperatorRecord,
  OperatorRole,
  RegistryError,
  type ServiceRecord,
  ServiceRightSchema,
} from './registry-types.ts';
import {
  generatePassword,
  generateSecret,
  hashSecret,
  MACHINE_SECRET_COST,
  PASSWORD_COST,
  verifySecret,
} from './secrets.ts';

export * from './registry-types.ts';

export interface RegistryOptions {
  /** Clock for created/revoked stamps (ms since epoch). */
  readonly now?: () => number;
}

interface DeviceRow {
  id: string;
  type: DeviceType;
  secret_hash: string;
  intersection_id: string | null;
  approach: Approach | null;
  gateway_id: string | null;
  meter_kind: MeterKind | null;
  created_at: number;
  revoked_at: number | null;
}

interface ServiceRow {
  id: string;
  secret_hash: string;
  rights: string;
  created_at: number;
  revoked_at: number | null;
}

interface OperatorRow {
  name: string;
  password_hash: string;
  role: OperatorRole;
  created_at: number;
  revoked_at: number | null;
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new RegistryError('invalid', `invalid ${what}: ${issues.join('; ')}`);
}

const toDeviceRecord = (r: DeviceRow): DeviceRecord => ({
  id: r.id,
  type: r.type,
  intersectionId: r.intersection_id,
  approach: r.approach,
  gatewayId: r.gateway_id,
  meterKind: r.meter_kind,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

const parseRights = (s: string): ServiceRight[] => s.split(',').filter((x) => x.length > 0) as ServiceRight[];

/**
 * The device, service-account and operator registry: one SQLite file (WAL, so the broker reads
 * while the `city` CLI writes). Secrets are stored only as scrypt hashes. Devices and services
 * share one id space (the MQTT username), and an id is never reused, even after revocation, so a
 * revoked credential can never come back to life under a new owner.
 */
export class Registry {
  readonly #db: Database;
  readonly #now: () => number;
  readonly #q: {
    device: Statement<[string], DeviceRow>;
    service: Statement<[string], ServiceRow>;
    operator: Statement<[string], OperatorRow>;
    idTaken: Statement<[string, string], { id: string }>;
    gatewayMeters: Statement<[string], { id: string; meter_kind: MeterKind | null }>;
    insertDevice: Statement<[DeviceRow]>;
    revokedIds: Statement<[], { id: string }>;
  };
  // A hash to verify against when the id is unknown, so a refusal takes as long whether or not
  // the id exists (no probing for valid ids by timing).
  #dummyMachineHash: Promise<string> | null = null;
  #dummyPasswordHash: Promise<string> | null = null;

  private constructor(db: Database, now: () => number) {
    this.#db = db;
    this.#now = now;
    this.#q = {
      device: db.prepare('SELECT * FROM devices WHERE id = ?'),
      service: db.prepare('SELECT * FROM services WHERE id = ?'),
      operator: db.prepare('SELECT * FROM operators WHERE name = ?'),
      idTaken: db.prepare(
        'SELECT id FROM devices WHERE id = ? UNION ALL SELECT id FROM services WHERE id = ?',
      ),
      gatewayMeters: db.prepare(
        "SELECT id, meter_kind FROM devices WHERE gateway_id = ? AND type = 'meter' AND revoked_at IS NULL",
      ),
      insertDevice: db.prepare(
        `INSERT INTO devices (id, type, secret_hash, intersection_id, approach, gateway_id, meter_kind, created_at, revoked_at)
         VALUES (@id, @type, @secret_hash, @intersection_id, @approach, @gateway_id, @meter_kind, @created_at, @revoked_at)`,
      ),
      revokedIds: db.prepare(
        'SELECT id FROM devices WHERE revoked_at IS NOT NULL UNION ALL SELECT id FROM services WHERE revoked_at IS NOT NULL',
      ),
    };
  }

  /** Opens (creating it and its folder if needed) and migrates the registry at `path`. */
  static open(path: string, options: RegistryOptions = {}): Registry {
    mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseConstructor(path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // The CLI and the broker share the file; wait for the other's write instead of failing.
      db.pragma('busy_timeout = 5000');
      migrate(db);
      return new Registry(db, options.now ?? Date.now);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  close(): void {
    this.#db.close();
  }

  // ---- devices -------------------------------------------------------------------------------

  async addDevice(spec: DeviceSpec): Promise<Credentials> {
    const [creds] = await this.addDevices([spec]);
    return creds as Credentials;
  }

  /**
   * Provisions many devices in one transaction: all or none. Meters may name a gateway that is
   * in the same batch.
   */
  async addDevices(specs: readonly DeviceSpec[]): Promise<Credentials[]> {
    const parsed = specs.map((s, i) =>
      parseOrThrow(DeviceSpec, s, `device ${typeof s?.id === 'string' ? s.id : `#${i}`}`),
    );
    const seen = new Set<string>();
    for (const d of parsed) {
      if (seen.has(d.id)) throw new RegistryError('invalid', `device ${d.id} appears twice in the batch`);
      seen.add(d.id);
    }
    // Hash before the transaction: the scrypt work runs on libuv's pool and must not hold the
    // write lock (the broker and CLI share the file).
    const secrets = parsed.map(() => generateSecret());
    const hashes = await Promise.all(secrets.map((s) => hashSecret(s, MACHINE_SECRET_COST)));
    const createdAt = this.#now();
    this.#db.transaction(() => {
      for (const [i, d] of parsed.entries()) {
        this.#assertIdFree(d.id);
        this.#q.insertDevice.run({
          id: d.id,
          type: d.type,
          secret_hash: hashes[i] as string,
          intersection_id: d.intersectionId ?? null,
          approach: d.approach ?? null,
          gateway_id: d.gatewayId ?? null,
          meter_kind: d.meterKind ?? null,
          created_at: createdAt,
          revoked_at: null,
        });
      }
      for (const d of parsed) {
        if (d.gatewayId === undefined) continue;
        const gw = this.#q.device.get(d.gatewayId);
        if (gw?.type !== 'gateway') {
          throw new RegistryError('invalid', `meter ${d.id}: ${d.gatewayId} is not a registered gateway`);
        }
      }
    })();
    return parsed.map((d, i) => ({ id: d.id, secret: secrets[i] as string }));
  }

  /** Revokes a device: it can no longer connect, and the broker disconnects it within ~10 s. */
  revokeDevice(id: string): void {
    this.#revoke('devices', 'id', id, 'device');
  }

  listDevices(filter: { type?: DeviceType } = {}): DeviceRecord[] {
    const rows =
      filter.type === undefined
        ? this.#db.prepare<[], DeviceRow>('SELECT * FROM devices ORDER BY id').all()
        : this.#db
            .prepare<[string], DeviceRow>('SELECT * FROM devices WHERE type = ? ORDER BY id')
            .all(filter.type);
    return rows.map(toDeviceRecord);
  }

  // ---- service accounts ----------------------------------------------------------------------

  async addService(id: string, rights: readonly ServiceRight[]): Promise<Credentials> {
    const sid = parseOrThrow(EntityId, id, 'service id');
    const r = parseOrThrow(z.array(ServiceRightSchema).min(1, 'at least one right'), rights, 'rights');
    const secret = generateSecret();
    const hash = await hashSecret(secret, MACHINE_SECRET_COST);
    this.#db.transaction(() => {
      this.#assertIdFree(sid);
      this.#db
        .prepare('INSERT INTO services (id, secret_hash, rights, created_at) VALUES (?, ?, ?, ?)')
        .run(sid, hash, [...new Set(r)].join(','), this.#now());
    })();
    return { id: sid, secret };
  }

  revokeService(id: string): void {
    this.#revoke('services', 'id', id, 'service');
  }

  listServices(): ServiceRecord[] {
    return this.#db
      .prepare<[], ServiceRow>('SELECT * FROM services ORDER BY id')
      .all()
      .map((r) => ({
        id: r.id,
        rights: parseRights(r.rights),
        createdAt: r.created_at,
        revokedAt: r.revoked_at,
      }));
  }

  // ---- authentication ------------------------------------------------------------------------

  /** The sender identity for a device or service id and secret; null for unknown, wrong or revoked. */
  async authenticate(id: string, secret: string): Promise<SenderIdentity | null> {
    const r = await this.check(id, secret);
    return r.ok ? r.identity : null;
  }

  /** As authenticate, but says why it failed (for metrics and logs; never tell the client). */
  async check(id: string, secret: string): Promise<AuthResult> {
    const device = this.#q.device.get(id);
    const service = device === undefined ? this.#q.service.get(id) : undefined;
    const row = device ?? service;
    if (row === undefined) {
      this.#dummyMachineHash ??= hashSecret(generateSecret(), MACHINE_SECRET_COST);
      await verifySecret(secret, await this.#dummyMachineHash);
      return { ok: false, reason: 'unknown' };
    }
    if (!(await verifySecret(secret, row.secret_hash))) return { ok: false, reason: 'bad_secret' };
    if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
    return {
      ok: true,
      identity: device !== undefined ? this.#deviceIdentity(device) : serviceIdentity(row as ServiceRow),
    };
  }

  /** The live meters registered behind a gateway, with their kind (null: not recorded). */
  gatewayMeters(gatewayId: string): Map<string, MeterKind | null> {
    return new Map(this.#q.gatewayMeters.all(gatewayId).map((m) => [m.id, m.meter_kind]));
  }

  /** Ids of every revoked device and service (a small set: the broker's revocation sweep reads it). */
  revokedIds(): Set<string> {
    return new Set(this.#q.revokedIds.all().map((r) => r.id));
  }

  // ---- operators -----------------------------------------------------------------------------

  /**
   * Adds an operator (or re-activates a revoked one with a new password); generates the password
   * when none is given. The password is returned once and stored only as a hash.
   */
  async addOperator(
    name: string,
    role: OperatorRole,
    password?: string,
  ): Promise<{ name: string; password: string }> {
    const n = parseOrThrow(OperatorName, name, 'operator name');
    const r = parseOrThrow(OperatorRole, role, 'role');
    const pw =
      password === undefined ? generatePassword() : parseOrThrow(OperatorPassword, password, 'password');
    const hash = await hashSecret(pw, PASSWORD_COST);
    this.#db.transaction(() => {
      const existing = this.#q.operator.get(n);
      if (existing !== undefined && existing.revoked_at === null) {
        throw new RegistryError('exists', `operator ${n} already exists`);
      }
      this.#db
        .prepare(
          `INSERT INTO operators (name, password_hash, role, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role,
             created_at = excluded.created_at, revoked_at = NULL`,
        )
        .run(n, hash, r, this.#now());
    })();
    return { name: n, password: pw };
  }

  /** The operator's name and role when the password is right and the operator is not revoked. */
  async verifyOperator(name: string, password: string): Promise<{ name: string; role: OperatorRole } | null> {
    const row = this.#q.operator.get(name);
    if (row === undefined) {
      this.#dummyPasswordHash ??= hashSecret(generatePassword(), PASSWORD_COST);
      await verifySecret(password, await this.#dummyPasswordHash);
      return null;
    }
    if (!(await verifySecret(password, row.password_hash)) || row.revoked_at !== null) return null;
    return { name: row.name, role: row.role };
  }

  listOperators(): OperatorRecord[] {
    return this.#db
      .prepare<[], OperatorRow>('SELECT * FROM operators ORDER BY name')
      .all()
      .map((r) => ({ name: r.name, role: r.role, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  revokeOperator(name: string): void {
    this.#revoke('operators', 'name', name, 'operator');
  }

  // ---- internals -----------------------------------------------------------------------------

  #assertIdFree(id: string): void {
    if (this.#q.idTaken.get(id, id) !== undefined) {
      throw new RegistryError('exists', `${id} is already registered (ids are never reused)`);
    }
  }

  /** Idempotent: revoking twice keeps the first revocation time. */
  #revoke(
    table: 'devices' | 'services' | 'operators',
    key: 'id' | 'name',
    value: string,
    what: string,
  ): void {
    const changed = this.#db
      .prepare(`UPDATE ${table} SET revoked_at = ? WHERE ${key} = ? AND revoked_at IS NULL`)
      .run(this.#now(), value).changes;
    if (
      changed === 0 &&
      this.#db.prepare(`SELECT 1 FROM ${table} WHERE ${key} = ?`).get(value) === undefined
    ) {
      throw new RegistryError('not_found', `no ${what} ${value}`);
    }
  }

  #deviceIdentity(row: DeviceRow): SenderIdentity {
    const gatewayMeters = row.type === 'gateway' ? this.gatewayMeters(row.id) : null;
    return Object.freeze({
      id: row.id,
      role: 'device',
      deviceType: row.type,
      intersectionId: row.intersection_id,
      approach: row.approach,
      meterKind: row.meter_kind,
      gatewayMeters,
      rights: [],
    });
  }
}

function serviceIdentity(row: ServiceRow): SenderIdentity {
  return Object.freeze({
    id: row.id,
    role: 'service',
    deviceType: null,
    intersectionId: null,
    approach: null,
    meterKind: null,
    gatewayMeters: null,
    rights: Object.freeze(parseRights(row.rights)),
  });
}
