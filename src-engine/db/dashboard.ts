import type { IndexEntry } from '../report/results-index'
import { readClock, type LineClock } from './line-clock'
import { findRunsSql } from './records'
import { BIN_OF, NO_DURATION_BIN } from './rollup-schema'
import { inEdge, interiorDay, interiorHour, interiorHourOutsideDays, windowOver } from './rollup-window'
import type { Sql } from './sql'
import { unitYield } from './unit-yield'

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

async function params(sql: Sql, range: DashboardRange): Promise<unknown[]> {
  return [...(await windowOver(sql, range.from, range.to)).params, range.includeSimulated === true]
}

const SIM = '($5 OR NOT simulated)'

/** First-pass and final yield grouped by `group` ('station', 'shift' or 'hour'): a unit's first and last run in the window within the group (production runs; whole hours from the roll-ups, the window's edges from the raw runs). */
export async function yieldBy(sql: Sql, range: DashboardRange, group: 'station' | 'shift' | 'hour'): Promise<YieldRow[]> {
  return unitYield(sql, group, range)
}

/** Failure Pareto by step or by remediation code, most frequent first (top `limit`): whole hours from `fail_hour`, the edges from the raw steps. */
export async function pareto(sql: Sql, range: DashboardRange, by: 'step' | 'code', limit = 10): Promise<ParetoRow[]> {
  const key = by === 'step' ? 'step_id' : 'cause'
  const { rows } = await sql.query<{ key: string; count: string }>(
    `SELECT ${key} AS key, sum(n) AS count FROM (
       SELECT step_id, cause, n FROM fail_hour WHERE purpose = 'production' AND ${SIM}
         AND ((grain = 'day' AND ${interiorDay('hour', '$6', '$7')}) OR (grain = 'hour' AND ${interiorHourOutsideDays('hour', '$6', '$7')}))
       UNION ALL SELECT step_id, cause, 1 FROM step WHERE purpose = 'production' AND cause IS NOT NULL AND ${SIM} AND ${inEdge('started_at')}) x
     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $8`,
    [...(await params(sql, range)), ...(await windowOver(sql, range.from, range.to)).days, limit],
  )
  return rows.map((r) => ({ key: r.key, count: Number(r.count) }))
}

/** 50th, 90th and 99th percentile duration of each step that ran (pass or fail), in plan order of first appearance; from duration bins 1 % wide (whole days and hours from `duration_bin`, the edges binned from the raw steps), interpolated inside a bin between its least and greatest duration: exact when a bin holds one distinct duration, otherwise within 1.01 %. */
export async function durations(sql: Sql, range: DashboardRange): Promise<DurationRow[]> {
  const { rows } = await sql.query<{ step: string; bin: number; n: string; lo: number | null; hi: number | null }>(
    `SELECT step_id AS step, bin, sum(n) AS n, min(lo) AS lo, max(hi) AS hi, min(min(min_ord)) OVER (PARTITION BY step_id) AS o FROM (
       SELECT step_id, bin, n, lo, hi, min_ord FROM duration_bin WHERE grain = 'day' AND ${SIM} AND ${interiorDay('at', '$6', '$7')}
       UNION ALL SELECT step_id, bin, n, lo, hi, min_ord FROM duration_bin WHERE grain = 'hour' AND ${SIM} AND ${interiorHourOutsideDays('at', '$6', '$7')}
       UNION ALL SELECT step_id, ${BIN_OF('duration_ms')}, 1, duration_ms, duration_ms, ordinal FROM step
         WHERE purpose = 'production' AND verdict IN ('pass', 'fail') AND ${SIM} AND ${inEdge('started_at')}) x
     GROUP BY step_id, bin ORDER BY o, step_id, bin`,
    [...(await params(sql, range)), ...(await windowOver(sql, range.from, range.to)).days],
  )
  const out: DurationRow[] = []
  let bins: Bin[] = []
  let runs = 0
  const flush = (step: string) => {
    const [p50, p90, p99] = [0.5, 0.9, 0.99].map((p) => percentileOfBins(bins, p))
    out.push({ step, runs, p50, p90, p99 })
  }
  rows.forEach((r, i) => {
    runs += Number(r.n)
    if (r.bin !== NO_DURATION_BIN) bins.push({ n: Number(r.n), lo: Number(r.lo), hi: Number(r.hi) })
    if (rows[i + 1]?.step !== r.step) {
      flush(r.step)
      bins = []
      runs = 0
    }
  })
  return out
}

interface Bin {
  n: number
  lo: number
  hi: number
}

function valueAtRank(bins: Bin[], rank: number): number {
  let before = 0
  for (const b of bins) {
    if (rank < before + b.n) return b.n === 1 ? b.lo : b.lo + ((b.hi - b.lo) * (rank - before)) / (b.n - 1)
    before += b.n
  }
  return bins.at(-1)?.hi ?? 0
}

/** percentile_cont over binned values (bins in value order): the values at the two ranks around p·(n−1), interpolated. Pure. */
export function percentileOfBins(bins: Bin[], p: number): number {
  const n = bins.reduce((sum, b) => sum + b.n, 0)
  if (!n) return 0
  const pos = p * (n - 1)
  const lower = Math.floor(pos)
  const a = valueAtRank(bins, lower)
  if (pos === lower) return a
  return a + (pos - lower) * (valueAtRank(bins, lower + 1) - a)
}

/** Units per hour per station: distinct units over the hours in which the station ran at least one unit (hours in UTC; whole hours from `run_hour`, the edges from the raw runs). */
export async function unitsPerHour(sql: Sql, range: DashboardRange): Promise<RateRow[]> {
  const [units, hours] = await Promise.all([
    unitYield(sql, 'station', range),
    sql.query<{ station: string; hours: string }>(
      `SELECT station, count(DISTINCT hour) AS hours FROM (
         SELECT station, hour FROM run_hour WHERE purpose = 'production' AND ${SIM} AND runs > 0 AND ${interiorHour('hour')}
         UNION ALL SELECT coalesce(station, '?'), k230_hour(started_at) FROM run WHERE purpose = 'production' AND ${SIM} AND ${inEdge('started_at')}) x
       GROUP BY 1 ORDER BY 1`,
      await params(sql, range),
    ),
  ])
  const unitsOf = new Map(units.map((u) => [u.key, u.units]))
  return hours.rows.map((r) => {
    const n = unitsOf.get(r.station) ?? 0
    return { station: r.station, units: n, hours: Number(r.hours), perHour: Number(r.hours) ? n / Number(r.hours) : 0 }
  })
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
  /** The line's clock the shifts and hour labels are read in. */
  clock: LineClock
  /** The unit searched for (serial, IMEI or ICCID) and its whole history across stations. */
  search?: { key: string; runs: IndexEntry[] }
}

/** Runs every dashboard panel query (and the unit search when `search` is given); `clock` is the line's, read here when not given. */
export async function dashboardData(sql: Sql, range: DashboardRange, search?: string, lineClock?: LineClock): Promise<DashboardData> {
  const [clock, byStation, byShift, byHour, paretoSteps, paretoCodes, durs, rates] = await Promise.all([
    lineClock ?? readClock(sql),
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
    clock,
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
