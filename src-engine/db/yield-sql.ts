import type { YieldSummary } from '../report/yield'
import { inEdge, interiorDay, interiorHour, interiorHourOutsideDays, windowOver } from './rollup-window'
import type { Sql } from './sql'
import { unitYield } from './unit-yield'

/** SQL: a roll-up row of `step_hour`/`fail_hour` for a whole interior day, or for an interior hour outside those days ($6, $7 the days). */
const WHOLE = `((grain = 'day' AND ${interiorDay('hour', '$6', '$7')}) OR (grain = 'hour' AND ${interiorHourOutsideDays('hour', '$6', '$7')}))`

/** Yield over [from, to] computed in the database from the hourly roll-ups (whole hours) and the raw rows (the window's edges); the same summary `summarizeYield` gives over the file index. Simulated runs left out unless asked. */
export async function yieldSql(sql: Sql, range: { from?: string; to?: string; topCauses?: number; includeSimulated?: boolean } = {}): Promise<YieldSummary> {
  const window = await windowOver(sql, range.from, range.to)
  const params: unknown[] = [...window.params, range.includeSimulated === true, ...window.days]
  const sim = '($5 OR NOT simulated)'
  const totalsQuery = sql.query<{ runs: string | null; passed: string | null; first_run: Date | null; last_run: Date | null }>(
    `SELECT sum(runs) AS runs, sum(passed) AS passed, min(first_at) AS first_run, max(last_at) AS last_run FROM (
       SELECT runs, passed, first_at, last_at FROM run_hour WHERE ${sim} AND ${interiorHour('hour')}
       UNION ALL SELECT 1, (verdict = 'pass')::int, started_at, started_at FROM run WHERE ${sim} AND ${inEdge('started_at')}) x`,
    params.slice(0, 5),
  )
  const unitsQuery = unitYield(sql, 'unit', range)
  const stepsQuery = sql.query<{ id: string; title: string; passed: string; failed: string; errors: string; skipped: string }>(
    `SELECT step_id AS id, (array_agg(title ORDER BY title_at, title_id, title_ord))[1] AS title, sum(passed) AS passed, sum(failed) AS failed,
       sum(errors) AS errors, sum(skipped) AS skipped, min(first_at) AS first_at, min(tie) AS tie FROM (
       SELECT step_id, passed, failed, errors, skipped, first_at, tie, title_at, title_id, title_ord, title FROM step_hour WHERE ${sim} AND ${WHOLE}
       UNION ALL SELECT step_id, (verdict = 'pass')::int, (verdict = 'fail')::int, (verdict IN ('error', 'aborted'))::int, (verdict NOT IN ('pass', 'fail', 'error', 'aborted'))::int,
         started_at, run_id || ':' || lpad(ordinal::text, 4, '0'), started_at, run_id, ordinal, coalesce(nullif(title, ''), step_id) FROM step WHERE ${sim} AND ${inEdge('started_at')}) x
     GROUP BY step_id ORDER BY first_at, tie`,
    params,
  )
  const causesQuery = sql.query<{ code: string; count: string; steps: string[] | string; total: string }>(
    `WITH f AS (SELECT cause, step_id, sum(n) AS n, min(first_at) AS first_at, min(tie) AS tie FROM (
       SELECT cause, step_id, n, first_at, tie FROM fail_hour WHERE ${sim} AND ${WHOLE}
       UNION ALL SELECT cause, step_id, 1, started_at, run_id || ':' || lpad(ordinal::text, 4, '0') FROM step WHERE cause IS NOT NULL AND ${sim} AND ${inEdge('started_at')}) x
       GROUP BY cause, step_id)
     SELECT cause AS code, sum(n) AS count, array_agg(step_id ORDER BY first_at, tie) AS steps, (SELECT sum(n) FROM f) AS total FROM f GROUP BY cause ORDER BY sum(n) DESC, cause LIMIT $8`,
    [...params, range.topCauses ?? 10],
  )
  const [totals, unitRows, steps, causes] = await Promise.all([totalsQuery, unitsQuery, stepsQuery, causesQuery])
  const t = { ...totals.rows[0], units: unitRows[0]?.units ?? 0, first_pass: unitRows[0]?.firstPass ?? 0, final_pass: unitRows[0]?.finalPass ?? 0 }
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
