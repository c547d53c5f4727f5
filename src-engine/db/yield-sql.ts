import type { YieldSummary } from '../report/yield'
import type { Sql } from './sql'

/** Yield over [from, to] computed in the database; the same summary `summarizeYield` gives over the file index. Simulated runs left out unless asked. */
export async function yieldSql(sql: Sql, range: { from?: string; to?: string; topCauses?: number; includeSimulated?: boolean } = {}): Promise<YieldSummary> {
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
