import { describe, expect, it } from 'vitest'
import { overallVerdict, type RunEnding, type Verdict } from '@shared/record'

type StepState = Verdict | 'pending' | 'running'
const STATES: StepState[] = ['pass', 'fail', 'skipped', 'error', 'aborted', 'pending', 'running']
const ENDINGS: RunEnding[] = [
  { aborted: false, linkLost: false },
  { aborted: true, linkLost: false },
  { aborted: false, linkLost: true },
  { aborted: true, linkLost: true },
]

function* plans(length: number): Generator<StepState[]> {
  if (length === 0) {
    yield []
    return
  }
  for (const head of STATES) for (const tail of plans(length - 1)) yield [head, ...tail]
}

describe('the overall-verdict rule', () => {
  it.each([
    [['pass', 'pass', 'pass'], { aborted: false, linkLost: false }, 'pass'],
    [['pass', 'pass', 'skipped'], { aborted: true, linkLost: false }, 'aborted'],
    [['pass', 'pass', 'skipped'], { aborted: false, linkLost: false }, 'error'],
    [['pass', 'pass', 'pending'], { aborted: false, linkLost: false }, 'error'],
    [['pass', 'aborted', 'skipped'], { aborted: true, linkLost: false }, 'aborted'],
    [['pass', 'fail', 'skipped'], { aborted: false, linkLost: false }, 'fail'],
    [['pass', 'fail', 'skipped'], { aborted: true, linkLost: false }, 'aborted'],
    [['pass', 'pass', 'skipped'], { aborted: false, linkLost: true }, 'error'],
    [['pass', 'error', 'skipped'], { aborted: false, linkLost: false }, 'error'],
    [[], { aborted: false, linkLost: false }, 'error'],
    [['skipped', 'skipped'], { aborted: false, linkLost: false }, 'error'],
  ] as Array<[StepState[], RunEnding, string]>)('%j ending %j is %s', (steps, ending, verdict) => {
    expect(overallVerdict(steps, ending)).toBe(verdict)
  })

  it('is pass exactly when every planned step ran and passed and the run was neither aborted nor cut off (every plan of up to 4 steps)', () => {
    let cases = 0
    for (let n = 0; n <= 4; n++)
      for (const steps of plans(n))
        for (const ending of ENDINGS) {
          const verdict = overallVerdict(steps, ending)
          const allRanAndPassed = steps.length > 0 && steps.every((s) => s === 'pass')
          expect(verdict === 'pass', `${JSON.stringify(steps)} ${JSON.stringify(ending)}`).toBe(allRanAndPassed && !ending.aborted && !ending.linkLost)
          if (ending.linkLost || steps.includes('error')) expect(verdict).toBe('error')
          else if (ending.aborted || steps.includes('aborted')) expect(verdict).toBe('aborted')
          else if (steps.includes('fail')) expect(verdict).toBe('fail')
          cases++
        }
    expect(cases).toBe(4 * (1 + 7 + 49 + 343 + 2401))
  })
})
