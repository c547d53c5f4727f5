import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { compareRuns, factoryRun, type ComparableRecord } from '../../src-shared/compare'
import type { Measurement, StepRecord } from '../../src-shared/record'

function step(id: string, verdict: StepRecord['verdict'], measurements: Measurement[] = []): StepRecord {
  return { id, title: `step ${id}`, needs: [], verdict, attempts: verdict === 'pending' ? [] : [{ attempt: 1, verdict: verdict as never, startedAt: '', endedAt: '', durationMs: 1, measurements, evidence: { excerpt: '' } }] }
}
const rec = (id: string, steps: StepRecord[], verdict: ComparableRecord['verdict'] = 'pass'): ComparableRecord => ({ id, startedAt: '2026-01-01T00:00:00Z', verdict, steps })

describe('compareRuns', () => {
  it('names the measurements that changed, by how much, and the verdicts that differ', () => {
    const factory = rec('f', [step('console', 'pass'), step('modem', 'pass', [{ name: 'csq', value: -71, unit: 'dBm', outcome: 'pass' }, { name: 'sim', value: 'READY', outcome: 'pass' }])])
    const now = rec('n', [step('console', 'pass'), step('modem', 'fail', [{ name: 'csq', value: -101, unit: 'dBm', outcome: 'fail' }, { name: 'sim', value: 'READY', outcome: 'pass' }])], 'fail')
    const c = compareRuns(factory, now)
    expect(c.verdictChanges).toBe(1)
    expect(c.measurementChanges).toBe(1)
    const modem = c.steps.find((s) => s.id === 'modem')!
    expect(modem).toMatchObject({ factory: 'pass', now: 'fail', verdictDiffers: true })
    expect(modem.measurements).toEqual([
      { name: 'csq', unit: 'dBm', factory: -71, now: -101, factoryOutcome: 'pass', nowOutcome: 'fail', delta: -30, changed: true },
      { name: 'sim', unit: undefined, factory: 'READY', now: 'READY', factoryOutcome: 'pass', nowOutcome: 'pass', delta: undefined, changed: false },
    ])
    expect(c.steps.find((s) => s.id === 'console')).toMatchObject({ verdictDiffers: false })
  })

  it('shows a step only one run has as absent on the other side, in factory order first, without counting it as a change', () => {
    const c = compareRuns(rec('f', [step('console', 'pass', [{ name: 'uptime', value: 3, outcome: 'unset' }]), step('usb', 'pass')]), rec('n', [step('usb', 'fail'), step('ecm.mode', 'pass')]))
    expect(c.steps.map((s) => [s.id, s.factory, s.now, s.verdictDiffers])).toEqual([
      ['console', 'pass', 'absent', false],
      ['usb', 'pass', 'fail', true],
      ['ecm.mode', 'absent', 'pass', false],
    ])
    expect(c.steps[0].measurements).toEqual([])
    expect([c.verdictChanges, c.measurementChanges]).toEqual([1, 0])
  })

  it('compares the last attempt of a rerun step', () => {
    const rerun = step('modem', 'pass', [{ name: 'csq', value: -80, outcome: 'pass' }])
    rerun.attempts.unshift({ ...rerun.attempts[0], attempt: 0, verdict: 'fail', measurements: [{ name: 'csq', value: -120, outcome: 'fail' }] })
    const c = compareRuns(rec('f', [step('modem', 'pass', [{ name: 'csq', value: -80, outcome: 'pass' }])]), rec('n', [rerun]))
    expect(c.measurementChanges).toBe(0)
  })

  it('a run compared with itself has no change; the delta is exact and antisymmetric (seeded)', () => {
    const seed = 1616
    const value = fc.oneof(fc.integer({ min: -200, max: 200 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom('READY', 'ok', true, false, null))
    const meas = fc.uniqueArray(fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd'), value, outcome: fc.constantFrom('pass', 'fail', 'unset') as fc.Arbitrary<Measurement['outcome']> }), { selector: (m) => m.name, maxLength: 4 })
    const steps = fc.uniqueArray(fc.record({ id: fc.constantFrom('console', 'usb', 'modem', 'ppp.net'), verdict: fc.constantFrom('pass', 'fail', 'skipped', 'error') as fc.Arbitrary<StepRecord['verdict']>, m: meas }), { selector: (s) => s.id, maxLength: 4 })
    fc.assert(
      fc.property(steps, steps, (a, b) => {
        const ra = rec('a', a.map((s) => step(s.id, s.verdict, s.m)))
        const rb = rec('b', b.map((s) => step(s.id, s.verdict, s.m)))
        const self = compareRuns(ra, ra)
        expect(self.verdictChanges + self.measurementChanges).toBe(0)
        const ab = compareRuns(ra, rb)
        const ba = compareRuns(rb, ra)
        expect(ab.verdictChanges).toBe(ba.verdictChanges)
        for (const s of ab.steps)
          for (const m of s.measurements) {
            const back = ba.steps.find((x) => x.id === s.id)!.measurements.find((x) => x.name === m.name)!
            expect(back.changed).toBe(m.changed)
            if (m.delta !== undefined) expect(back.delta! + m.delta).toBeCloseTo(0, 6)
          }
      }),
      { seed, numRuns: 300 },
    )
  })
})

describe('factoryRun', () => {
  it('is the earliest completed production run, never a support run', () => {
    const runs = [
      { id: 's', startedAt: '2026-01-01T00:00:00Z', purpose: 'support', verdict: 'pass' },
      { id: 'i', startedAt: '2026-01-02T00:00:00Z', verdict: 'interrupted' },
      { id: 'f', startedAt: '2026-01-03T00:00:00Z', verdict: 'fail' },
      { id: 'p', startedAt: '2026-01-04T00:00:00Z', verdict: 'pass' },
    ]
    expect(factoryRun(runs)?.id).toBe('f')
    expect(factoryRun(runs.filter((r) => r.purpose === 'support'))).toBeUndefined()
  })
})
