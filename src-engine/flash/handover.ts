/** Hand-over after a verified flash: the bring-up checklist on the serial console, with the flash as its first step. */
import type { VirtualBoardOptions } from '@board/types'
import { flashStepRecord, type FlashResult } from '@shared/flash'
import type { RunRecord } from '@shared/record'
import { Checklist, checklistBoardFor, type ChecklistEvent } from '../checklist'
import { flashStep } from './step'
import { connect } from '../console'
import { DEFAULT_PROFILE, loadProfileFile, type Profile } from '../profile'
import type { StationKey } from '../report/signature'

/** Options of the hand-over. */
export interface HandoverOptions {
  flash: FlashResult
  /** Serial console of the flashed board. */
  port?: string
  /** A virtual console board instead of a port (demo, tests). */
  sim?: VirtualBoardOptions
  baudRate?: number
  profilePath?: string
  outDir?: string
  /** Signs the record written into `outDir` (the station key). */
  signer?: StationKey
  appVersion: string
  unitSerial?: string
  onEvent?: (event: ChecklistEvent) => void
}

/** Runs the bring-up on the flashed board and returns its record with `flash` filled; throws when the console cannot be opened. */
export async function handOverToBringup(options: HandoverOptions): Promise<{ record: RunRecord; recordPath?: string }> {
  const profile: Profile = options.profilePath ? loadProfileFile(options.profilePath) : DEFAULT_PROFILE
  const console = await connect({ port: options.port, sim: options.port ? undefined : (options.sim ?? {}), baudRate: options.baudRate ?? profile.baud })
  try {
    const { buildPlan } = await import('../checklist/plan')
    const checklist = new Checklist({
      board: checklistBoardFor(console, options.sim?.timeScale ?? 1),
      profile,
      steps: [flashStep(options.flash), ...buildPlan(profile)],
      appVersion: options.appVersion,
      unitSerial: options.unitSerial,
      outDir: options.outDir,
      signer: options.signer,
      onEvent: options.onEvent,
    })
    checklist.record.flash = options.flash as unknown as Record<string, unknown>
    await checklist.run()
    const index = checklist.record.steps.findIndex((s) => s.id === 'flash')
    if (index >= 0) checklist.record.steps[index] = flashStepRecord(options.flash)
    const recordPath = checklist.finish()
    return { record: checklist.record, recordPath }
  } finally {
    await console.close()
  }
}
