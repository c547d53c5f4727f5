/** The roll-up tests' parts: seeded random runs inserted in batches of random size (some ids again), and the check that every dashboard panel equals the raw reference. */
import { afterAll, beforeAll, expect } from 'vitest'
import { durations, migrate, pareto, unitsPerHour, yieldBy, type DashboardRange, type LineClock, type Sql } from '@engine/db/index'
import { rawDurations, rawPareto, rawUnitsPerHour, rawYieldBy } from './raw-reference'

/** A seeded uniform random source in [0, 1) (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const VERDICTS = ['pass', 'pass', 'pass', 'fail', 'error', 'aborted', 'skipped']

/** Inserts `n` random runs with steps in batches of random size (one statement per batch, so the set-based triggers see one or many rows), re-inserting some ids already there; returns the ids. */
export async function insertRandom(sql: Sql, rand: () => number, n: number, first: number): Promise<{ ids: string[]; times: string[] }> {
  const pick = <T,>(xs: T[]) => xs[Math.floor(rand() * xs.length)]
  const runs = Array.from({ length: n }, (_, k) => {
    const i = first + k
    const started = Date.parse('2026-11-23T00:00:00.000Z') + Math.floor(rand() * 3 * 86_400_000)
    const serial = rand() < 0.05 ? '' : `S${Math.floor(rand() * 40)}`
    return { id: `R${i}`, serial, station: rand() < 0.05 ? null : pick(['ST1', 'ST2', 'ST3', 'ST4']), started: new Date(started).toISOString(), verdict: pick(VERDICTS), simulated: rand() < 0.1, purpose: rand() < 0.1 ? 'support' : 'production' }
  })
  let at = 0
  while (at < runs.length) {
    const size = rand() < 0.4 ? 1 : 1 + Math.floor(rand() * 25)
    const batch = runs.slice(at, at + size)
    const again = at > 0 && rand() < 0.3 ? [runs[Math.floor(rand() * at)]] : []
    await sql.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO run (id, serial, station, started_at, verdict, status, simulated, purpose)
         SELECT id, serial, station, started, verdict, 'completed', simulated, purpose FROM jsonb_to_recordset($1::jsonb) AS x(id text, serial text, station text, started timestamptz, verdict text, simulated boolean, purpose text)
         ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify([...batch, ...again])],
      )
      const steps = batch.flatMap((r) =>
        Array.from({ length: 2 + Math.floor(rand() * 5) }, (_, ordinal) => {
          const verdict = pick(VERDICTS)
          const duration = rand() < 0.1 ? Math.round(rand() * 50_000) / 10 : pick([0, 120, 120, 450, 1500, 1501, 1502, 30_000]) + Math.floor(rand() * 300)
          return { run_id: r.id, ordinal, step_id: pick(['flash', 'console', 'usb', 'drivers', 'ecm.net']), title: rand() < 0.1 ? '' : `T${Math.floor(rand() * 3)}`, verdict, cause: ['fail', 'error', 'aborted'].includes(verdict) ? pick(['weak-signal', 'no-sim', 'timeout']) : null, duration }
        }),
      )
      await tx.query(
        `INSERT INTO step (run_id, ordinal, step_id, title, verdict, cause, duration_ms)
         SELECT run_id, ordinal, step_id, title, verdict, cause, duration FROM jsonb_to_recordset($1::jsonb) AS x(run_id text, ordinal int, step_id text, title text, verdict text, cause text, duration double precision)`,
        [JSON.stringify(steps)],
      )
    })
    at += size
  }
  return { ids: runs.map((r) => r.id), times: runs.map((r) => r.started) }
}

/** Every dashboard panel over `range` equals the raw reference (shifts and hours read in `clock`). */
export async function expectDashboardMatches(sql: Sql, range: DashboardRange, clock?: LineClock): Promise<void> {
  const label = JSON.stringify(range)
  for (const group of ['station', 'shift', 'hour'] as const) expect(await yieldBy(sql, range, group), `${label} yield by ${group}`).toEqual(await rawYieldBy(sql, range, group, clock))
  for (const by of ['step', 'code'] as const) expect(await pareto(sql, range, by), `${label} Pareto by ${by}`).toEqual(await rawPareto(sql, range, by))
  expect(await unitsPerHour(sql, range), `${label} units per hour`).toEqual(await rawUnitsPerHour(sql, range))
  const [got, want] = [await durations(sql, range), await rawDurations(sql, range)]
  expect(got.map((d) => [d.step, d.runs]), `${label} duration steps`).toEqual(want.map((d) => [d.step, d.runs]))
  got.forEach((d, i) => {
    for (const p of ['p50', 'p90', 'p99'] as const) {
      const exact = want[i][p]
      expect(Math.abs(d[p] - exact), `${label} ${d.step} ${p}: ${d[p]} vs exact ${exact}`).toBeLessThanOrEqual(Math.abs(exact) * 0.0101 + 1e-9)
    }
  })
}

/** A database opened and migrated before the calling suite's tests and closed after them; the getter returns it. */
export function migratedForSuite(open: () => Promise<Sql>, close: (sql: Sql) => Promise<void>): () => Sql {
  let sql: Sql | undefined
  beforeAll(async () => {
    sql = await open()
    await migrate(sql)
  }, 120_000)
  afterAll(async () => {
    if (sql) await close(sql)
  })
  return () => {
    if (!sql) throw new Error('the test database is not open (its beforeAll failed)')
    return sql
  }
}
