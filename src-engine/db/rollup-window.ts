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

/** Cuts [from, to] (undefined: open) into interior hours [h1, h2), interior days [d1, d2) inside them, and the edge slices [from, h1) and [h2, to]; a window inside one hour is all edge. Pure; trusts the strings to be dates. */
export function rollupWindow(from: string | undefined, to: string | undefined): RollupWindow {
  const f = from === undefined ? -Infinity : Date.parse(from)
  const t = to === undefined ? Infinity : Date.parse(to)
  let h1 = ceilTo(f, HOUR_MS)
  let h2 = floorTo(t, HOUR_MS)
  if (!(h1 < h2)) h1 = h2 = Infinity
  let d1 = ceilTo(h1, DAY_MS)
  let d2 = floorTo(h2, DAY_MS)
  if (!(d1 < d2)) d1 = d2 = h1
  return { params: [text(f), text(t), text(h1), text(h2)], days: [text(d1), text(d2)] }
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
