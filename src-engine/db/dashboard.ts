import type { IndexEntry } from '../report/results-index'
import { findRunsSql } from './records'
import type { Sql } from './sql'

/** The window and filter every dashboard panel uses. */
export interface DashboardRange {
  from: string
  to: string
  includeSimulated?: boolean
}

/** First-pass and final yield of one group (station, shift or hour). */
export interface YieldRow {
  key: string
  units: number
  firstPass: number
  finalPass: number
}

/** Failures counted by one key (a step or a remediation code). */
export interface ParetoRow {
  key: string
  count: number
}

/** Duration percentiles of one step, in ms. */
export interface DurationRow {
  step: string
  runs: number
  p50: number
  p90: number
  p99: number
}

/** Units tested per hour at one station over the window. */
export interface RateRow {
  station: string
  units: number
  hours: number
  perHour: number
}

/** Shift of an hour of the day (UTC): A 06–14, B 14–22, C 22–06. */
export const SHIFT_SQL = `CASE WHEN extract(hour FROM started_at AT TIME ZONE 'UTC') >= 6 AND extract(hour FROM started_at AT TIME ZONE 'UTC') < 14 THEN 'A' WHEN extract(hour FROM started_at AT TIME ZONE 'UTC') >= 14 AND extract(hour FROM started_at AT TIME ZONE 'UTC') < 22 THEN 'B' ELSE 'C' END`

const RUNS = `SELECT id, serial, station, started_at, verdict FROM run WHERE started_at >= $1::timestamptz AND started_at <= $2::timestamptz AND ($3 OR NOT simulated) AND purpose = 'production'`

function params(range: DashboardRange): unknown[] {
  return [range.from, range.to, range.includeSimulated === true]
}

/** First-pass and final yield grouped by `group` ('station', 'shift' or 'hour'): a unit's first and last run in the window within the group. */
export async function yieldBy(sql: Sql, range: DashboardRange, group: 'station' | 'shift' | 'hour'): Promise<YieldRow[]> {
  const key = group === 'station' ? "coalesce(station, '?')" : group === 'shift' ? SHIFT_SQL : "to_char(date_trunc('hour', started_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD HH24:00')"
  const { rows } = await sql.query<{ key: string; units: string; first_pass: string; final_pass: string }>(
    `WITH r AS (SELECT ${key} AS key, serial, id, started_at, verdict FROM (${RUNS}) x),
     u AS (SELECT key, serial, (array_agg(verdict ORDER BY started_at, id))[1] AS first_v, (array_agg(verdict ORDER BY started_at DESC, id DESC))[1] AS last_v FROM r GROUP BY key, serial)
     SELECT key, count(*) AS units, count(*) FILTER (WHERE first_v = 'pass') AS first_pass, count(*) FILTER (WHERE last_v = 'pass') AS final_pass FROM u GROUP BY key ORDER BY key`,
    params(range),
  )
  return rows.map((r) => ({ key: r.key, units: Number(r.units), firstPass: Number(r.first_pass), finalPass: Number(r.final_pass) }))
}

/** Failure Pareto by step or by remediation code, most frequent first (top `limit`). */
export async function pareto(sql: Sql, range: DashboardRange, by: 'step' | 'code', limit = 10): Promise<ParetoRow[]> {
  const key = by === 'step' ? 's.step_id' : 's.cause'
  const { rows } = await sql.query<{ key: string; count: string }>(
    `SELECT ${key} AS key, count(*) AS count FROM (${RUNS}) r JOIN step s ON s.run_id = r.id WHERE s.cause IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $4`,
    [...params(range), limit],
  )
  return rows.map((r) => ({ key: r.key, count: Number(r.count) }))
}

/** 50th, 90th and 99th percentile duration of each step that ran (pass or fail), in plan order of first appearance. */
export async function durations(sql: Sql, range: DashboardRange): Promise<DurationRow[]> {
  const { rows } = await sql.query<{ step: string; runs: string; p: number[] }>(
    `SELECT s.step_id AS step, count(*) AS runs, percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY s.duration_ms) AS p, min(s.ordinal) AS o
     FROM (${RUNS}) r JOIN step s ON s.run_id = r.id WHERE s.verdict IN ('pass', 'fail') GROUP BY s.step_id ORDER BY o, s.step_id`,
    params(range),
  )
  return rows.map((r) => ({ step: r.step, runs: Number(r.runs), p50: Number(r.p[0]), p90: Number(r.p[1]), p99: Number(r.p[2]) }))
}

/** Units per hour per station: distinct units over the hours in which the station ran at least one unit. */
export async function unitsPerHour(sql: Sql, range: DashboardRange): Promise<RateRow[]> {
  const { rows } = await sql.query<{ station: string; units: string; hours: string }>(
    `SELECT coalesce(station, '?') AS station, count(DISTINCT serial) AS units, count(DISTINCT date_trunc('hour', started_at)) AS hours FROM (${RUNS}) r GROUP BY 1 ORDER BY 1`,
    params(range),
  )
  return rows.map((r) => ({ station: r.station, units: Number(r.units), hours: Number(r.hours), perHour: Number(r.hours) ? Number(r.units) / Number(r.hours) : 0 }))
}

/** Every panel of the line dashboard over one window. */
export interface DashboardData {
  range: DashboardRange
  byStation: YieldRow[]
  byShift: YieldRow[]
  byHour: YieldRow[]
  paretoSteps: ParetoRow[]
  paretoCodes: ParetoRow[]
  durations: DurationRow[]
  rates: RateRow[]
  /** The unit searched for (serial, IMEI or ICCID) and its whole history across stations. */
  search?: { key: string; runs: IndexEntry[] }
}

/** Runs every dashboard panel query (and the unit search when `search` is given). */
export async function dashboardData(sql: Sql, range: DashboardRange, search?: string): Promise<DashboardData> {
  const [byStation, byShift, byHour, paretoSteps, paretoCodes, durs, rates] = await Promise.all([
    yieldBy(sql, range, 'station'),
    yieldBy(sql, range, 'shift'),
    yieldBy(sql, range, 'hour'),
    pareto(sql, range, 'step'),
    pareto(sql, range, 'code'),
    durations(sql, range),
    unitsPerHour(sql, range),
  ])
  const key = search?.trim()
  return {
    range,
    byStation,
    byShift,
    byHour,
    paretoSteps,
    paretoCodes,
    durations: durs,
    rates,
    search: key ? { key, runs: await findRunsSql(sql, { any: key, includeSimulated: range.includeSimulated }) } : undefined,
  }
}
