/** The dashboard and station-yield queries as they were before the roll-ups (schema 2), straight over the raw run and step tables: the reference the roll-up answers are compared with. */
import { DEFAULT_CLOCK, type DashboardRange, type LineClock } from '@engine/db/index'
import type { Sql } from '@engine/db/sql'
import type { YieldSummary } from '@engine/report/yield'

interface YieldRow {
  key: string
  units: number
  firstPass: number
  finalPass: number
}
interface ParetoRow {
  key: string
  count: number
}
interface DurationRow {
  step: string
  runs: number
  p50: number
  p90: number
  p99: number
}
interface RateRow {
  station: string
  units: number
  hours: number
  perHour: number
}

/** The shift of a run's start as a CASE over the clock's shifts in start order (each from its start to the next one's; the last also before the first), read in the clock's zone. */
function shiftCase(clock: LineClock): string {
  const zone = clock.timeZone.replace(/'/g, "''")
  const minute = `(extract(hour FROM started_at AT TIME ZONE '${zone}') * 60 + extract(minute FROM started_at AT TIME ZONE '${zone}'))`
  const toMin = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5))
  const shifts = [...clock.shifts].sort((a, b) => toMin(a.start) - toMin(b.start))
  const whens = shifts.slice(0, -1).map((s, i) => `WHEN ${minute} >= ${toMin(s.start)} AND ${minute} < ${toMin(shifts[i + 1].start)} THEN '${s.name.replace(/'/g, "''")}'`)
  return `CASE ${whens.join(' ')} ELSE '${shifts[shifts.length - 1].name.replace(/'/g, "''")}' END`
}

/** The hour label of a run's start in the clock's zone. */
function hourLabel(clock: LineClock): string {
  return `to_char(date_trunc('hour', started_at AT TIME ZONE '${clock.timeZone.replace(/'/g, "''")}'), 'YYYY-MM-DD HH24:00')`
}

const RUNS = `SELECT id, serial, station, started_at, verdict FROM run WHERE started_at >= $1::timestamptz AND started_at <= $2::timestamptz AND ($3 OR NOT simulated) AND purpose = 'production'`

function params(range: DashboardRange): unknown[] {
  return [range.from, range.to, range.includeSimulated === true]
}

/** First-pass and final yield grouped by `group` ('station', 'shift' or 'hour', in `clock`): a unit's first and last run in the window within the group. */
export async function rawYieldBy(sql: Sql, range: DashboardRange, group: 'station' | 'shift' | 'hour', clock: LineClock = DEFAULT_CLOCK): Promise<YieldRow[]> {
  const key = group === 'station' ? "coalesce(station, '?')" : group === 'shift' ? shiftCase(clock) : hourLabel(clock)
  const { rows } = await sql.query<{ key: string; units: string; first_pass: string; final_pass: string }>(
    `WITH r AS (SELECT ${key} AS key, serial, id, started_at, verdict FROM (${RUNS}) x),
     u AS (SELECT key, serial, (array_agg(verdict ORDER BY started_at, id))[1] AS first_v, (array_agg(verdict ORDER BY started_at DESC, id DESC))[1] AS last_v FROM r GROUP BY key, serial)
     SELECT key, count(*) AS units, count(*) FILTER (WHERE first_v = 'pass') AS first_pass, count(*) FILTER (WHERE last_v = 'pass') AS final_pass FROM u GROUP BY key ORDER BY key`,
    params(range),
  )
  return rows.map((r) => ({ key: r.key, units: Number(r.units), firstPass: Number(r.first_pass), finalPass: Number(r.final_pass) }))
}

/** Failure Pareto by step or by remediation code, most frequent first (top `limit`). */
export async function rawPareto(sql: Sql, range: DashboardRange, by: 'step' | 'code', limit = 10): Promise<ParetoRow[]> {
  const key = by === 'step' ? 's.step_id' : 's.cause'
  const { rows } = await sql.query<{ key: string; count: string }>(
    `SELECT ${key} AS key, count(*) AS count FROM (${RUNS}) r JOIN step s ON s.run_id = r.id WHERE s.cause IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $4`,
    [...params(range), limit],
  )
  return rows.map((r) => ({ key: r.key, count: Number(r.count) }))
}

/** 50th, 90th and 99th percentile duration of each step that ran (pass or fail), in plan order of first appearance. */
export async function rawDurations(sql: Sql, range: DashboardRange): Promise<DurationRow[]> {
  const { rows } = await sql.query<{ step: string; runs: string; p: number[] }>(
    `SELECT s.step_id AS step, count(*) AS runs, percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY s.duration_ms) AS p, min(s.ordinal) AS o
     FROM (${RUNS}) r JOIN step s ON s.run_id = r.id WHERE s.verdict IN ('pass', 'fail') GROUP BY s.step_id ORDER BY o, s.step_id`,
    params(range),
  )
  return rows.map((r) => ({ step: r.step, runs: Number(r.runs), p50: Number(r.p[0]), p90: Number(r.p[1]), p99: Number(r.p[2]) }))
}

/** Units per hour per station: distinct units over the hours in which the station ran at least one unit. */
export async function rawUnitsPerHour(sql: Sql, range: DashboardRange): Promise<RateRow[]> {
  const { rows } = await sql.query<{ station: string; units: string; hours: string }>(
    `SELECT coalesce(station, '?') AS station, count(DISTINCT serial) AS units, count(DISTINCT date_trunc('hour', started_at)) AS hours FROM (${RUNS}) r GROUP BY 1 ORDER BY 1`,
    params(range),
  )
  return rows.map((r) => ({ station: r.station, units: Number(r.units), hours: Number(r.hours), perHour: Number(r.hours) ? Number(r.units) / Number(r.hours) : 0 }))
}

/** Yield over [from, to] computed in the database; the same summary `summarizeYield` gives over the file index. Simulated runs left out unless asked. */
export async function rawYieldSql(sql: Sql, range: { from?: string; to?: string; topCauses?: number; includeSimulated?: boolean } = {}): Promise<YieldSummary> {
  const params: unknown[] = [range.from ?? null, range.to ?? null, range.includeSimulated === true]
  const inRange = `SELECT * FROM run WHERE ($1::timestamptz IS NULL OR started_at >= $1::timestamptz) AND ($2::timestamptz IS NULL OR started_at <= $2::timestamptz) AND ($3 OR NOT simulated)`
  const totals = await sql.query<{ runs: string; passed: string; first_run: Date | null; last_run: Date | null; units: string; first_pass: string; final_pass: string }>(
    `WITH r AS (${inRange}),
     u AS (SELECT coalesce(nullif(serial, ''), '(no serial) ' || id) AS k,
       (array_agg(verdict ORDER BY started_at, id))[1] AS first_v, (array_agg(verdict ORDER BY started_at DESC, id DESC))[1] AS last_v FROM r GROUP BY 1)
     SELECT (SELECT count(*) FROM r) AS runs, (SELECT count(*) FROM r WHERE verdict = 'pass') AS passed,
       (SELECT min(started_at) FROM r) AS first_run, (SELECT max(started_at) FROM r) AS last_run,
       (SELECT count(*) FROM u) AS units, (SELECT count(*) FROM u WHERE first_v = 'pass') AS first_pass, (SELECT count(*) FROM u WHERE last_v = 'pass') AS final_pass`,
    params,
  )
  const steps = await sql.query<{ id: string; title: string; passed: string; failed: string; errors: string; skipped: string }>(
    `WITH r AS (${inRange})
     SELECT s.step_id AS id, (array_agg(coalesce(nullif(s.title, ''), s.step_id) ORDER BY r.started_at, r.id, s.ordinal))[1] AS title,
       count(*) FILTER (WHERE s.verdict = 'pass') AS passed, count(*) FILTER (WHERE s.verdict = 'fail') AS failed,
       count(*) FILTER (WHERE s.verdict IN ('error', 'aborted')) AS errors, count(*) FILTER (WHERE s.verdict NOT IN ('pass', 'fail', 'error', 'aborted')) AS skipped,
       min(r.started_at) AS first_at, min(r.id || ':' || lpad(s.ordinal::text, 4, '0')) AS tie
     FROM r JOIN step s ON s.run_id = r.id GROUP BY s.step_id ORDER BY first_at, tie`,
    params,
  )
  const causes = await sql.query<{ code: string; count: string; steps: string[] | string; total: string }>(
    `WITH r AS (${inRange}), f AS (SELECT s.cause, s.step_id, r.started_at, r.id, s.ordinal FROM r JOIN step s ON s.run_id = r.id WHERE s.cause IS NOT NULL),
     st AS (SELECT cause, step_id, min(started_at) AS first_at, min(id || ':' || lpad(ordinal::text, 4, '0')) AS tie FROM f GROUP BY cause, step_id)
     SELECT c.cause AS code, c.n AS count, (SELECT array_agg(step_id ORDER BY first_at, tie) FROM st WHERE st.cause = c.cause) AS steps, (SELECT count(*) FROM f) AS total
     FROM (SELECT cause, count(*) AS n FROM f GROUP BY cause) c ORDER BY c.n DESC, c.cause LIMIT $4`,
    [...params, range.topCauses ?? 10],
  )
  const t = totals.rows[0]
  const units = Number(t.units)
  const toIso = (d: Date | null) => (d ? new Date(d).toISOString() : undefined)
  return {
    from: range.from,
    to: range.to,
    runs: Number(t.runs),
    firstRun: toIso(t.first_run),
    lastRun: toIso(t.last_run),
    units,
    passedRuns: Number(t.passed),
    firstPassYield: units ? Number(t.first_pass) / units : null,
    finalYield: units ? Number(t.final_pass) / units : null,
    steps: steps.rows.map((s) => {
      const passed = Number(s.passed)
      const tested = passed + Number(s.failed) + Number(s.errors)
      return { id: s.id, title: s.title, tested, passed, failed: Number(s.failed), errors: Number(s.errors), skipped: Number(s.skipped), passRate: tested ? passed / tested : null }
    }),
    causes: causes.rows.map((c) => ({ code: c.code, count: Number(c.count), share: Number(c.total) ? Number(c.count) / Number(c.total) : 0, steps: Array.isArray(c.steps) ? c.steps : parseArray(c.steps) })),
  }
}

function parseArray(text: string): string[] {
  return text.replace(/^\{|\}$/g, '').split(',').filter(Boolean).map((s) => s.replace(/^"|"$/g, ''))
}
