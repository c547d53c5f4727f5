/** Side-by-side comparison of a unit's factory record with a later (support) run: changed measurements and differing verdicts. Pure. */
import type { Measurement, RunRecord, StepRecord } from './record'

/** The parts of a record a comparison reads (records without transcript fit). */
export type ComparableRecord = Pick<RunRecord, 'id' | 'startedAt' | 'verdict' | 'steps'>

/** One measurement in both runs; `delta` is now − factory when both are numbers. */
export interface MeasurementChange {
  name: string
  unit?: string
  factory: Measurement['value'] | undefined
  now: Measurement['value'] | undefined
  factoryOutcome?: Measurement['outcome']
  nowOutcome?: Measurement['outcome']
  delta?: number
  /** True when the value or its outcome differs, or the measurement exists in only one run. */
  changed: boolean
}

/** One step in both runs; `measurements` is empty unless both runs ran it. */
export interface StepComparison {
  id: string
  title: string
  /** Verdict of the last attempt; `absent` when the step is not in that run. */
  factory: StepRecord['verdict'] | 'absent'
  now: StepRecord['verdict'] | 'absent'
  /** True when both runs ran the step and their verdicts differ (a step one run did not run is not a difference). */
  verdictDiffers: boolean
  measurements: MeasurementChange[]
}

/** The whole comparison: overall verdicts and each step in the factory plan's order, steps only the later run has last. */
export interface RunComparison {
  factoryId: string
  nowId: string
  factoryVerdict: RunRecord['verdict']
  nowVerdict: RunRecord['verdict']
  steps: StepComparison[]
  /** Steps both runs ran whose verdict differs. */
  verdictChanges: number
  /** Measurements that changed, across steps both runs ran. */
  measurementChanges: number
}

const lastMeasurements = (step: StepRecord | undefined): Measurement[] => step?.attempts.at(-1)?.measurements ?? []

function sameValue(a: Measurement['value'] | undefined, b: Measurement['value'] | undefined): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b))
}

function compareMeasurements(before: Measurement[], after: Measurement[]): MeasurementChange[] {
  const names = [...new Set([...before.map((m) => m.name), ...after.map((m) => m.name)])]
  return names.map((name) => {
    const f = before.find((m) => m.name === name)
    const n = after.find((m) => m.name === name)
    const delta = typeof f?.value === 'number' && typeof n?.value === 'number' ? roundDelta(n.value - f.value) : undefined
    const changed = !f || !n || !sameValue(f.value, n.value) || f.outcome !== n.outcome
    return { name, unit: n?.unit ?? f?.unit, factory: f?.value, now: n?.value, factoryOutcome: f?.outcome, nowOutcome: n?.outcome, delta, changed }
  })
}

/** Removes binary floating noise (0.1 + 0.2) without hiding real differences: 12 significant digits. */
function roundDelta(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(12)) : x
}

/** Compares the factory record with a later run of the same unit; trusts nothing but the record shape. */
export function compareRuns(factory: ComparableRecord, now: ComparableRecord): RunComparison {
  const ids = [...factory.steps.map((s) => s.id), ...now.steps.map((s) => s.id).filter((id) => !factory.steps.some((s) => s.id === id))]
  const steps = ids.map((id): StepComparison => {
    const f = factory.steps.find((s) => s.id === id)
    const n = now.steps.find((s) => s.id === id)
    const fv = f ? f.verdict : 'absent'
    const nv = n ? n.verdict : 'absent'
    const both = !!f && !!n
    return { id, title: n?.title ?? f?.title ?? id, factory: fv, now: nv, verdictDiffers: both && fv !== nv, measurements: both ? compareMeasurements(lastMeasurements(f), lastMeasurements(n)) : [] }
  })
  const both = steps.filter((s) => s.factory !== 'absent' && s.now !== 'absent')
  return {
    factoryId: factory.id,
    nowId: now.id,
    factoryVerdict: factory.verdict,
    nowVerdict: now.verdict,
    steps,
    verdictChanges: both.filter((s) => s.verdictDiffers).length,
    measurementChanges: both.reduce((sum, s) => sum + s.measurements.filter((m) => m.changed).length, 0),
  }
}

/** The factory record among a unit's runs: the earliest production run that completed, else the earliest production run. */
export function factoryRun<T extends { startedAt: string; purpose?: string; verdict: string }>(runs: readonly T[]): T | undefined {
  const production = runs.filter((r) => r.purpose !== 'support').sort((a, b) => a.startedAt.localeCompare(b.startedAt))
  return production.find((r) => r.verdict !== 'running' && r.verdict !== 'interrupted') ?? production[0]
}
