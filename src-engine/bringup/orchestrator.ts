/** One bring-up of one unit on one console: the plan, the run and its reruns, abort, and the sealed record handed once to every output. */
import { flashStepRecord, type FlashResult } from '@shared/flash'
import type { RunRecord, StepId } from '@shared/record'
import type { KeyedMessage } from '@shared/i18n/render'
import { thrownDetail, thrownEnglish } from '@shared/thrown'
import { Checklist, type ChecklistEvent } from '../checklist/runner'
import type { ChecklistBoard } from '../checklist/types'
import type { Profile } from '../profile/schema'
import { sealedRecord } from '../report/json'
import { signRecord, type StationKey } from '../report/signature'
import { bringupPlan } from './plan'
import type { BringupSink } from './sinks'

/** Everything one bring-up needs; the caller opened the console and resolved the profile. */
export interface BringupOptions {
  board: ChecklistBoard
  profile: Profile
  /** A flash that preceded this bring-up: it becomes the first step (the flash's own record) and `record.flash`. */
  flash?: FlashResult
  /** Run only these steps and the steps they need; default the whole plan. */
  only?: string[]
  unitSerial?: string
  stationId?: string
  operator?: string
  appVersion: string
  gitSha?: string
  /** `support` marks a support-desk diagnosis; default production. */
  purpose?: 'production' | 'support'
  /** Folder of the run journal (crash recovery); no journal when absent. */
  journalDir?: string
  /** The outputs, called in order: events as they happen, the sealed record once per run or rerun. */
  outputs: BringupSink[]
  /** Aborts the run (the operator's Abort, Ctrl-C). */
  signal?: AbortSignal
  /** Signs the sealed record before any output stores it (the station key). */
  signer?: StationKey
}

/** A sink that threw while storing the record: its name, the error and `name: message`. */
export interface SinkFailure {
  sink: string
  error: unknown
  /** English, for logs. */
  message: string
  /** The catalogue message (reportWarning.sinkFailed with the error as detailKey). */
  keyed: KeyedMessage
}

/** The sealed record, the files the sinks wrote by kind, warnings that stopped nothing, and the sinks that failed to store the record (the journal is then kept). */
export interface BringupResult {
  record: RunRecord
  files: Partial<Record<string, string>>
  warnings: KeyedMessage[]
  failed: SinkFailure[]
}

/** The catalogue message of an output that failed: its name and what it threw. */
function sinkFailed(sink: string, error: unknown): KeyedMessage {
  return { key: 'reportWarning.sinkFailed', params: { ...thrownDetail(error), sink } }
}

/** A bring-up of one unit; reruns keep earlier attempts and go through the same outputs. */
export class Bringup {
  readonly record: RunRecord
  private readonly checklist: Checklist
  private readonly eventFaults = new Map<string, KeyedMessage>()

  constructor(private readonly options: BringupOptions) {
    this.checklist = new Checklist({
      board: options.board,
      profile: options.profile,
      steps: bringupPlan(options.profile, options.flash, options.only),
      unitSerial: options.unitSerial,
      stationId: options.stationId,
      operator: options.operator,
      appVersion: options.appVersion,
      gitSha: options.gitSha,
      outDir: options.journalDir,
      onEvent: (event) => this.emit(event),
    })
    this.record = this.checklist.record
    if (options.flash) this.record.flash = options.flash as unknown as Record<string, unknown>
    if (options.purpose === 'support') this.record.purpose = 'support'
  }

  /** The journal file while one is open (kept after a failed store, for recovery). */
  get journalPath(): string | undefined {
    return this.checklist.journalPath
  }

  /** Asks the run in flight to stop after the current command; steps not run are recorded as such. */
  abort(reason?: string): void {
    this.checklist.abort(reason)
  }

  /** Runs the whole plan once, then hands the sealed record to the outputs. */
  run(signal: AbortSignal | undefined = this.options.signal): Promise<BringupResult> {
    return this.drive(signal, async () => {
      await this.checklist.run()
      this.keepFlashRecord()
    })
  }

  /** Reruns the failed steps or the named ones (earlier attempts kept), then hands the record to the outputs again. */
  rerun(steps: 'failed' | StepId[], signal?: AbortSignal): Promise<BringupResult> {
    return this.drive(signal, async () => void (await (steps === 'failed' ? this.checklist.rerunFailed() : this.checklist.rerun(steps))))
  }

  private async drive(signal: AbortSignal | undefined, go: () => Promise<void>): Promise<BringupResult> {
    const onAbort = () => this.abort()
    const running = go()
    signal?.addEventListener('abort', onAbort)
    if (signal?.aborted) onAbort()
    try {
      await running
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
    this.checklist.seal()
    Object.assign(this.record, sealedRecord(this.record))
    if (this.options.signer) Object.assign(this.record, signRecord(this.record, this.options.signer))
    const files: BringupResult['files'] = {}
    const warnings = [...this.eventFaults.values()]
    this.eventFaults.clear()
    const failed: SinkFailure[] = []
    for (const sink of this.options.outputs) {
      if (!sink.finished) continue
      try {
        const result = await sink.finished(this.record)
        Object.assign(files, result?.files)
        warnings.push(...(result?.warnings ?? []))
      } catch (error) {
        failed.push({ sink: sink.name, error, message: `${sink.name}: ${thrownEnglish(error)}`, keyed: sinkFailed(sink.name, error) })
      }
    }
    if (!failed.length) this.checklist.closeJournal()
    return { record: this.record, files, warnings, failed }
  }

  private emit(event: ChecklistEvent): void {
    for (const sink of this.options.outputs) {
      try {
        sink.event?.(event, this.record)
      } catch (error) {
        if (!this.eventFaults.has(sink.name)) this.eventFaults.set(sink.name, sinkFailed(sink.name, error))
      }
    }
  }

  /** The flash step ran once from the flash result: its record becomes the flash's own (real times and duration). */
  private keepFlashRecord(): void {
    const flash = this.options.flash
    const index = this.record.steps.findIndex((s) => s.id === 'flash')
    if (!flash || index < 0) return
    const step = this.record.steps[index]
    if (step.attempts.length === 1 && (step.verdict === 'pass' || step.verdict === 'fail')) this.record.steps[index] = flashStepRecord(flash)
  }
}

/** Runs one bring-up to its end and returns the record the outputs stored. */
export function runBringup(options: BringupOptions): Promise<BringupResult> {
  return new Bringup(options).run()
}
