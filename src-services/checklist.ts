/** The engine's bring-up orchestrator behind the RunService's driver interface: one Bringup per unit, reruns on the same one. */
import { mkdirSync } from 'node:fs'
import { checklistBoardFor } from '@engine/checklist/index'
import { Bringup, eventSink, PlanError, storeSink, UnknownStepError, type BringupResult } from '@engine/bringup/index'
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
  /** `support` while the support desk diagnoses a returned unit (the record is marked and kept apart); default production. */
  purpose?(): 'production' | 'support'
  /** Stores the record after every run or rerun (the results sink: the record file, reports, ledger, index). */
  finished(record: RunRecord): Promise<void>
}

/** Drives the engine's one bring-up orchestrator; trusts inputs the RunService validated. */
export function createChecklistDriver(deps: ChecklistDeps): ChecklistDriver {
  let current: Bringup | null = null

  async function drive(bringup: Bringup, input: RunInput, go: (signal: AbortSignal) => Promise<BringupResult>): Promise<RunRecord> {
    input.onUpdate(bringup.record)
    const { record, failed } = await go(input.signal)
    await input.connection.session.detach().catch(() => undefined)
    if (failed.length) throw ServiceError.keyed('not-stored', 'notStored', { ...failed[0].keyed.params, detailKey: failed[0].keyed.key, detail: failed.map((f) => f.message).join('; ') })
    return record
  }

  return {
    run(input) {
      mkdirSync(deps.runsDir, { recursive: true })
      const base = deps.profile(input.settings.profile)
      const profile: Profile = { ...base, modes: input.modes.length ? input.modes : base.modes }
      let bringup: Bringup
      try {
        bringup = new Bringup({
          board: checklistBoardFor(input.connection, input.connection.timeScale),
          profile,
          flash: input.flash,
          only: input.only,
          unitSerial: input.serial,
          stationId: input.settings.stationId || undefined,
          operator: input.settings.operator || undefined,
          appVersion: deps.appVersion,
          purpose: deps.purpose?.(),
          journalDir: deps.runsDir,
          outputs: [
            eventSink((event, record) => input.onUpdate(record, event.type === 'step-start' ? event.id : undefined)),
            storeSink(async (record) => void (await deps.finished(record))),
          ],
        })
      } catch (error) {
        if (error instanceof UnknownStepError) throw ServiceError.keyed('unknown-step', 'noStepInPlan', { steps: error.ids.join(', ') })
        if (error instanceof PlanError) throw ServiceError.catalogued('bad-plan', error.key, error.params)
        throw error
      }
      current = bringup
      return drive(bringup, input, (signal) => bringup.run(signal))
    },
    rerun(input) {
      const bringup = current
      if (!bringup || bringup.record.id !== input.previous.id) throw ServiceError.keyed('no-run', 'rerunClosed')
      return drive(bringup, input, (signal) => bringup.rerun(input.steps, signal))
    },
  }
}
