/** Hand-over after a verified flash: the bring-up orchestrator on the serial console, with the flash as its first step. */
import type { SimOptions } from '../link/endpoint'
import type { FlashResult } from '@shared/flash'
import type { RunRecord } from '@shared/record'
import type { KeyedMessage } from '@shared/i18n/render'
import { Bringup, eventSink, reportSink, type BringupSink } from '../bringup/index'
import { checklistBoardFor, type ChecklistEvent } from '../checklist'
import { connect } from '../console'
import { loadProfileFile, resolveProfile, type Profile } from '../profile'
import type { StationKey } from '../report/signature'

/** Options of the hand-over. */
export interface HandoverOptions {
  flash: FlashResult
  /** Serial console of the flashed board. */
  port?: string
  /** A virtual console board instead of a port (demo, tests). */
  sim?: SimOptions
  baudRate?: number
  profilePath?: string
  /** Results folder: the journal, the record and its reports (JSON, HTML, JUnit) and the results index, as `run --out` writes them. */
  outDir?: string
  /** More outputs after the results folder's. */
  outputs?: BringupSink[]
  /** Signs the record before it is stored (the station key). */
  signer?: StationKey
  appVersion: string
  unitSerial?: string
  stationId?: string
  operator?: string
  signal?: AbortSignal
  onEvent?: (event: ChecklistEvent) => void
}

/** Runs the bring-up on the flashed board and returns its record (with `flash` filled), the record's path and the outputs' warnings; throws when the console cannot be opened. */
export async function handOverToBringup(options: HandoverOptions): Promise<{ record: RunRecord; recordPath?: string; warnings: KeyedMessage[] }> {
  const profile: Profile = options.profilePath ? loadProfileFile(options.profilePath) : resolveProfile(undefined)
  const console = await connect({ port: options.port, sim: options.port ? undefined : (options.sim ?? {}), baudRate: options.baudRate ?? profile.baud, secrets: [profile.password] })
  try {
    const outputs: BringupSink[] = [
      ...(options.onEvent ? [eventSink(options.onEvent, 'progress')] : []),
      ...(options.outDir ? [reportSink(options.outDir)] : []),
      ...(options.outputs ?? []),
    ]
    const bringup = new Bringup({
      board: checklistBoardFor(console, options.sim?.timeScale ?? 1),
      profile,
      flash: options.flash,
      unitSerial: options.unitSerial,
      stationId: options.stationId,
      operator: options.operator,
      appVersion: options.appVersion,
      journalDir: options.outDir,
      outputs,
      signal: options.signal,
      signer: options.signer,
    })
    const { record, files, warnings, failed } = await bringup.run()
    return { record, recordPath: files.json, warnings: [...warnings, ...failed.map((f) => f.keyed)] }
  } finally {
    await console.close()
  }
}
