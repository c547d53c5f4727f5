import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import type { RunRecord, StepRecord } from '@shared/record'
import type { VirtualBoard } from '@board/types'
import { createVirtualBoard, type VirtualBoardHandle } from '@board/board'
import { connect } from '@engine/console'
import { Checklist, checklistBoardFor } from '@engine/checklist/index'
import { resolveProfile, type Profile } from '@engine/profile/index'
import { validateRecord, verifyFile } from '@engine/report/index'
import { testStation } from '../reports/helpers/keys'

/** The evidence runs' station key: records are signed with it and verified against it. */
export const station = testStation('evidence')

/** The moments of a run at which a fault can strike; `before` strikes once the board is up, before the first step. */
export type FaultMoment = 'before' | 'push' | 'reset' | 'dial' | 'ping'
/** What strikes: the board power-cycles, or the USB-serial console is pulled out. */
export type FaultKind = 'reboot' | 'unplug'

/** Text typed into the board that marks each moment (the engine's own commands, as the board receives them). */
export const MOMENT_TRIGGERS: Record<Exclude<FaultMoment, 'before'>, RegExp> = {
  push: /base64 -d >/,
  reset: /AT\+CFUN=1,1/,
  dial: /AT\+QNETDEVCTL=3,1,1|^\/etc\/ppp\/quectel-pppd\.sh /m,
  ping: /(^|\n)ping /,
}

/** The step a fault at each moment must be blamed on (for a run whose plan reaches the moment). */
export const MOMENT_STEPS: Record<FaultMoment, RegExp> = {
  before: /^console$/,
  push: /^ppp-config$/,
  reset: /\.mode$|^restore$/,
  dial: /\.dial$/,
  ping: /\.net$/,
}

/** A board wrapper that lets the board see typed bytes and strikes `kind` the `nth` time `trigger` is typed (push: the nth batch). */
export class FaultInjector implements VirtualBoard {
  fired = false
  private seen = 0
  constructor(
    readonly board: VirtualBoardHandle,
    private readonly trigger: RegExp | null,
    private readonly kind: FaultKind,
    private readonly nth = 1,
  ) {}
  get options() {
    return this.board.options
  }
  get services() {
    return this.board.services
  }
  write(data: Uint8Array | string): void {
    this.board.write(data)
    if (this.fired || !this.trigger) return
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('latin1')
    if (!this.trigger.test(text)) return
    if (++this.seen < this.nth) return
    this.strike()
  }
  /** Strikes now (also used for `before`). */
  strike(): void {
    this.fired = true
    if (this.kind === 'unplug') this.board.unplug()
    else this.board.reboot()
  }
  onData = (l: (chunk: Uint8Array) => void) => this.board.onData(l)
  onUnplug = (l: () => void) => this.board.onUnplug(l)
  powerOn = () => this.board.powerOn()
  powerOff = () => this.board.powerOff()
  reboot = () => this.board.reboot()
  unplug = () => this.board.unplug()
  whenReady = () => this.board.whenReady()
  close = () => this.board.close()
}

/** One unit's run on a fresh virtual board, optionally with a fault. */
export interface UnitRun {
  record: RunRecord
  recordPath: string | undefined
  board: VirtualBoardHandle
  fired: boolean
  /** Step running when the fault struck. */
  stepAtFault: string | undefined
}

/** Options of runUnit. */
export interface UnitOptions {
  scenario: string
  outDir: string
  serial: string
  timeScale?: number
  profile?: Profile
  fault?: { moment: FaultMoment; kind: FaultKind; nth?: number }
  /** Called on the board before the run (e.g. to seed old files). */
  prepare?: (board: VirtualBoardHandle) => void
  seed?: number
}

/** Runs the whole checklist like the CLI does (connect, checklistBoardFor, Checklist, finish) on a line-rate-free virtual board. */
export async function runUnit(options: UnitOptions): Promise<UnitRun> {
  const timeScale = options.timeScale ?? 0.005
  const profile = options.profile ?? resolveProfile(undefined)
  const board = createVirtualBoard({
    scenario: options.scenario,
    timeScale,
    lineRate: process.env.EV_LINERATE === '1',
    seed: options.seed ?? 1,
  })
  options.prepare?.(board)
  const fault = options.fault
  const injector = new FaultInjector(
    board,
    fault && fault.moment !== 'before' ? MOMENT_TRIGGERS[fault.moment] : null,
    fault?.kind ?? 'reboot',
    fault?.nth ?? 1,
  )
  const console = await connect({ board: injector, secrets: [profile.password] })
  let current: string | undefined
  let stepAtFault: string | undefined
  const checklist = new Checklist({
    board: checklistBoardFor(console, timeScale),
    profile,
    unitSerial: options.serial,
    stationId: 'evidence',
    appVersion: '0.0.0-evidence',
    outDir: options.outDir,
    signer: station.key,
    onEvent: (e) => {
      if (e.type === 'step-start') current = e.id
    },
  })
  const originalStrike = injector.strike.bind(injector)
  injector.strike = () => {
    stepAtFault = current
    originalStrike()
  }
  try {
    if (fault?.moment === 'before') {
      await board.whenReady()
      injector.strike()
    }
    const record = await checklist.run()
    const recordPath = checklist.finish()
    return { record, recordPath, board, fired: injector.fired, stepAtFault }
  } finally {
    await console.close()
  }
}

/** The first step that did not pass or get skipped. */
export function firstProblem(record: RunRecord): StepRecord | undefined {
  return record.steps.find((s) => s.verdict !== 'pass' && s.verdict !== 'skipped')
}

/** One line per step for assertion messages. */
export function stepSummary(record: RunRecord): string {
  return record.steps
    .map(
      (s) =>
        `${s.id}=${s.verdict}:${s.attempts.at(-1)?.remediation?.code ?? s.attempts.at(-1)?.reason ?? ''}`,
    )
    .join(' ')
}

/** Problems with the record file on disk: schema, digest, and that it equals the in-memory record; empty when complete and valid. */
export async function recordProblems(
  path: string | undefined,
  record: RunRecord,
  options: { recovered?: boolean } = {},
): Promise<string[]> {
  if (!path) return ['no record file was written']
  if (!existsSync(path)) return [`record file ${path} is missing`]
  const onDisk = JSON.parse(readFileSync(path, 'utf8')) as RunRecord
  const problems: string[] = []
  const valid = validateRecord(onDisk)
  if (!valid.ok) problems.push(...valid.problems)
  const verified = await verifyFile(path, station.trusted)
  if (verified.status !== 'intact')
    problems.push(`verify: ${verified.status}: ${verified.details.join('; ')}`)
  if (onDisk.id !== record.id) problems.push('record id on disk differs')
  if (onDisk.steps.length !== record.steps.length) problems.push('step count on disk differs')
  if (onDisk.verdict === 'running' || onDisk.status === 'running')
    problems.push(`record on disk still says running (${onDisk.status})`)
  if (!onDisk.endedAt && !options.recovered) problems.push('record has no endedAt')
  return problems
}

/** Journals left in a results folder (a finished run must leave none). */
export function leftoverJournals(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.journal') || f.endsWith('.jsonl'))
}

/** MD5 of a board file, or null when absent. */
export function boardMd5(board: VirtualBoardHandle, path: string): string | null {
  if (!board.fs.exists(path)) return null
  return createHash('md5').update(board.fs.readFile(path)).digest('hex')
}
