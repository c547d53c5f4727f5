import { LINE_CLOCK_MIGRATION_SQL, PENDING_ROWS_MIGRATION_SQL, ROLLUP_MIGRATION_SQL } from './rollup-schema'
import type { Sql } from './sql'

/** One versioned schema step; applied in order, each inside its own transaction. */
export interface Migration {
  version: number
  sql: string
}

/** Every schema version of the results database, shared by the station (PGlite) and the line server (PostgreSQL). */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
CREATE TABLE unit (serial text PRIMARY KEY, imei text, iccid text, first_seen timestamptz NOT NULL);
CREATE TABLE run (
  id text PRIMARY KEY, serial text NOT NULL, imei text, iccid text, station text, started_at timestamptz NOT NULL,
  ended_at timestamptz, verdict text NOT NULL, status text NOT NULL, file text, digest text);
CREATE INDEX run_serial ON run (lower(serial));
CREATE INDEX run_started ON run (started_at);
CREATE TABLE step (
  run_id text NOT NULL REFERENCES run(id) ON DELETE CASCADE, ordinal int NOT NULL, step_id text NOT NULL, title text NOT NULL,
  verdict text NOT NULL, cause text, duration_ms double precision, PRIMARY KEY (run_id, ordinal));
`,
  },
  {
    version: 2,
    sql: `
ALTER TABLE run ADD COLUMN simulated boolean NOT NULL DEFAULT false;
ALTER TABLE run ADD COLUMN purpose text NOT NULL DEFAULT 'production';
ALTER TABLE run ADD COLUMN record jsonb;
CREATE INDEX run_imei ON run (lower(imei));
CREATE INDEX run_iccid ON run (lower(iccid));
CREATE INDEX run_station_started ON run (station, started_at);
CREATE INDEX step_failed ON step (run_id) WHERE cause IS NOT NULL;
CREATE TABLE measurement (
  run_id text NOT NULL, step_ordinal int NOT NULL, ordinal int NOT NULL, name text NOT NULL, value text, num double precision,
  unit text, outcome text NOT NULL, PRIMARY KEY (run_id, step_ordinal, ordinal),
  FOREIGN KEY (run_id, step_ordinal) REFERENCES step(run_id, ordinal) ON DELETE CASCADE);
CREATE TABLE outbox (
  run_id text PRIMARY KEY, record_text text NOT NULL, queued_at timestamptz NOT NULL DEFAULT now(), attempts int NOT NULL DEFAULT 0,
  state text NOT NULL DEFAULT 'waiting', last_error text, next_try_at timestamptz NOT NULL DEFAULT now(), delivered_at timestamptz);
CREATE TABLE refusal (run_id text NOT NULL, station text, reason text NOT NULL, at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run_id, reason));
`,
  },
  { version: 3, sql: ROLLUP_MIGRATION_SQL },
  { version: 4, sql: PENDING_ROWS_MIGRATION_SQL },
  { version: 5, sql: LINE_CLOCK_MIGRATION_SQL },
]

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version

/** Applies every migration above the database's version (up to `target`), each in a transaction under an advisory lock (servers starting at once migrate once); returns the versions applied. A current schema is only read (a station role that may not create tables migrates nothing). Trusts `sql` to be one database. */
export async function migrate(sql: Sql, target = SCHEMA_VERSION): Promise<number[]> {
  const applied: number[] = []
  if ((await schemaVersion(sql)) >= Math.min(target, SCHEMA_VERSION)) return applied
  for (const m of MIGRATIONS) {
    if (m.version > target) break
    const done = await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(230017)')
      await tx.exec('CREATE TABLE IF NOT EXISTS schema_version (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())')
      const { rows } = await tx.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version')
      if ((rows[0]?.v ?? 0) >= m.version) return false
      await tx.exec(m.sql)
      await tx.query('INSERT INTO schema_version (version) VALUES ($1)', [m.version])
      return true
    })
    if (done) applied.push(m.version)
  }
  return applied
}

/** Recomputes every roll-up from the raw run and step rows (what migration 3 does once); for bulk loads made with the roll-up triggers disabled. */
export async function rebuildRollups(sql: Sql): Promise<void> {
  await sql.query('SELECT k230_rebuild_all()')
}

/** The database's schema version (0 when never migrated). */
export async function schemaVersion(sql: Sql): Promise<number> {
  const { rows: present } = await sql.query<{ present: boolean }>("SELECT to_regclass('schema_version') IS NOT NULL AS present")
  if (!present[0]?.present) return 0
  const { rows } = await sql.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version')
  return Number(rows[0]?.v ?? 0)
}
