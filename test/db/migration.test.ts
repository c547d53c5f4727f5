/** Schema migrations: a database at the previous schema version is migrated on start, keeping its rows, on PGlite and on a real PostgreSQL server. */
import { describe, expect, it } from 'vitest'
import { durations, findRunsSql, migrate, MIGRATIONS, openPg, openPglite, pareto, schemaVersion, SCHEMA_VERSION, storeRecord, unitsPerHour, yieldBy, yieldSql, type Sql } from '@engine/db/index'
import { rawDurations, rawUnitsPerHour, rawYieldBy, rawYieldSql } from './raw-reference'
import { postgresAvailable } from './postgres-server'
import { serverForSuite } from './server-for-suite'
import { stationRecord } from './records'

async function fromPreviousVersion(sql: Sql): Promise<void> {
  const previous = MIGRATIONS[MIGRATIONS.length - 2].version
  expect(await migrate(sql, previous)).toEqual(MIGRATIONS.filter((m) => m.version <= previous).map((m) => m.version))
  expect(await schemaVersion(sql)).toBe(previous)
  await sql.query(`INSERT INTO run (id, serial, imei, station, started_at, verdict, status, file) VALUES ('old-1', 'SN-OLD', '868300000000001', 'ST-OLD', '2026-11-20T08:00:00Z', 'pass', 'completed', 'old-1.json')`)
  await sql.query(`INSERT INTO step (run_id, ordinal, step_id, title, verdict, cause, duration_ms) VALUES ('old-1', 0, 'console', 'Console', 'pass', NULL, 1200)`)
  expect(await migrate(sql)).toEqual(MIGRATIONS.filter((m) => m.version > previous).map((m) => m.version))
  expect(await schemaVersion(sql)).toBe(SCHEMA_VERSION)
  expect(await migrate(sql)).toEqual([])
  const old = await findRunsSql(sql, { any: 'sn-old' })
  expect(old.map((r) => [r.id, r.serial, r.station, r.simulated, r.steps.map((s) => s.id)])).toEqual([['old-1', 'SN-OLD', 'ST-OLD', false, ['console']]])
  const window = { from: '2026-11-20T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' }
  expect(await yieldBy(sql, window, 'station')).toEqual([{ key: 'ST-OLD', units: 1, firstPass: 1, finalPass: 1 }])
  expect(await yieldBy(sql, window, 'hour')).toEqual([{ key: '2026-11-20 08:00', units: 1, firstPass: 1, finalPass: 1 }])
  expect(await unitsPerHour(sql, window)).toEqual([{ station: 'ST-OLD', units: 1, hours: 1, perHour: 1 }])
  expect(await durations(sql, window)).toEqual([{ step: 'console', runs: 1, p50: 1200, p90: 1200, p99: 1200 }])
  expect(await pareto(sql, window, 'step')).toEqual([])
  const stationYield = await yieldSql(sql, {})
  expect([stationYield.runs, stationYield.units, stationYield.passedRuns, stationYield.steps.map((s) => [s.id, s.title, s.passed])]).toEqual([1, 1, 1, [['console', 'Console', 1]]])
  const record = stationRecord('ST-NEW', 'SN-NEW', 1)
  expect(await storeRecord(sql, record, { keepRecord: true })).toBe(true)
  const m = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM measurement WHERE run_id = $1`, [record.id])
  expect(Number(m.rows[0].n)).toBe(record.steps.reduce((n, s) => n + (s.attempts.at(-1)?.measurements.length ?? 0), 0))
  const all = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }
  expect(await yieldBy(sql, all, 'station')).toEqual(await rawYieldBy(sql, all, 'station'))
  expect((await yieldBy(sql, all, 'station')).map((r) => [r.key, r.units])).toEqual([['ST-NEW', 1], ['ST-OLD', 1]])
  expect(await unitsPerHour(sql, all)).toEqual(await rawUnitsPerHour(sql, all))
  expect((await durations(sql, all)).map((d) => [d.step, d.runs])).toEqual((await rawDurations(sql, all)).map((d) => [d.step, d.runs]))
  expect(await yieldSql(sql, {})).toEqual(await rawYieldSql(sql, {}))
}

describe('schema migration on the station (PGlite)', () => {
  it('migrates a previous-version index and keeps its runs', async () => {
    const sql = await openPglite()
    try {
      await fromPreviousVersion(sql)
    } finally {
      await sql.close()
    }
  }, 120_000)
})

describe.skipIf(!postgresAvailable())('schema migration on the line server (real PostgreSQL)', () => {
  const server = serverForSuite()

  it('migrates a previous-version database and keeps its runs; two servers starting at once migrate once', async () => {
    const sql = openPg(server().url)
    try {
      await fromPreviousVersion(sql)
      await sql.exec('DROP TABLE measurement, outbox, refusal, step, run, unit, schema_version, run_hour, step_hour, fail_hour, duration_bin, unit_span, span_count, rollup_tx, rollup_pending_run, rollup_pending_step, line_clock CASCADE')
      const other = openPg(server().url)
      const [a, b] = await Promise.all([migrate(sql), migrate(other)])
      await other.close()
      expect([...a, ...b].sort()).toEqual(MIGRATIONS.map((m) => m.version))
    } finally {
      await sql.close()
    }
  }, 120_000)
})
