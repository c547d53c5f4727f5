// Results database figures: ingest rate into a real PostgreSQL server from 4 concurrent stations (15-step records with transcripts),
// dashboard panels and one unit's history on 1,000,000 records (rows made server-side with generate_series), and the embedded
// PGlite index with 100,000 records (history and yield); `--guard-only`: ingest through the line-server guard as the station role. Ratios are measured / goal (below 1 meets the goal; ingest: goal / measured).
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { deliverRecord, deliverRecords, durations, installGuard, trustServerKey, findRunsSql, migrate, openPg, openPglite, OUTBOX_BATCH, pareto, rebuildRollups, setClock, signatureVerifier, unitsPerHour, yieldBy, yieldSql, type DashboardRange, type Sql } from '@engine/db/index'
import { exportPublicKey, renderJson } from '@engine/report/index'
import type { RunRecord } from '@shared/record'
import { stationKey, stationRecord, TEST_TRUSTED } from '../test/db/records'
import { startPostgres } from '../test/db/postgres-server'

const N_SERVER = Number(process.env.K230_BENCH_RUNS ?? 1_000_000)
const N_STATION = Number(process.env.K230_BENCH_STATION_RUNS ?? 100_000)
const PER_STATION = Number(process.env.K230_BENCH_INGEST ?? 250)

function line(name: string, ms: number, goalMs: number): void {
  console.log(`${name}: ${ms.toFixed(1)} ms (goal ${goalMs} ms, ratio ${(ms / goalMs).toFixed(3)})`)
}

async function best(fn: () => Promise<unknown>, runs = 3): Promise<number> {
  await fn()
  let min = Infinity
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    min = Math.min(min, performance.now() - t)
  }
  return min
}

function transcriptRecord(station: string, i: number): string {
  const transcript = Array.from({ length: 200 }, (_, k) => ({ t: k * 50, dir: k % 2 ? 'rx' : 'tx', text: `console line ${k} of unit ${i}: [root@canaan ~ ]# cat /sys/kernel/debug/usb/devices` }))
  return renderJson(stationRecord(station, `${station}-U${i}`, i % 1440, i % 7 === 0, { transcript } as Partial<RunRecord>))
}

/** Fills run and step with `n` runs over 30 days, 8 stations, ~15 steps each, ~8 % failing, entirely inside the server, with the roll-up triggers off; then fills the roll-ups from those rows in one pass (what migration 3 does with existing data). */
async function generate(sql: Sql, n: number, prefix: string): Promise<{ rowsS: number; rollupS: number }> {
  const t0 = performance.now()
  await sql.exec(`
ALTER TABLE run DISABLE TRIGGER USER; ALTER TABLE step DISABLE TRIGGER USER;
INSERT INTO run (id, serial, imei, iccid, station, started_at, ended_at, verdict, status, simulated, purpose)
SELECT '${prefix}' || g, 'SN' || (g / 2), '8683' || lpad((g / 2)::text, 11, '0'), '8986' || lpad((g / 2)::text, 16, '0'), 'ST' || (g % 8),
  timestamptz '2026-11-01' + (g * (interval '30 days' / ${n})), timestamptz '2026-11-01' + (g * (interval '30 days' / ${n})) + interval '90 s',
  CASE WHEN g % 13 = 0 THEN 'fail' ELSE 'pass' END, 'completed', g % 97 = 0, 'production' FROM generate_series(1, ${n}) g;
INSERT INTO step (run_id, ordinal, step_id, title, verdict, cause, duration_ms, started_at, simulated, purpose, station)
SELECT '${prefix}' || g, o, 'step' || o, 'Step ' || o, CASE WHEN g % 13 = 0 AND o = (g % 15) THEN 'fail' ELSE 'pass' END,
  CASE WHEN g % 13 = 0 AND o = (g % 15) THEN 'code-' || (g % 5) END, 500 + (g::bigint * 7919 + o * 104729) % 4000,
  timestamptz '2026-11-01' + (g * (interval '30 days' / ${n})), g % 97 = 0, 'production', 'ST' || (g % 8)
FROM generate_series(1, ${n}) g, generate_series(0, 14) o;
ALTER TABLE run ENABLE TRIGGER USER; ALTER TABLE step ENABLE TRIGGER USER;`)
  const t1 = performance.now()
  await rebuildRollups(sql)
  await sql.exec('ANALYZE')
  return { rowsS: (t1 - t0) / 1000, rollupS: (performance.now() - t1) / 1000 }
}

function load(): string {
  return `load average ${loadavg().map((l) => l.toFixed(2)).join(', ')}`
}

/** Delivers 4 × PER_STATION signed records from 4 concurrent connections, one per transaction or `batch` per transaction (a station's backlog, as the outbox sends it); returns records per second. */
async function ingest(url: string, tag: string, batch = 1, prepare?: (stations: string[]) => Promise<void>): Promise<number> {
  const texts = Array.from({ length: 4 }, (_, s) => Array.from({ length: PER_STATION }, (_, i) => transcriptRecord(`BENCH-${tag}-ST${s}`, i)))
  await prepare?.(texts.map((_, s) => `BENCH-${tag}-ST${s}`))
  const stations = texts.map(() => openPg(url, { max: 2 }))
  const verify = signatureVerifier(TEST_TRUSTED)
  const t0 = performance.now()
  await Promise.all(stations.map(async (sql, s) => {
    for (let i = 0; i < texts[s].length; i += batch) {
      const chunk = texts[s].slice(i, i + batch)
      const outcomes = batch === 1 ? [await deliverRecord(sql, chunk[0], verify)] : await deliverRecords(sql, chunk, verify)
      const bad = outcomes.find((d) => d.outcome !== 'stored')
      if (bad || outcomes.length !== chunk.length) throw new Error(JSON.stringify(bad ?? outcomes))
    }
  }))
  const rate = (4 * PER_STATION) / ((performance.now() - t0) / 1000)
  for (const s of stations) await s.close()
  return rate
}

/** Ingest with the roll-ups (the product), one record and OUTBOX_BATCH records per transaction, and, interleaved, with the roll-up triggers disabled (the same machine's baseline under the same load). */
async function ingestOnly(): Promise<void> {
  const pg = await startPostgres()
  try {
    const setup = openPg(pg.url)
    await migrate(setup)
    for (let round = 0; round < 2; round++) {
      for (const [rollups, batch] of [[true, 1], [true, OUTBOX_BATCH], [false, 1]] as const) {
        await setup.exec(`ALTER TABLE run ${rollups ? 'ENABLE' : 'DISABLE'} TRIGGER USER; ALTER TABLE step ${rollups ? 'ENABLE' : 'DISABLE'} TRIGGER USER;`)
        const rate = await ingest(pg.url, `${round}${rollups ? 'R' : 'N'}${batch}`, batch)
        const what = rollups ? `with roll-ups, ${batch === 1 ? 'one record' : `${batch} records`} per transaction` : 'baseline, roll-up triggers disabled, one record per transaction'
        console.log(`ingest ${what}, 4 stations x ${PER_STATION} records: ${rate.toFixed(0)} records/s (goal 200 records/s, ratio ${(200 / rate).toFixed(3)}; ${load()})`)
      }
    }
    await setup.close()
  } finally {
    await pg.destroy()
  }
}

/** Ingest through the line-server guard: 4 stations connected as the station role, each record checked by PostgreSQL (PL/Python) and its rows derived in SQL by k230_ingest, the station's own check first, as `sync` does; interleaved with the same ingest into a database of the same server without the guard (same load). */
async function ingestGuarded(): Promise<void> {
  const pg = await startPostgres()
  try {
    const setup = openPg(pg.url)
    await setup.exec('CREATE DATABASE unguarded')
    const plainUrl = new URL(pg.url)
    plainUrl.pathname = '/unguarded'
    const plain = openPg(plainUrl.toString())
    await migrate(plain)
    await plain.close()
    await installGuard(setup)
    await setup.exec("ALTER ROLE k230_station LOGIN PASSWORD 'bench-station'")
    const url = new URL(pg.url)
    url.username = 'k230_station'
    url.password = 'bench-station'
    const trust = async (stations: string[]) => {
      for (const station of stations) await trustServerKey(setup, exportPublicKey(stationKey(station)))
    }
    for (let round = 0; round < 2; round++)
      for (const batch of [1, OUTBOX_BATCH])
        for (const guarded of [false, true]) {
          const rate = guarded ? await ingest(url.toString(), `G${round}${batch}`, batch, trust) : await ingest(plainUrl.toString(), `P${round}${batch}`, batch)
          const per = batch === 1 ? 'one record' : `${batch} records`
          const what = guarded ? `through the guard as the station role, ${per} per transaction (signature checked by the station and by PostgreSQL, rows derived in SQL, roll-ups kept)` : `without the guard, same server, ${per} per transaction`
          console.log(`ingest ${what}, 4 stations x ${PER_STATION} records: ${rate.toFixed(0)} records/s (goal 200 records/s, ratio ${(200 / rate).toFixed(3)}; ${load()})`)
        }
    await setup.close()
  } finally {
    await pg.destroy()
  }
}

async function server(): Promise<void> {
  const pg = await startPostgres()
  try {
    const setup = openPg(pg.url)
    await migrate(setup)
    for (const batch of [1, OUTBOX_BATCH]) {
      const rate = await ingest(pg.url, `A${batch}`, batch)
      console.log(`ingest, 4 stations x ${PER_STATION} records, ${batch === 1 ? 'one record' : `${batch} records`} per transaction (15 steps, 200-line transcript, signature checked, roll-ups kept in the same transaction): ${rate.toFixed(0)} records/s (goal 200 records/s, ratio ${(200 / rate).toFixed(3)}; ${load()})`)
    }

    await setup.exec('TRUNCATE run, unit, refusal CASCADE')
    const g = await generate(setup, N_SERVER, 'r')
    console.log(`(generated ${N_SERVER} runs, ${N_SERVER * 15} steps server-side in ${g.rowsS.toFixed(0)} s; roll-ups filled from them in ${g.rollupS.toFixed(0)} s; ${load()})`)
    const day: DashboardRange = { from: '2026-11-20T00:00:00.000Z', to: '2026-11-20T23:59:59.999Z' }
    const all: DashboardRange = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }
    const unaligned: DashboardRange = { from: '2026-11-20T09:17:23.000Z', to: '2026-11-21T09:17:23.000Z' }
    for (const [label, range] of [['one day', day], ['24 h from 09:17:23', unaligned], ['all 30 days', all]] as const) {
      line(`dashboard ${label}, ${N_SERVER} runs: yield by station`, await best(() => yieldBy(setup, range, 'station')), 300)
      line(`dashboard ${label}: yield by shift`, await best(() => yieldBy(setup, range, 'shift')), 300)
      line(`dashboard ${label}: yield by hour`, await best(() => yieldBy(setup, range, 'hour')), 300)
      line(`dashboard ${label}: Pareto by step`, await best(() => pareto(setup, range, 'step')), 300)
      line(`dashboard ${label}: Pareto by code`, await best(() => pareto(setup, range, 'code')), 300)
      line(`dashboard ${label}: step duration percentiles`, await best(() => durations(setup, range)), 300)
      line(`dashboard ${label}: units per hour per station`, await best(() => unitsPerHour(setup, range)), 300)
      console.log(`(${load()})`)
    }
    line(`one unit's history by IMEI, ${N_SERVER} runs`, await best(() => findRunsSql(setup, { any: '868300000123456', includeSimulated: true }), 10), 50)
    const clockAt = performance.now()
    await setClock(setup, { timeZone: 'Asia/Shanghai', shifts: [{ name: 'A', start: '08:00' }, { name: 'B', start: '16:00' }, { name: 'C', start: '00:00' }] })
    console.log(`(line clock set to Asia/Shanghai, shift and hour roll-ups of ${N_SERVER} runs recomputed in ${((performance.now() - clockAt) / 1000).toFixed(0)} s; ${load()})`)
    for (const [label, range] of [['24 h from 09:17:23 in Asia/Shanghai', unaligned], ['all 30 days in Asia/Shanghai', all]] as const) {
      line(`dashboard ${label}, ${N_SERVER} runs: yield by shift`, await best(() => yieldBy(setup, range, 'shift')), 300)
      line(`dashboard ${label}: yield by hour`, await best(() => yieldBy(setup, range, 'hour')), 300)
    }
    await setup.close()
  } finally {
    await pg.destroy()
  }
}

async function station(): Promise<void> {
  const sql = await openPglite()
  await migrate(sql)
  const g = await generate(sql, N_STATION, 's')
  console.log(`(generated ${N_STATION} runs in PGlite in ${g.rowsS.toFixed(0)} s; roll-ups filled in ${g.rollupS.toFixed(0)} s; ${load()})`)
  line(`embedded index, ${N_STATION} runs: history of one unit by serial`, await best(() => findRunsSql(sql, { any: 'SN12345', includeSimulated: true }), 10), 100)
  line(`embedded index, ${N_STATION} runs: yield over one day`, await best(() => yieldSql(sql, { from: '2026-11-20T00:00:00.000Z', to: '2026-11-20T23:59:59.999Z' })), 100)
  line(`embedded index, ${N_STATION} runs: yield over all runs`, await best(() => yieldSql(sql, {})), 100)
  await sql.close()
}

async function main(): Promise<void> {
  if (process.argv.includes('--station-only')) return station()
  if (process.argv.includes('--ingest-only')) return ingestOnly()
  if (process.argv.includes('--server-only')) return server()
  if (process.argv.includes('--guard-only')) return ingestGuarded()
  await server()
  await ingestGuarded()
  await station()
}

void main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
