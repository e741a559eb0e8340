import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran. Append only:
 * a shipped migration is never edited, a change is a new entry.
 */
const migrations: readonly string[] = [
  `
  CREATE TABLE devices (
    id              TEXT PRIMARY KEY,
    type            TEXT NOT NULL CHECK (type IN ('camera', 'signal', 'meter', 'gateway')),
    secret_hash     TEXT NOT NULL,
    intersection_id TEXT,
    approach        TEXT CHECK (approach IN ('N', 'E', 'S', 'W')),
    gateway_id      TEXT,
    meter_kind      TEXT CHECK (meter_kind IN ('water', 'electricity')),
    created_at      INTEGER NOT NULL,
    revoked_at      INTEGER
  ) STRICT;
  CREATE INDEX devices_by_gateway ON devices (gateway_id) WHERE gateway_id IS NOT NULL;
  CREATE INDEX devices_revoked ON devices (revoked_at) WHERE revoked_at IS NOT NULL;

  CREATE TABLE services (
    id          TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    rights      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
  ) STRICT;

  CREATE TABLE operators (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER
  ) STRICT;
  `,
];

export const SCHEMA_VERSION = migrations.length;

/**
 * Brings the database up to SCHEMA_VERSION; refuses a file written by a newer version. Runs in
 * one IMMEDIATE transaction so two processes opening a fresh file at once (the broker and the
 * `city` CLI) cannot both try to create the tables.
 */
export function migrate(db: Database): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new Error(`registry schema version ${current} is newer than this program's (${SCHEMA_VERSION})`);
    }
    for (let v = current; v < SCHEMA_VERSION; v++) db.exec(migrations[v] as string);
    if (current < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
