import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Checklist, REMEDIATION_CODES, type StepDefinition, type StepOutcome } from '@engine/checklist/index'
import { resolveProfile } from '@engine/profile/index'
import { parseJournal, recoverJournals } from '@engine/record/index'
import { LinkLostError } from '@engine/link/link'
import { SessionError } from '@engine/session/types'
import { scriptedSession } from './support/fake-session'

const profile = resolveProfile({ password: 'hunter22' })

function step(id: string, needs: string[], run: StepDefinition['run']): StepDefinition {
  return { id, title: id, titleKey: 'step.unknown', needs, measures: [{ name: 'uptime', unit: 's' }, { name: 'csq' }, { name: 'signal', unit: 'dBm', limits: { low: -93 } }], reasons: ['bad'], remedies: REMEDIATION_CODES, run }
}
const pass = (): Promise<StepOutcome> => Promise.resolve({ verdict: 'pass' })
const fail = (code = 'no-signal'): Promise<StepOutcome> => Promise.resolve({ verdict: 'fail', reason: { code: 'bad' }, remediation: { code, cause: 'c', fix: 'f' } })

function checklist(steps: StepDefinition[], outDir?: string) {
  const session = scriptedSession((command) => ({ output: `ran ${command} with password hunter22` }))
  return new Checklist({ board: { session, port: 'fake' }, profile, steps, appVersion: '0.0.0-test', stationId: 'bench-1', unitSerial: 'SN1', outDir })
}

describe('checklist runner', () => {
  it('skips the steps that need a failed one, with the reason, and runs the rest', async () => {
    const c = checklist([step('console', [], pass), step('usb', ['console'], () => fail('module-not-detected')), step('modem', ['usb'], pass), step('drivers', ['console'], pass), step('ecm.mode', ['modem'], pass)])
    const record = await c.run()
    expect(record.steps.map((s) => [s.id, s.verdict])).toEqual([
      ['console', 'pass'],
      ['usb', 'fail'],
      ['modem', 'skipped'],
      ['drivers', 'pass'],
      ['ecm.mode', 'skipped'],
    ])
    expect(record.steps[2].attempts[0]).toMatchObject({ reasonCode: 'needs-fail', reasonParams: { step: 'usb' }, reason: 'needs “USB enumeration of the EC200A”, which failed' })
    expect(record.steps[4].attempts[0]).toMatchObject({ reasonCode: 'needs-skipped', reasonParams: { step: 'modem' } })
    expect(record.verdict).toBe('fail')
    expect(record.status).toBe('completed')
  })

  it('an abort that lands between two steps ends aborted, never a pass, with the steps that never ran marked so', async () => {
    const abortAfterFirst = (): Promise<StepOutcome> => {
      c.abort()
      return pass()
    }
    const c: Checklist = checklist([step('console', [], abortAfterFirst), step('usb', ['console'], pass), step('modem', ['usb'], pass)])
    const record = await c.run()
    expect(record.steps.map((s) => [s.id, s.verdict])).toEqual([
      ['console', 'pass'],
      ['usb', 'skipped'],
      ['modem', 'skipped'],
    ])
    expect(record.steps[1].attempts[0].reason).toBe('not run: the run was aborted')
    expect(record).toMatchObject({ status: 'aborted', verdict: 'aborted' })
  })

  it('a need on a known step the plan leaves out is met; needs that go round are refused before the run', async () => {
    const c = checklist([step('usb', ['flash'], pass)])
    const record = await c.run()
    expect(record.steps[0].verdict).toBe('pass')
    expect(() => checklist([step('console', ['usb'], pass), step('usb', ['console'], pass)])).toThrow(expect.objectContaining({ code: 'need-order', params: { step: 'console', need: 'usb' } }))
  })

  it('rerun keeps earlier attempts and the last attempt decides; rerunFailed picks the non-passing ones', async () => {
    let tries = 0
    const c = checklist([step('console', [], pass), step('modem', ['console'], () => (++tries < 2 ? fail('sim-missing') : pass())), step('ecm.mode', ['modem'], pass)])
    const first = await c.run()
    expect(first.verdict).toBe('fail')
    expect(first.steps.map((s) => s.verdict)).toEqual(['pass', 'fail', 'skipped'])
    await c.rerunFailed()
    const modem = c.record.steps[1]
    expect(modem.attempts.map((a) => [a.attempt, a.verdict])).toEqual([
      [1, 'fail'],
      [2, 'pass'],
    ])
    expect(modem.attempts[0].remediation?.code).toBe('sim-missing')
    expect(c.record.steps[2].attempts.map((a) => a.verdict)).toEqual(['skipped', 'pass'])
    expect(c.record.steps[0].attempts).toHaveLength(1)
    expect(c.record.verdict).toBe('pass')
    await c.rerun(['console'])
    expect(c.record.steps[0].attempts).toHaveLength(2)
    expect(() => c.rerun(['nope'])).toThrow(/unknown step id/)
  })

  it('keeps unit faults, station faults and operator aborts apart', async () => {
    const c = checklist([
      step('console', [], pass),
      step('usb', ['console'], () => Promise.reject(new SessionError('board-rebooted', 'U-Boot banner seen'))),
      step('drivers', ['console'], () => Promise.reject(new SessionError('timeout', 'no answer in 15 s'))),
      step('userland', ['console'], pass),
    ])
    const record = await c.run()
    expect(record.steps.map((s) => s.verdict)).toEqual(['pass', 'error', 'error', 'pass'])
    expect(record.steps[1].attempts[0].remediation?.code).toBe('board-rebooted')
    expect(record.steps[2].attempts[0].error?.code).toBe('timeout')
    expect(record.verdict).toBe('error')
  })

  it('abort ends the step in flight as aborted and keeps what was measured; Rerun failed then runs the aborted and skipped steps again', async () => {
    let release: () => void = () => undefined
    const started = new Promise<void>((resolve) => (release = resolve))
    let modemRuns = 0
    const c = checklist([
      step('console', [], async (ctx) => {
        ctx.measure('uptime', 12.5)
        return { verdict: 'pass' }
      }),
      step('modem', ['console'], async (ctx) => {
        ctx.measure('csq', 31)
        if (++modemRuns === 1) {
          release()
          await ctx.waitFor(async () => undefined, 600_000)
        }
        return { verdict: 'pass' }
      }),
      step('restore', [], pass),
    ])
    const running = c.run()
    await started
    c.abort()
    const record = await running
    expect(record.steps.map((s) => s.verdict)).toEqual(['pass', 'aborted', 'skipped'])
    expect(record.steps[1].attempts[0].measurements).toEqual([{ name: 'csq', value: 31, outcome: 'unset' }])
    expect(record.steps[2].attempts[0].reason).toBe('not run: the run was aborted')
    expect(record.status).toBe('aborted')
    expect(record.verdict).toBe('aborted')

    const resumed = await c.rerunFailed()
    expect(resumed.steps.map((s) => [s.id, s.attempts.map((a) => a.verdict)])).toEqual([
      ['console', ['pass']],
      ['modem', ['aborted', 'pass']],
      ['restore', ['skipped', 'pass']],
    ])
    expect(resumed).toMatchObject({ status: 'completed', verdict: 'pass' })
  })

  it('a lost link ends the run with status link-lost and does not run the rest', async () => {
    const c = checklist([step('console', [], pass), step('usb', ['console'], () => Promise.reject(new LinkLostError('/dev/ttyUSB0', 'unplugged'))), step('drivers', ['console'], pass)])
    const record = await c.run()
    expect(record.steps.map((s) => s.verdict)).toEqual(['pass', 'error', 'skipped'])
    expect(record.steps[1].attempts[0].remediation?.code).toBe('link-lost')
    expect(record.steps[2].attempts[0].reason).toBe('not run: the console link was lost')
    expect(record.status).toBe('link-lost')
  })

  it('a measurement out of its limits fails a step that claimed a pass', async () => {
    const c = checklist([
      step('modem', [], async (ctx) => {
        ctx.measure('signal', -101)
        return { verdict: 'pass' }
      }),
    ])
    const record = await c.run()
    expect(record.steps[0].verdict).toBe('fail')
    expect(record.steps[0].attempts[0].measurements[0]).toMatchObject({ outcome: 'fail', limits: { low: -93 } })
  })

  it('a measurement the step does not declare ends the step in error with a coded reason, even if the step catches it', async () => {
    const c = checklist([
      step('console', [], async (ctx) => {
        ctx.measure('uptime', 3)
        ctx.measure('uptme', 3)
        return { verdict: 'pass' }
      }),
      step('modem', [], async (ctx) => {
        try {
          ctx.measure('signall', -70)
        } catch {
          return { verdict: 'pass' }
        }
        return { verdict: 'pass' }
      }),
    ])
    const record = await c.run()
    expect(record.steps.map((s) => s.verdict)).toEqual(['error', 'error'])
    expect(record.steps[0].attempts[0]).toMatchObject({
      verdict: 'error',
      reasonCode: 'undeclared-measurement',
      reasonParams: { step: 'console', name: 'uptme' },
      reason: 'the step recorded the measurement uptme, which it does not declare (a fault in the station software)',
      error: { code: 'undeclared-measurement' },
      remediation: { code: 'station-error' },
      measurements: [{ name: 'uptime', value: 3, unit: 's', outcome: 'unset' }],
    })
    expect(record.steps[1].attempts[0]).toMatchObject({ verdict: 'error', reasonCode: 'undeclared-measurement', reasonParams: { step: 'modem', name: 'signall' } })
  })

  it('a reason or remediation code the step does not declare ends the step in error', async () => {
    const narrow = (id: string, outcome: StepOutcome): StepDefinition => ({ ...step(id, [], () => Promise.resolve(outcome)), reasons: ['bad'], remedies: ['no-signal'] })
    const c = checklist([
      narrow('console', { verdict: 'fail', reason: { code: 'bad' }, remediation: { code: 'sim-missing', cause: 'c', fix: 'f' } }),
      narrow('usb', { verdict: 'skipped', reason: { code: 'worse' } }),
      narrow('modem', { verdict: 'fail', reason: { code: 'bad' }, remediation: { code: 'no-signal', cause: 'c', fix: 'f' } }),
    ])
    const record = await c.run()
    expect(record.steps.map((s) => [s.verdict, s.attempts[0].reasonCode, s.attempts[0].reasonParams?.name])).toEqual([
      ['error', 'undeclared-remedy', 'sim-missing'],
      ['error', 'undeclared-reason', 'worse'],
      ['fail', 'bad', undefined],
    ])
  })

  it('masks the password in evidence and transcript, journals as it goes, writes the final record atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-runner-'))
    const c = checklist(
      [
        step('console', [], async (ctx) => {
          await ctx.sh('echo password hunter22')
          return { verdict: 'pass' }
        }),
      ],
      dir,
    )
    const journal = readdirSync(dir).find((n) => n.endsWith('.journal.jsonl'))
    expect(journal).toBeDefined()
    await c.run()
    const events = parseJournal(readFileSync(join(dir, journal as string), 'utf8'))
    expect(events.map((e) => e.k)).toEqual(expect.arrayContaining(['start', 'step-start', 'transcript', 'step-end']))
    const path = c.finish() as string
    expect(readdirSync(dir).filter((n) => n.endsWith('.journal.jsonl'))).toEqual([])
    const text = readFileSync(path, 'utf8')
    expect(text).not.toContain('hunter22')
    const saved = JSON.parse(text)
    expect(saved).toMatchObject({ verdict: 'pass', status: 'completed', unit: { serial: 'SN1' }, station: { id: 'bench-1', appVersion: '0.0.0-test', port: 'fake' }, profile: { hash: expect.stringMatching(/^[0-9a-f]{64}$/) } })
    expect(saved.digest).toMatch(/^[0-9a-f]{64}$/)
    expect(saved.steps[0].attempts[0].evidence.excerpt).toContain('echo password ')
    expect(recoverJournals(dir)).toEqual([])

    await c.rerun(['console'])
    expect(readdirSync(dir).filter((n) => n.endsWith('.journal.jsonl'))).toHaveLength(1)
    expect(c.finish()).toBe(path)
    expect(JSON.parse(readFileSync(path, 'utf8')).steps[0].attempts).toHaveLength(2)
    expect(readdirSync(dir).filter((n) => n.endsWith('.journal.jsonl'))).toEqual([])
  })
})
