import { HOUR_LABEL_OF, SHIFT_OF } from './rollup-schema'
import { inEdge, inWindow, windowOver } from './rollup-window'
import type { Sql } from './sql'

/** A grouping of units: by station, shift or hour (production runs) or one group of every unit (all purposes, the station's yield). */
export type UnitDim = 'station' | 'shift' | 'hour' | 'unit'

const KEY: Record<UnitDim, { key: string; unit: string; filter: string }> = {
  station: { key: "coalesce(station, '?')", unit: 'serial', filter: "purpose = 'production'" },
  shift: { key: SHIFT_OF('started_at'), unit: 'serial', filter: "purpose = 'production'" },
  hour: { key: HOUR_LABEL_OF('started_at'), unit: 'serial', filter: "purpose = 'production'" },
  unit: { key: "''", unit: "coalesce(nullif(serial, ''), '(no serial) ' || id)", filter: 'true' },
}

/** Units of one group and how many passed on their first and on their last run in the window. */
export interface UnitYieldRow {
  key: string
  units: number
  firstPass: number
  finalPass: number
}

/** Units per group over [from, to] with their first and last verdict in the window: units whose runs all lie in whole interior hours are summed from `span_count`; the others (runs in the edge slices, or spans crossing the window's hour edges) are computed from their raw runs. Same answer as grouping the raw runs. */
export async function unitYield(sql: Sql, dim: UnitDim, range: { from?: string; to?: string; includeSimulated?: boolean }): Promise<UnitYieldRow[]> {
  const { key, unit, filter } = KEY[dim]
  const scope = `scope IN ('both', CASE WHEN $5 THEN 'all' ELSE 'real' END)`
  const runs = `${filter} AND ($5 OR NOT simulated)`
  const { rows } = await sql.query<{ key: string; units: string; first_pass: string; final_pass: string }>(
    `WITH cand AS (
       SELECT ${key} AS key, ${unit} AS unit, serial FROM run WHERE ${runs} AND ${inEdge('started_at')}
       UNION
       SELECT key, unit, serial FROM unit_span WHERE dim = $6 AND ${scope} AND first_hour <> last_hour
         AND ((first_hour < $3::timestamptz AND last_hour >= $3::timestamptz) OR (first_hour < $4::timestamptz AND last_hour >= $4::timestamptz))),
     cr AS (SELECT ${key} AS key, ${unit} AS unit, started_at, id, verdict FROM run WHERE serial IN (SELECT serial FROM cand) AND ${runs} AND ${inWindow('started_at')}),
     cu AS (SELECT key, (array_agg(verdict ORDER BY started_at, id))[1] AS first_v, (array_agg(verdict ORDER BY started_at DESC, id DESC))[1] AS last_v
       FROM cr WHERE (key, unit) IN (SELECT key, unit FROM cand) GROUP BY key, unit),
     parts AS (
       SELECT key, sum(units)::bigint AS units, sum(first_pass)::bigint AS fp, sum(final_pass)::bigint AS lp FROM span_count
         WHERE dim = $6 AND ${scope} AND first_hour >= $3::timestamptz AND last_hour < $4::timestamptz GROUP BY key
       UNION ALL SELECT key, count(*), count(*) FILTER (WHERE first_v = 'pass'), count(*) FILTER (WHERE last_v = 'pass') FROM cu GROUP BY key)
     SELECT key, sum(units) AS units, sum(fp) AS first_pass, sum(lp) AS final_pass FROM parts GROUP BY key HAVING sum(units) > 0 ORDER BY key`,
    [...(await windowOver(sql, range.from, range.to)).params, range.includeSimulated === true, dim],
  )
  return rows.map((r) => ({ key: r.key, units: Number(r.units), firstPass: Number(r.first_pass), finalPass: Number(r.final_pass) }))
}
