import { describe, expect, it } from 'vitest'
import { soak } from '../../bench/_soak'

const UNITS = 24

describe(`soak (CI count: ${UNITS} units; \`npm run soak\` runs 1,000)`, () => {
  it('runs healthy units back to back through one services instance: no failed run, every record in the ledger, handles and file descriptors flat (memory is judged by `npm run soak`)', async () => {
    const result = await soak({ units: UNITS, timeScale: 0.01 })
    expect(result.failed, JSON.stringify(result.failed)).toEqual([])
    expect(result.verdicts).toEqual({ pass: UNITS })
    expect(result.ledgerRows).toBe(UNITS)
    expect(result.ledgerSerialsMissing).toEqual([])
    expect(result.ledgerAltered).toBe(0)

    const warm = result.samples.slice(4)
    const early = warm.slice(0, 6)
    const late = warm.slice(-6)
    const summary = result.samples
      .map(
        (s) =>
          `${s.unit}: heap ${s.heapMb.toFixed(1)} rss ${s.rssMb.toFixed(1)} handles ${s.handles} fds ${s.fds}`,
      )
      .join('\n')
    expect(Math.max(...late.map((s) => s.handles)), summary).toBeLessThanOrEqual(
      Math.max(...early.map((s) => s.handles)) + 4,
    )
    expect(Math.max(...late.map((s) => s.fds)), summary).toBeLessThanOrEqual(
      Math.max(...early.map((s) => s.fds)) + 4,
    )
  }, 600_000)
})
