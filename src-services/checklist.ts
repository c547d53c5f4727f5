/** The engine's bring-up checklist behind the RunService's driver interface: one Checklist per unit, reruns on the same one. */
import { mkdirSync } from 'node:fs'
import { Checklist, buildPlan, checklistBoardFor, type StepDefinition } from '@engine/checklist/index'
import { flashVerdict, type FlashResult } from '@shared/flash'
import type { Profile } from '@engine/profile/index'
import type { RunRecord } from '@shared/record'
import type { ChecklistDriver, RunInput } from './run'
import { ServiceError } from './errors'

/** What the driver needs from the station. */
export interface ChecklistDeps {
  appVersion: string
  /** Folder of the run journals (crash recovery). */
  runsDir: string
  /** The profile chosen in the settings, resolved with its defaults. */
  profile(name: string): Profile
  /** Called with the record after every run or rerun (the reports get written there). */
  finished(record: RunRecord): Promise<void>
}

/** Drives `Checklist` from the engine; trusts inputs the RunService validated. */
export function createChecklistDriver(deps: ChecklistDeps): ChecklistDriver {
  let current: Checklist | null = null

  async function drive(checklist: Checklist, input: RunInput, go: () => Promise<RunRecord>): Promise<RunRecord> {
    const onAbort = () => checklist.abort()
    input.signal.addEventListener('abort', onAbort)
    input.onUpdate(checklist.record)
    try {
      const record = await go()
      checklist.finish()
      await input.connection.session.detach().catch(() => undefined)
      await deps.finished(record)
      return record
    } finally {
      input.signal.removeEventListener('abort', onAbort)
    }
  }

  return {
    run(input) {
      mkdirSync(deps.runsDir, { recursive: true })
      const base = deps.profile(input.settings.profile)
      const profile: Profile = { ...base, modes: input.modes.length ? input.modes : base.modes }
      const checklist = new Checklist({
        board: checklistBoardFor(input.connection, profile, input.connection.timeScale),
        profile,
        unitSerial: input.serial,
        stationId: input.settings.stationId || undefined,
        operator: input.settings.operator || undefined,
        appVersion: deps.appVersion,
        outDir: deps.runsDir,
        steps: input.flash ? [flashStep(input.flash), ...buildPlan(profile)] : undefined,
        onEvent: (event) => input.onUpdate(checklist.record, event.type === 'step-start' ? event.id : undefined),
      })
      if (input.flash) checklist.record.flash = input.flash as unknown as Record<string, unknown>
      current = checklist
      return drive(checklist, input, () => checklist.run())
    },
    rerun(input) {
      const checklist = current
      if (!checklist || checklist.record.id !== input.previous.id) throw new ServiceError('no-run', 'The last run is no longer open for reruns: start a new run')
      return drive(checklist, input, () => (input.steps === 'failed' ? checklist.rerunFailed() : checklist.rerun(input.steps)))
    },
  }
}

/** The checklist's `flash` step for a flash that already happened: its verdict is the flash's. */
function flashStep(result: FlashResult): StepDefinition {
  return {
    id: 'flash',
    title: 'Flash firmware over USB',
    needs: [],
    async run(ctx) {
      ctx.measure('throughput', Math.round(result.throughputBytesPerSec / 1e4) / 100, { unit: 'MB/s' })
      ctx.measure('verify', result.verify, { limits: { equals: 'pass' } })
      ctx.note(`${result.image.name} -> ${result.medium} on ${result.device.address}: ${result.outcome}`)
      if (flashVerdict(result) === 'pass') return { verdict: 'pass', reason: 'written and verified by read-back hash' }
      const why = result.error?.message ?? result.outcome
      return { verdict: 'fail', reason: why, remediation: { code: 'flash-failed', cause: why, fix: 'Re-enter burning mode and flash again; replace the board if the medium keeps failing.' } }
    },
  }
}
