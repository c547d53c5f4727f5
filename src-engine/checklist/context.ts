/** Builds the StepContext of one attempt: shell and AT with evidence, measurements, polling waits. */
import type { Measurement, StepAttempt, TranscriptEntry, UnitIdentity } from '@shared/record'
import type { RunResult } from '../session/types'
import type { Profile } from '../profile/schema'
import { pushFile } from '../push/index'
import { measurement } from './measure'
import { declarationOf, limitsFor, UndeclaredError } from './declare'
import type { AtReply, AtSender, ChecklistBoard, RunFacts, StepContext, StepDefinition } from './types'

/** Per-attempt collector: what the step ran and saw, what it measured. */
export interface AttemptLog {
  commands: string[]
  excerpt: string[]
  measurements: Measurement[]
  /** The error of the first name the step measured without declaring it, kept even if the step caught it. */
  undeclared?: UndeclaredError
}

/** Everything a context needs from the run. */
export interface ContextDeps {
  board: ChecklistBoard & { at: AtSender }
  profile: Profile
  /** The step running: its id and measurement declarations. */
  step: Pick<StepDefinition, 'id' | 'measures'>
  facts: RunFacts
  unit: UnitIdentity
  signal: AbortSignal
  /** Records a transcript entry (the runner masks and journals it). */
  transcript(entry: Omit<TranscriptEntry, 't'>): void
}

const EXCERPT_LIMIT = 6000
/** Real ms added to every wait: console round trips are not scaled with the virtual board's time. */
const WAIT_REAL_FLOOR_MS = 1_000

/** Sleeps `ms` real milliseconds or until a kernel message arrives or the signal aborts; a polling cadence, not a synchronisation. */
function pause(ms: number, deps: ContextDeps): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      offKernel()
      deps.signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    const offKernel = deps.board.session.on('kernel', done)
    deps.signal.addEventListener('abort', done, { once: true })
  })
}

/** Creates the context of one attempt and the log it fills. */
export function createStepContext(deps: ContextDeps): { ctx: StepContext; log: AttemptLog } {
  const log: AttemptLog = { commands: [], excerpt: [], measurements: [] }
  const scale = deps.board.timeScale ?? 1
  const realMs = (boardMs: number) => Math.max(1, Math.round(boardMs * scale))
  const addExcerpt = (text: string) => {
    log.excerpt.push(text)
  }
  const checkAbort = () => {
    if (deps.signal.aborted) throw deps.signal.reason instanceof Error ? deps.signal.reason : new AbortRunError()
  }

  const sh = async (command: string, options: { timeoutMs?: number } = {}): Promise<RunResult> => {
    checkAbort()
    log.commands.push(command)
    deps.transcript({ dir: 'tx', text: command })
    const boardTimeout = options.timeoutMs ?? deps.profile.timeouts.commandMs
    const result = await deps.board.session.run(command, { timeout: realMs(boardTimeout) + 5_000 })
    deps.transcript({ dir: 'rx', text: result.output })
    for (const line of result.kernel) deps.transcript({ dir: 'kmsg', text: line })
    addExcerpt(`# ${command}\n${result.output}${result.output.endsWith('\n') || !result.output ? '' : '\n'}[exit ${result.status}]`)
    return result
  }

  const at = async (command: string, options: { timeoutMs?: number } = {}): Promise<AtReply> => {
    checkAbort()
    log.commands.push(command)
    deps.transcript({ dir: 'tx', text: `[AT] ${command}` })
    const reply = await deps.board.at(command, options)
    deps.transcript({ dir: 'rx', text: reply.raw })
    addExcerpt(`> ${command}\n${reply.raw}`)
    return reply
  }

  const push = async (path: string, content: string, mode: number, options: { force?: boolean; secret?: boolean } = {}): Promise<{ changed: boolean }> => {
    checkAbort()
    log.commands.push(`push ${path}`)
    const result = await pushFile(deps.board.session, path, content, { mode, force: options.force, secret: options.secret })
    const line = result.method === 'skipped' ? `${path}: already identical (md5 ${result.md5}), mode ${mode.toString(8)}` : `${path}: pushed ${result.bytes} bytes by ${result.method}, verified by ${result.verified}, mode ${mode.toString(8)}`
    addExcerpt(line)
    deps.transcript({ dir: 'note', text: line })
    return { changed: result.method !== 'skipped' }
  }

  const ctx: StepContext = {
    profile: deps.profile,
    push,
    facts: deps.facts,
    unit: deps.unit,
    signal: deps.signal,
    timeScale: scale,
    sh,
    at,
    measure(name: string, value: Measurement['value']) {
      const declared = declarationOf(deps.step.measures, name, deps.profile)
      if (!declared) {
        const error = new UndeclaredError('undeclared-measurement', { step: deps.step.id, name })
        log.undeclared ??= error
        throw error
      }
      const m = measurement(name, value, { unit: declared.unit, limits: limitsFor(declared, deps.profile) })
      log.measurements = log.measurements.filter((x) => x.name !== name).concat(m)
      return m
    },
    async waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
      const deadline = Date.now() + realMs(timeoutMs) + WAIT_REAL_FLOOR_MS
      const interval = Math.min(100, Math.max(10, realMs(100)))
      for (;;) {
        checkAbort()
        const value = await probe()
        if (value !== undefined) return value
        const left = deadline - Date.now()
        if (left <= 0) return undefined
        await pause(Math.min(interval, left), deps)
      }
    },
    note(text: string) {
      addExcerpt(text)
      deps.transcript({ dir: 'note', text })
    },
    identify(fields: Partial<UnitIdentity>) {
      for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== '') (deps.unit as unknown as Record<string, unknown>)[key] = value
    },
  }
  return { ctx, log }
}

/** The operator aborted the run. */
export class AbortRunError extends Error {
  override name = 'AbortRunError'
  constructor(message = 'aborted by the operator') {
    super(message)
  }
}

/** Evidence of an attempt, bounded in size (the tail is kept: it holds the failure). */
export function evidenceOf(log: AttemptLog, mask: (text: string) => string): StepAttempt['evidence'] {
  let excerpt = mask(log.excerpt.join('\n'))
  if (excerpt.length > EXCERPT_LIMIT) excerpt = `[... ${excerpt.length - EXCERPT_LIMIT} characters before]\n${excerpt.slice(-EXCERPT_LIMIT)}`
  return { excerpt, commands: log.commands.map(mask) }
}
