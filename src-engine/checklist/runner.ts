/** Runs a checklist: order, skip-by-dependency, attempts kept on rerun, abort, link loss, verdict roll-up, journal. */
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { cleanLabel, overallVerdict, RECORD_SCHEMA_VERSION, type RunRecord, type StepAttempt, type StepId, type StepRecord, type TranscriptEntry } from '@shared/record'
import type { Profile } from '../profile/schema'
import { maskedProfile, profileHash } from '../profile/hash'
import { secretMasker } from '../secrets/mask'
import { RunJournal } from '../record/journal'
import { writeRecordFile } from '../record/atomic'
import type { StationKey } from '../report/signature'
import { recordFileName } from '../record/names'
import { AbortRunError, createStepContext, evidenceOf } from './context'
import { classifyThrown } from './errors'
import { reason, reasonEnglish, remedy } from './remediation'
import type { Coded } from '@shared/i18n/render'
import { SessionError } from '../session/types'
import { ShellStrategy } from '../session/strategy'
import { buildPlan, validatePlan } from './plan'
import { undeclaredIn } from './declare'
import type { AtSender, ChecklistBoard, RunFacts, StepDefinition, StepOutcome } from './types'
import { createBoardAtChannel } from '../at/index'
import { atSenderFromChannel } from './at-channel'
import { join } from 'node:path'

/** Progress of a run, for the CLI and the UI. */
export type ChecklistEvent =
  | { type: 'step-start'; id: StepId; title: string; attempt: number; index: number; total: number }
  | { type: 'step-end'; id: StepId; title: string; attempt: StepAttempt; index: number; total: number }
  | { type: 'run-end'; record: RunRecord }

/** Everything a run needs. */
export interface ChecklistOptions {
  board: ChecklistBoard
  profile: Profile
  /** Default: buildPlan(profile). */
  steps?: StepDefinition[]
  unitSerial?: string
  stationId?: string
  operator?: string
  appVersion: string
  gitSha?: string
  /** Directory for the journal and the final record; no files when absent. */
  outDir?: string
  /** Signs the record file written by finish() (the station key). */
  signer?: StationKey
  onEvent?: (event: ChecklistEvent) => void
}

/** One bring-up run of one unit; its record grows as steps finish and keeps every attempt. */
export class Checklist {
  readonly record: RunRecord
  readonly steps: StepDefinition[]
  private readonly facts: RunFacts = { ttys: [], drivers: [], debugfsMounted: false }
  private controller = new AbortController()
  private readonly started = Date.now()
  private readonly masker: (text: string) => string
  private journal: RunJournal | undefined
  private linkLost = false
  private busy = false
  private readonly strategy: ShellStrategy
  recordPath: string | undefined
  private readonly board: ChecklistBoard & { at: AtSender }

  constructor(private readonly options: ChecklistOptions) {
    this.steps = options.steps ?? buildPlan(options.profile)
    const { session, timeScale = 1 } = options.board
    this.board = { ...options.board, at: options.board.at ?? atSenderFromChannel(createBoardAtChannel(session, { device: options.profile.device, baud: options.profile.modemBaud }), timeScale) }
    validatePlan(this.steps)
    this.masker = secretMasker([options.profile.password].filter((s) => s.length > 0))
    const profile = options.profile
    this.record = {
      schemaVersion: RECORD_SCHEMA_VERSION,
      id: randomUUID(),
      unit: { serial: cleanLabel(options.unitSerial ?? '') },
      station: { id: cleanLabel(options.stationId ?? hostname()), operator: options.operator === undefined ? undefined : cleanLabel(options.operator), appVersion: options.appVersion, gitSha: options.gitSha, port: options.board.port, baud: options.board.baud ?? profile.baud },
      profile: { name: profile.name, hash: profileHash(profile), values: maskedProfile(profile) },
      startedAt: new Date(this.started).toISOString(),
      status: 'running',
      verdict: 'running',
      simulated: options.board.simulated === true || options.board.port.startsWith('virtual:'),
      steps: this.steps.map((s): StepRecord => ({ id: s.id, title: s.title, needs: [...s.needs], attempts: [], verdict: 'pending' })),
      transcript: [],
    }
    if (options.outDir) this.journal = RunJournal.create(options.outDir, this.record)
    this.strategy = options.board.strategy ?? new ShellStrategy(session, { timeScale })
    this.strategy.onReboot((line) => this.transcript({ dir: 'note', text: `board rebooted: ${line}` }))
  }

  /** Path of the open journal (kept on disk until the record is written), if any. */
  get journalPath(): string | undefined {
    return this.journal?.path
  }

  /** Masks the PPP password in any text bound for the record. */
  private maskCoded(coded: Coded): Pick<StepAttempt, 'reason' | 'reasonCode' | 'reasonParams'> {
    const params = coded.params ? Object.fromEntries(Object.entries(coded.params).map(([k, v]) => [k, typeof v === 'string' ? this.mask(v) : v])) : undefined
    return codedFields({ code: coded.code, ...(params ? { params } : {}) })
  }

  mask(text: string): string {
    return this.masker(text)
  }

  /** Asks the run to stop: the step in flight ends `aborted`, the rest are not run. */
  abort(reason = 'aborted by the operator'): void {
    if (!this.controller.signal.aborted) this.controller.abort(new AbortRunError(reason))
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** Runs every step in order. */
  run(): Promise<RunRecord> {
    return this.execute(this.steps.map((s) => s.id))
  }

  /** Runs the named steps again (in plan order); earlier attempts stay in the record; an earlier abort does not carry over. */
  rerun(ids: StepId[]): Promise<RunRecord> {
    const unknown = ids.filter((id) => !this.steps.some((s) => s.id === id))
    if (unknown.length) throw new Error(`unknown step id(s): ${unknown.join(', ')}`)
    this.clearFinishedAbort()
    return this.execute(this.steps.filter((s) => ids.includes(s.id)).map((s) => s.id))
  }

  /** Runs again every step whose last attempt did not pass (failed, error, skipped, aborted). */
  rerunFailed(): Promise<RunRecord> {
    this.clearFinishedAbort()
    return this.execute(this.record.steps.filter((s) => s.verdict !== 'pass' && s.verdict !== 'pending').map((s) => s.id))
  }

  /** A rerun is a new request from the operator: the abort of a run that has ended no longer applies. */
  private clearFinishedAbort(): void {
    if (!this.busy && this.controller.signal.aborted) this.controller = new AbortController()
  }

  /** Writes the record atomically (same file on every call, reruns included) and removes the journal; returns the path. A later rerun opens a new journal. */
  finish(): string | undefined {
    this.seal()
    if (!this.options.outDir) return undefined
    const path = this.recordPath ?? join(this.options.outDir, recordFileName(this.record))
    Object.assign(this.record, writeRecordFile(path, this.record, this.options.signer))
    this.closeJournal()
    this.recordPath = path
    return path
  }

  /** Rolls up the verdict, fills the end time, the unit serial and the masked full transcript, and marks the journal ended; writes no record file. */
  seal(): RunRecord {
    this.rollUp()
    if (!this.record.endedAt) this.record.endedAt = new Date().toISOString()
    if (!this.record.unit.serial) this.record.unit.serial = this.record.unit.imei ? `IMEI-${this.record.unit.imei}` : 'unknown'
    const full = this.board.transcript?.()
    if (full?.length) this.record.transcript = full.map((e) => ({ ...e, text: this.mask(e.text) }))
    this.journal?.append({ k: 'unit', unit: this.record.unit })
    this.journal?.append({ k: 'end', status: this.record.status, endedAt: this.record.endedAt }, true)
    return this.record
  }

  /** Removes the journal once the sealed record is stored; trusts the caller that it is. A later rerun opens a new journal. */
  closeJournal(): void {
    this.journal?.remove()
    this.journal = undefined
  }

  private transcript(entry: Omit<TranscriptEntry, 't'>): void {
    const full: TranscriptEntry = { t: Date.now() - this.started, dir: entry.dir, text: this.mask(entry.text) }
    this.record.transcript.push(full)
    this.journal?.append({ k: 'transcript', entries: [full] })
  }

  private stepRecord(id: StepId): StepRecord {
    const found = this.record.steps.find((s) => s.id === id)
    if (!found) throw new Error(`unknown step '${id}'`)
    return found
  }

  private unmet(step: StepDefinition): Coded | undefined {
    for (const need of step.needs) {
      const dep = this.record.steps.find((s) => s.id === need)
      if (!dep) continue
      if (dep.verdict === 'pass') continue
      const state = dep.verdict === 'running' ? 'pending' : dep.verdict
      return reason(`needs-${state}`, { step: need })
    }
    return undefined
  }

  private async execute(ids: StepId[]): Promise<RunRecord> {
    if (this.busy) throw new Error('a run is already in progress')
    this.busy = true
    if (this.options.outDir && !this.journal) this.journal = RunJournal.create(this.options.outDir, this.record)
    this.record.status = 'running'
    this.record.verdict = 'running'
    try {
      const total = ids.length
      for (const [index, id] of ids.entries()) {
        const step = this.steps.find((s) => s.id === id) as StepDefinition
        const record = this.stepRecord(id)
        const attemptNo = record.attempts.length + 1
        const startedAt = new Date()
        const stop = this.linkLost ? reason('not-run-link-lost') : this.signal.aborted ? reason('not-run-aborted') : undefined
        const unmet = stop ?? this.unmet(step)
        if (unmet) {
          this.finishAttempt(step, index, total, { attempt: attemptNo, verdict: 'skipped', ...codedFields(unmet), startedAt: startedAt.toISOString(), endedAt: startedAt.toISOString(), durationMs: 0, measurements: [], evidence: { excerpt: '' } })
          continue
        }
        record.verdict = 'running'
        this.options.onEvent?.({ type: 'step-start', id, title: step.title, attempt: attemptNo, index, total })
        this.journal?.append({ k: 'step-start', id, attempt: attemptNo, startedAt: startedAt.toISOString() }, true)
        this.finishAttempt(step, index, total, await this.attempt(step, attemptNo, startedAt))
      }
    } finally {
      this.busy = false
    }
    this.rollUp()
    this.record.endedAt = new Date().toISOString()
    this.options.onEvent?.({ type: 'run-end', record: this.record })
    return this.record
  }

  private async attempt(step: StepDefinition, attemptNo: number, startedAt: Date): Promise<StepAttempt> {
    const { ctx, log } = createStepContext({
      board: this.board,
      profile: this.options.profile,
      step,
      facts: this.facts,
      unit: this.record.unit,
      signal: this.signal,
      transcript: (entry) => this.transcript(entry),
    })
    let outcome: StepOutcome | undefined
    let thrown: ReturnType<typeof classifyThrown> | undefined
    this.strategy.beginWork()
    try {
      if (!step.offline) await this.strategy.transition('shell-ready')
      outcome = await step.run(ctx)
      const undeclared = log.undeclared ?? undeclaredIn(step, outcome)
      if (undeclared) throw undeclared
      const failed = log.measurements.filter((m) => m.outcome === 'fail')
      if (outcome.verdict === 'pass' && failed.length) {
        outcome = {
          verdict: 'fail',
          reason: reason('out-of-limits', { measurements: failed.map((m) => m.name).join(',') }),
          remediation: remedy('measurement-out-of-limits', { measurements: failed.map((m) => m.name).join(',') }),
        }
      }
    } catch (error) {
      thrown = classifyThrown(error, this.signal)
      if (thrown.linkLost) this.linkLost = true
      this.strategy.failed(thrown.code)
    }
    const rebooted = this.strategy.rebootedDuringWork()
    if (rebooted !== undefined && thrown === undefined && !step.offline) {
      thrown = classifyThrown(new SessionError('board-rebooted', `The board rebooted during the step: ${rebooted}`), this.signal)
      await this.strategy.transition('unknown')
    }
    const endedAt = new Date()
    const base = { attempt: attemptNo, startedAt: startedAt.toISOString(), endedAt: endedAt.toISOString(), durationMs: endedAt.getTime() - startedAt.getTime(), measurements: log.measurements, evidence: evidenceOf(log, (t) => this.mask(t)) }
    if (thrown) return { ...base, verdict: thrown.verdict, ...this.maskCoded(thrown.reason ?? thrownReason(thrown.verdict, thrown.code, thrown.message)), error: { code: thrown.code, message: this.mask(thrown.message) }, ...(thrown.remediation ? { remediation: thrown.remediation } : {}) }
    const result = outcome as StepOutcome
    return { ...base, verdict: result.verdict, ...(result.reason ? this.maskCoded(result.reason) : {}), ...(result.verdict === 'fail' ? { remediation: result.remediation } : {}) }
  }

  private finishAttempt(step: StepDefinition, index: number, total: number, attempt: StepAttempt): void {
    const record = this.stepRecord(step.id)
    record.attempts.push(attempt)
    record.verdict = attempt.verdict
    this.journal?.append({ k: 'unit', unit: this.record.unit })
    this.journal?.append({ k: 'step-end', id: step.id, attempt }, true)
    this.options.onEvent?.({ type: 'step-end', id: step.id, title: step.title, attempt, index, total })
  }

  private rollUp(): void {
    this.record.status = this.linkLost ? 'link-lost' : this.signal.aborted ? 'aborted' : 'completed'
    this.record.verdict = overallVerdict(
      this.record.steps.map((s) => s.verdict),
      { aborted: this.signal.aborted, linkLost: this.linkLost },
    )
  }
}

/** The attempt fields of a coded reason: the English text for JSON readers, the code and parameters for the catalogues. */
function codedFields(coded: Coded): Pick<StepAttempt, 'reason' | 'reasonCode' | 'reasonParams'> {
  return { reason: reasonEnglish(coded), reasonCode: coded.code, ...(coded.params ? { reasonParams: coded.params } : {}) }
}

const ERROR_REASONS = new Set(['timeout', 'link-lost', 'board-rebooted', 'kernel-panic', 'no-prompt', 'login-failed', 'internal'])

/** The coded reason of an attempt that threw: the operator's abort or the station's error with its message. */
function thrownReason(verdict: 'error' | 'aborted', code: string, message: string): Coded {
  if (verdict === 'aborted') return reason('aborted')
  return ERROR_REASONS.has(code) ? reason(`error-${code}`, { message }) : reason('error-generic', { code, message })
}
