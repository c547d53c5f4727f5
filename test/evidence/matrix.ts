import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listScenarios } from '@board/scenarios/index'
import { generatePppFiles } from '@engine/ppp/index'
import { resolveProfile } from '@engine/profile/index'
import {
  boardMd5,
  firstProblem,
  leftoverJournals,
  MOMENT_STEPS,
  recordProblems,
  runUnit,
  stepSummary,
  type FaultKind,
  type FaultMoment,
} from './harness'

/** What each scenario ends with when no fault strikes: the first step that does not pass, its verdict and remediation codes. */
export const BASELINE: Record<
  string,
  { step?: string; verdict: 'pass' | 'fail' | 'error'; codes?: string[] }
> = {
  healthy: { verdict: 'pass' },
  'no-sim': { step: 'modem', verdict: 'fail', codes: ['sim-missing'] },
  'weak-signal': { step: 'modem', verdict: 'fail', codes: ['weak-signal'] },
  'no-signal': { step: 'modem', verdict: 'fail', codes: ['no-signal'] },
  'not-registered': { step: 'modem', verdict: 'fail', codes: ['registration-denied'] },
  'no-option-vidpid': { step: 'usb', verdict: 'fail', codes: ['option-vidpid-missing'] },
  'no-rndis-driver': { step: 'drivers', verdict: 'fail', codes: ['kernel-rndis-missing'] },
  'no-pppd': { step: 'userland', verdict: 'fail', codes: ['pppd-missing'] },
  'module-stuck-after-reset': {
    step: 'rndis.mode',
    verdict: 'fail',
    codes: ['module-stuck-after-reset'],
  },
  'dhcp-timeout': { step: 'ecm.dial', verdict: 'fail', codes: ['dhcp-no-lease'] },
  'lossy-network': { step: 'ecm.net', verdict: 'fail', codes: ['high-loss', 'high-latency'] },
  'dns-failure': { step: 'ecm.net', verdict: 'fail', codes: ['dns-failure'] },
  'readonly-rootfs': { step: 'ppp-config', verdict: 'fail', codes: ['rootfs-readonly'] },
  'reboot-mid-run': { verdict: 'error', codes: ['board-rebooted'] },
  'unplug-mid-transfer': { verdict: 'error', codes: ['link-lost'] },
  'noisy-line': { step: 'console', verdict: 'error', codes: ['console-unreachable', 'line-noise'] },
}

const MOMENTS: FaultMoment[] = ['before', 'push', 'reset', 'dial', 'ping']
const FAULT_CODE: Record<FaultKind, string> = { reboot: 'board-rebooted', unplug: 'link-lost' }
const OLD_CONTENT = (path: string) => `# old ${path} from the previous firmware\n`
const TIME_SCALE = 0.01
/** Cells run three at a time: at this time scale a board's 30 s chat timeout is 0.3 s real, so more would starve the event loop. */
const slots = limiter(3)

function limiter(size: number): { run<T>(job: () => Promise<T>): Promise<T> } {
  let active = 0
  const waiting: (() => void)[] = []
  return {
    async run<T>(job: () => Promise<T>): Promise<T> {
      if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve))
      active++
      try {
        return await job()
      } finally {
        active--
        waiting.shift()?.()
      }
    },
  }
}

/** The fault matrix for one fault kind: every scenario × every moment, then a healthy unit in the same process and results folder. */
export function faultMatrix(kind: FaultKind): void {
  const profile = resolveProfile(undefined)
  const newFiles = generatePppFiles({
    device: profile.device,
    apn: profile.apn,
    user: profile.user,
    password: profile.password,
    modemBaud: profile.modemBaud,
  })
  const scenarios = listScenarios().map((s) => s.name)

  it('the baseline table covers every scenario of the board', () => {
    expect(Object.keys(BASELINE).sort()).toEqual([...scenarios].sort())
  })

  const outDir = mkdtempSync(join(tmpdir(), `k230-matrix-${kind}-`))
  for (const scenario of scenarios) {
    describe.concurrent(`${scenario} × ${kind}`, () => {
      for (const moment of MOMENTS) {
        it(`${kind} ${moment === 'before' ? 'before the run' : `during ${moment}`}`, async ({
          expect,
        }) => {
          const serial = `SN-${scenario}-${moment}`
          const run = await slots.run(() =>
            runUnit({
              scenario,
              outDir,
              serial,
              timeScale: TIME_SCALE,
              profile,
              fault: { moment, kind, nth: moment === 'push' ? 3 : 1 },
              prepare: (board) => {
                for (const f of newFiles) board.fs.seed(f.path, OLD_CONTENT(f.path), 0o755)
              },
            }),
          )
          const { record } = run
          const summary = `${stepSummary(record)} (fired: ${run.fired} in ${run.stepAtFault})`
          const consoleUnreadable =
            BASELINE[scenario].step === 'console' && BASELINE[scenario].verdict === 'error'
          const bootedBeforeStart =
            moment === 'before' &&
            kind === 'reboot' &&
            (record.steps[0].verdict === 'pass' || consoleUnreadable)
          if (run.fired && !bootedBeforeStart) {
            const blamedId = run.stepAtFault ?? 'console'
            expect(blamedId, summary).toMatch(MOMENT_STEPS[moment])
            const blamed = record.steps.find((s) => s.id === blamedId)
            expect(blamed?.verdict, summary).toBe('error')
            expect(blamed?.attempts.at(-1)?.remediation?.code, summary).toBe(FAULT_CODE[kind])
            expect(record.verdict, summary).toBe('error')
            const after = record.steps.slice(record.steps.findIndex((s) => s.id === blamedId) + 1)
            if (kind === 'unplug') {
              expect(record.status, summary).toBe('link-lost')
              for (const s of after)
                expect(s.verdict, `${s.id} ran after the console was lost: ${summary}`).toBe(
                  'skipped',
                )
            } else {
              for (const s of after.filter((s) => s.needs.includes(blamedId)))
                expect(s.verdict, `${s.id} needs the step the reboot broke: ${summary}`).toBe(
                  'skipped',
                )
            }
          } else {
            const expected = BASELINE[scenario]
            const first = firstProblem(record)
            expect(record.verdict, summary).toBe(expected.verdict)
            if (expected.step) expect(first?.id, summary).toBe(expected.step)
            if (expected.codes)
              expect(expected.codes, summary).toContain(first?.attempts.at(-1)?.remediation?.code)
          }
          expect(await recordProblems(run.recordPath, record)).toEqual([])
          for (const f of newFiles)
            expect(
              [
                boardMd5(run.board, f.path) === md5(OLD_CONTENT(f.path))
                  ? 'old'
                  : boardMd5(run.board, f.path) === md5(f.content)
                    ? 'new'
                    : `half-written: ${run.board.fs.readText(f.path).slice(0, 80)}`,
              ],
              f.path,
            ).toEqual([expect.stringMatching(/^(old|new)$/)])
          if (moment === 'push' && run.fired) {
            const states = newFiles.map((f) =>
              boardMd5(run.board, f.path) === md5(f.content) ? 'new' : 'old',
            )
            expect(
              states,
              'a push cut at the third file keeps the first two new and the rest old',
            ).toEqual(['new', 'new', 'old', 'old', 'old', 'old'])
          }
        })
      }
    })
  }

  describe('after every cell above, in the same process and results folder', () => {
    it('a healthy unit starts without a restart, passes, and no journal is left behind', async () => {
      const run = await runUnit({
        scenario: 'healthy',
        outDir,
        serial: `SN-after-${kind}`,
        timeScale: TIME_SCALE,
        profile,
      })
      expect(run.record.verdict, stepSummary(run.record)).toBe('pass')
      expect(await recordProblems(run.recordPath, run.record)).toEqual([])
      expect(leftoverJournals(outDir)).toEqual([])
      expect(readdirSync(outDir).filter((f) => f.endsWith('.json'))).toHaveLength(
        scenarios.length * MOMENTS.length + 1,
      )
    })
  })
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex')
}
