import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { StepAttempt } from '@shared/record'
import { progressPrinter } from '../../src-cli/commands/run-progress'

function stream(isTTY: boolean): Writable & { isTTY: boolean; columns: number; text: () => string } {
  const chunks: string[] = []
  const out = new Writable({
    write(chunk, _e, done) {
      chunks.push(String(chunk))
      done()
    },
  }) as Writable & { isTTY: boolean; columns: number; text: () => string }
  out.isTTY = isTTY
  out.columns = 120
  out.text = () => chunks.join('')
  return out
}

const failed: StepAttempt = {
  attempt: 1,
  verdict: 'fail',
  reason: 'no SIM card (+CME ERROR: 10)',
  startedAt: '2026-11-25T10:00:00.000Z',
  endedAt: '2026-11-25T10:00:01.500Z',
  durationMs: 1500,
  measurements: [],
  evidence: { excerpt: '' },
  remediation: { code: 'sim-missing', cause: 'No SIM card detected.', fix: 'Insert a SIM card.' },
}

describe('run progress output', () => {
  it('draws a progress bar on a terminal and replaces it with the step line', () => {
    const out = stream(true)
    const print = progressPrinter(out)
    print({ type: 'step-start', id: 'modem', title: 'Modem', attempt: 1, index: 4, total: 15 })
    print({ type: 'step-end', id: 'modem', title: 'Modem', attempt: failed, index: 4, total: 15 })
    expect(out.text()).toBe(
      '[#####...............] 5/15 modem: Modem...' + '\r\x1b[K' + ' 5/15 FAIL  modem         1.5s  no SIM card (+CME ERROR: 10)\n        cause: No SIM card detected.\n        fix:   Insert a SIM card.\n',
    )
  })

  it('prints only step lines when not on a terminal', () => {
    const out = stream(false)
    const print = progressPrinter(out)
    print({ type: 'step-start', id: 'modem', title: 'Modem', attempt: 1, index: 4, total: 15 })
    print({ type: 'step-end', id: 'modem', title: 'Modem', attempt: { ...failed, verdict: 'pass', reason: undefined, remediation: undefined }, index: 4, total: 15 })
    expect(out.text()).toBe(' 5/15 PASS  modem         1.5s\n')
  })
})
