/** Checklist runs with live snapshots: start, rerun one step or the failed ones, abort; one run at a time. */
import type { RunRecord } from '@shared/record'
import type { FlashResult } from '@shared/flash'
import type { RunSnapshot, Settings } from '@shared/ipc'
import type { EventHub, SlotEventPayloads } from './events'
import { keyedOf, ServiceError } from './errors'
import type { Connection } from './console'

/** What stopped a run, in English for logs with its catalogue key when the error named one. */
function problemOf(error: unknown): { message: string; key?: string; params?: Record<string, string | number> } {
  return { message: error instanceof Error ? error.message : String(error), ...keyedOf(error) }
}

/** What a checklist engine must offer the app; `onUpdate` fires whenever the record changes. */
export interface ChecklistDriver {
  run(input: RunInput): Promise<RunRecord>
  rerun(input: RunInput & { previous: RunRecord; steps: 'failed' | string[] }): Promise<RunRecord>
}

/** Everything one run needs from the station. */
export interface RunInput {
  connection: Connection
  serial: string
  modes: Settings['modes']
  settings: Settings
  /** A verified flash that preceded this run (becomes the `flash` step). */
  flash?: FlashResult
  /** Run only these steps (with the steps they need); default the whole checklist. */
  only?: string[]
  signal: AbortSignal
  onUpdate(record: RunRecord, current?: string): void
}

/** Runs the checklist through a driver and publishes `run:update` snapshots; trusts validated inputs. */
export class RunService {
  private record: RunRecord | null = null
  private current: string | undefined
  private running = false
  private launching = false
  private startedAt = 0
  private endedAt = 0
  private error: { message: string; key?: string; params?: Record<string, string | number> } | undefined
  private abortController: AbortController | null = null
  private tick: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly events: EventHub<SlotEventPayloads>,
    private readonly driver: () => Promise<ChecklistDriver>,
    private readonly connection: () => Promise<Connection>,
    private readonly settings: () => Settings,
  ) {}

  /** True while a run drives the console (connection already chosen). */
  active(): boolean {
    return this.running
  }

  /** Starts a full run for `serial`; refuses when one is already going. */
  async start(
    serial: string,
    modes?: Settings['modes'],
    flash?: FlashResult,
    only?: string[],
  ): Promise<RunSnapshot> {
    return this.launch(serial, (d, input) => d.run({ ...input, flash, only: only?.length ? only : undefined }), modes)
  }

  /** Reruns the failed steps (or the named ones) of the last run, keeping earlier attempts. */
  async rerun(steps: 'failed' | string[]): Promise<RunSnapshot> {
    const previous = this.record
    if (!previous) throw ServiceError.keyed('no-run', 'noRun')
    if (Array.isArray(steps)) {
      const unknown = steps.filter((s) => !previous.steps.some((p) => p.id === s))
      if (unknown.length)
        throw ServiceError.keyed('unknown-step', 'noStepInRun', { steps: unknown.join(', ') })
    }
    return this.launch(previous.unit.serial, (d, input) => d.rerun({ ...input, previous, steps }))
  }

  /** Asks the running checklist to stop; what was measured is kept. */
  abort(): RunSnapshot {
    this.abortController?.abort(ServiceError.keyed('aborted', 'aborted'))
    return this.snapshot()
  }

  /** The run as the Run screen shows it. */
  snapshot(): RunSnapshot {
    const record = this.record ? stripTranscript(this.record) : null
    const steps = this.record?.steps ?? []
    const done = steps.filter((s) => s.verdict !== 'pending' && s.verdict !== 'running').length
    const ran = steps.filter((s) => s.attempts.some((a) => a.verdict !== 'skipped')).length
    const end = this.running ? Date.now() : this.endedAt
    return {
      running: this.running || this.launching,
      record,
      current: this.current,
      done,
      ran,
      total: steps.length,
      elapsedMs: this.startedAt ? end - this.startedAt : 0,
      ...(this.error ? { error: this.error.message, errorKey: this.error.key, errorParams: this.error.params } : {}),
    }
  }

  /** The last record in full (with transcript), if any. */
  last(): RunRecord | null {
    return this.record
  }

  private async launch(
    serial: string,
    go: (d: ChecklistDriver, input: RunInput) => Promise<RunRecord>,
    modes?: Settings['modes'],
  ): Promise<RunSnapshot> {
    if (this.running || this.launching)
      throw ServiceError.keyed('busy', 'runBusy')
    this.launching = true
    if (this.record && this.record.unit.serial !== serial) this.record = null
    this.error = undefined
    this.publish()
    let driver: ChecklistDriver
    let connection: Connection
    try {
      driver = await this.driver()
      connection = await this.connection()
    } catch (error) {
      this.launching = false
      this.error = problemOf(error)
      this.publish()
      throw error
    }
    this.launching = false
    this.running = true
    this.current = undefined
    this.startedAt = Date.now()
    this.endedAt = 0
    this.abortController = new AbortController()
    const settings = this.settings()
    this.tick = setInterval(() => this.publish(), 1000)
    const input: RunInput = {
      connection,
      serial,
      modes: modes ?? settings.modes,
      settings,
      signal: this.abortController.signal,
      onUpdate: (record, current) => {
        this.record = record
        this.current = current
        this.publish()
      },
    }
    let running: Promise<RunRecord>
    try {
      running = go(driver, input)
    } catch (error) {
      this.finish(error)
      throw error
    }
    running.then(
      (record) => {
        this.record = record
        this.finish()
      },
      (error: unknown) => this.finish(error),
    )
    this.publish()
    return this.snapshot()
  }

  private finish(error?: unknown): void {
    if (this.tick) clearInterval(this.tick)
    this.tick = null
    this.running = false
    this.current = undefined
    this.endedAt = Date.now()
    if (error) this.error = problemOf(error)
    this.abortController = null
    this.publish()
  }

  private publish(): void {
    this.events.emit('run:update', this.snapshot())
  }
}

function stripTranscript(record: RunRecord): Omit<RunRecord, 'transcript'> {
  const { transcript: _t, ...rest } = record
  return structuredClone(rest)
}
