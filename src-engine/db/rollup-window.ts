import type { Sql } from './sql'

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/** A query window [from, to] (both inclusive) cut into whole UTC days and hours read from the roll-ups and two edge slices read from the raw rows. */
export interface RollupWindow {
  /** from, to, h1, h2 as timestamptz text ('-infinity'/'infinity' when open): $1–$4 of every roll-up query. */
  params: [string, string, string, string]
  /** d1, d2: the interior days, for the queries that read daily roll-ups. */
  days: [string, string]
}

function text(ms: number): string {
  return ms === -Infinity ? '-infinity' : ms === Infinity ? 'infinity' : new Date(ms).toISOString()
}

function ceilTo(ms: number, unit: number): number {
  return Number.isFinite(ms) ? Math.ceil(ms / unit) * unit : ms
}

function floorTo(ms: number, unit: number): number {
  return Number.isFinite(ms) ? Math.floor(ms / unit) * unit : ms
}

/** Cuts [from, to] (undefined: open) into interior hours [h1, h2), interior days [d1, d2) inside them, and the edge slices [from, h1) and [h2, to]; an hour cut by `from` or `to` counts as interior when `inside` says all its runs lie in the window; a window inside one hour is all edge. Pure; trusts the strings to be dates. */
export function rollupWindow(from: string | undefined, to: string | undefined, inside: (hourMs: number) => boolean = () => false): RollupWindow {
  const f = from === undefined ? -Infinity : Date.parse(from)
  const t = to === undefined ? Infinity : Date.parse(to)
  const fromHour = floorTo(f, HOUR_MS)
  const toHour = floorTo(t, HOUR_MS)
  let h1 = fromHour === f || (Number.isFinite(f) && inside(fromHour)) ? fromHour : ceilTo(f, HOUR_MS)
  let h2 = Number.isFinite(t) && inside(toHour) ? toHour + HOUR_MS : toHour
  if (!(h1 < h2)) h1 = h2 = Infinity
  let d1 = ceilTo(h1, DAY_MS)
  let d2 = floorTo(h2, DAY_MS)
  if (!(d1 < d2)) d1 = d2 = h1
  return { params: [text(f), text(t), text(h1), text(h2)], days: [text(d1), text(d2)] }
}

/** The window of [from, to] over this database: the hours cut by `from` and `to` are looked up in `run_hour`, and one whose runs (any purpose, simulated or not) all lie inside the window is read whole from the roll-ups. */
export async function windowOver(sql: Sql, from: string | undefined, to: string | undefined): Promise<RollupWindow> {
  const hours = [from, to].filter((x): x is string => x !== undefined && Number.isFinite(Date.parse(x))).map((x) => floorTo(Date.parse(x), HOUR_MS))
  if (!hours.length) return rollupWindow(from, to)
  const { rows } = await sql.query<{ hour: Date | string; first_at: Date | string; last_at: Date | string }>(
    'SELECT hour, min(first_at) AS first_at, max(last_at) AS last_at FROM run_hour WHERE hour = ANY($1::timestamptz[]) GROUP BY hour',
    [hours.map((h) => new Date(h).toISOString())],
  )
  const f = from === undefined ? -Infinity : Date.parse(from)
  const t = to === undefined ? Infinity : Date.parse(to)
  const span = new Map(rows.map((r) => [new Date(r.hour).getTime(), { first: new Date(r.first_at).getTime(), last: new Date(r.last_at).getTime() }]))
  return rollupWindow(from, to, (hour) => {
    const s = span.get(hour)
    return !s || (s.first >= f && s.last <= t)
  })
}

/** SQL: `col` lies in one of the window's raw edge slices ($1 from, $2 to, $3 h1, $4 h2). */
export const inEdge = (col: string) => `((${col} >= $1::timestamptz AND ${col} < $3::timestamptz AND ${col} <= $2::timestamptz) OR (${col} >= $4::timestamptz AND ${col} <= $2::timestamptz))`

/** SQL: `col` lies in the window [$1, $2]. */
export const inWindow = (col: string) => `(${col} >= $1::timestamptz AND ${col} <= $2::timestamptz)`

/** SQL: the hour bucket `col` is one of the window's interior hours. */
export const interiorHour = (col: string) => `(${col} >= $3::timestamptz AND ${col} < $4::timestamptz)`

/** SQL: the day bucket `col` is one of the window's interior days, given as parameters `d1` and `d2` (e.g. '$6', '$7'). */
export const interiorDay = (col: string, d1: string, d2: string) => `(${col} >= ${d1}::timestamptz AND ${col} < ${d2}::timestamptz)`

/** SQL: the hour bucket `col` is an interior hour outside the interior days. */
export const interiorHourOutsideDays = (col: string, d1: string, d2: string) => `(${interiorHour(col)} AND NOT ${interiorDay(col, d1, d2)})`
