import type { IndexEntry } from './results-index'

/** Pass counts of one step over the runs in range. */
export interface StepYield {
  id: string
  title: string
  /** Runs in which the step ran (pass, fail, error or aborted). */
  tested: number
  passed: number
  failed: number
  errors: number
  skipped: number
  /** passed / tested, or null when never tested. */
  passRate: number | null
}

/** One failure cause and how often it occurred. */
export interface CauseCount {
  code: string
  count: number
  /** count / all failures in range. */
  share: number
  steps: string[]
}

/** Yield over a date range: run and unit counts, first-pass and final yield, pass rate per step, top causes. */
export interface YieldSummary {
  from?: string
  to?: string
  runs: number
  /** Start of the first and last run in range. */
  firstRun?: string
  lastRun?: string
  units: number
  passedRuns: number
  firstPassYield: number | null
  finalYield: number | null
  steps: StepYield[]
  causes: CauseCount[]
}

/** Parses a range bound: a date `YYYY-MM-DD` (start of day, or end of day for `to`) or a full ISO time; throws a clear error otherwise. */
export function parseRangeBound(text: string, edge: 'from' | 'to'): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text)
  const ms = Date.parse(dateOnly ? `${text}T00:00:00.000Z` : text)
  if (Number.isNaN(ms)) throw new Error(`'${text}' is not a date (use YYYY-MM-DD or an ISO time)`)
  return new Date(dateOnly && edge === 'to' ? ms + 86_400_000 - 1 : ms).toISOString()
}

/** Yield summary of the index entries whose start falls in [from, to] (ISO times, inclusive), simulated runs left out unless `includeSimulated`; `topCauses` limits the cause list (default 10). Pure. */
export function summarizeYield(entries: IndexEntry[], range: { from?: string; to?: string; topCauses?: number; includeSimulated?: boolean } = {}): YieldSummary {
  const fromMs = range.from ? Date.parse(range.from) : -Infinity
  const toMs = range.to ? Date.parse(range.to) : Infinity
  const runs = entries
    .filter((e) => {
      if (e.simulated && range.includeSimulated !== true) return false
      const t = Date.parse(e.startedAt)
      return !Number.isNaN(t) && t >= fromMs && t <= toMs
    })
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
  const bySerial = new Map<string, IndexEntry[]>()
  for (const run of runs) {
    const key = run.serial || `(no serial) ${run.id}`
    bySerial.set(key, [...(bySerial.get(key) ?? []), run])
  }
  const units = bySerial.size
  const firstPass = [...bySerial.values()].filter((list) => list[0].verdict === 'pass').length
  const finalPass = [...bySerial.values()].filter((list) => list[list.length - 1].verdict === 'pass').length

  const steps = new Map<string, StepYield>()
  const causes = new Map<string, { count: number; steps: Set<string> }>()
  let failures = 0
  for (const run of runs)
    for (const s of run.steps ?? []) {
      const y = steps.get(s.id) ?? { id: s.id, title: s.title || s.id, tested: 0, passed: 0, failed: 0, errors: 0, skipped: 0, passRate: null }
      if (s.verdict === 'pass') y.passed++
      else if (s.verdict === 'fail') y.failed++
      else if (s.verdict === 'error' || s.verdict === 'aborted') y.errors++
      else y.skipped++
      y.tested = y.passed + y.failed + y.errors
      steps.set(s.id, y)
      if (s.cause) {
        failures++
        const c = causes.get(s.cause) ?? { count: 0, steps: new Set<string>() }
        c.count++
        c.steps.add(s.id)
        causes.set(s.cause, c)
      }
    }
  const stepList = [...steps.values()].map((y) => ({ ...y, passRate: y.tested ? y.passed / y.tested : null }))
  const causeList = [...causes.entries()]
    .map(([code, c]) => ({ code, count: c.count, share: failures ? c.count / failures : 0, steps: [...c.steps] }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
    .slice(0, range.topCauses ?? 10)
  return {
    from: range.from,
    to: range.to,
    runs: runs.length,
    firstRun: runs[0]?.startedAt,
    lastRun: runs[runs.length - 1]?.startedAt,
    units,
    passedRuns: runs.filter((r) => r.verdict === 'pass').length,
    firstPassYield: units ? firstPass / units : null,
    finalYield: units ? finalPass / units : null,
    steps: stepList,
    causes: causeList,
  }
}
