/** The engine's bring-up checklist behind the RunService's driver interface: one Checklist per unit, reruns on the same one. */
import { mkdirSync } from 'node:fs'
import { Checklist, buildPlan, checklistBoardFor } from '@engine/checklist/index'
import { flashStep } from '@engine/flash/step'
import type { Profile } from '@engine/profile/index'
import type { StepDefinition } from '@engine/checklist/types'
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
  /** Called with the record after every run or rerun (the reports get written there). */
  finished(record: RunRecord): Promise<void>
}

/** The plan cut down to the `only` steps and every step they need, in plan order; the whole plan when `only` is absent; an unknown id is refused. */
export function withNeeds(plan: StepDefinition[], only: string[] | undefined): StepDefinition[] {
  if (!only) return plan
  const unknown = only.filter((id) => !plan.some((s) => s.id === id))
  if (unknown.length) throw new ServiceError('unknown-step', `No step named ${unknown.join(', ')} in the checklist`)
  const keep = new Set<string>()
  const add = (id: string) => {
    if (keep.has(id)) return
    keep.add(id)
    for (const need of plan.find((s) => s.id === id)?.needs ?? []) add(need)
  }
  only.forEach(add)
  return plan.filter((s) => keep.has(s.id))
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
        board: checklistBoardFor(input.connection, input.connection.timeScale),
        profile,
        unitSerial: input.serial,
        stationId: input.settings.stationId || undefined,
        operator: input.settings.operator || undefined,
        appVersion: deps.appVersion,
        outDir: deps.runsDir,
        steps: withNeeds(input.flash ? [flashStep(input.flash), ...buildPlan(profile)] : buildPlan(profile), input.only),
        onEvent: (event) => input.onUpdate(checklist.record, event.type === 'step-start' ? event.id : undefined),
      })
      if (input.flash) checklist.record.flash = input.flash as unknown as Record<string, unknown>
      if (deps.purpose?.() === 'support') checklist.record.purpose = 'support'
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
