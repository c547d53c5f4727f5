/** Contracts of the checklist: step definitions, what a step may use, and what it returns. */
import type { AtResponse } from '../at/response-parser'
import type { Limits, Measurement, NetMode, Remediation, StepId, TranscriptEntry, UnitIdentity } from '@shared/record'
import type { RunResult, ShellSession } from '../session/types'
import type { ShellStrategy } from '../session/strategy'
import type { Profile } from '../profile/schema'
import type { PppFile } from '../ppp/generate'
import type { Coded } from '@shared/i18n/render'
import type { RemediationCode } from './remediation'

/** One AT exchange; `final` is `OK`, `ERROR`, `+CME ERROR: n`, `NO CARRIER`, or `none` when nothing final came. */
export interface AtReply {
  command: string
  lines: string[]
  final: string
  ok: boolean
  /** The modem's port could not be opened (no /dev/ttyUSB2). */
  noDevice: boolean
  raw: string
  /** The AT stack's response the reply came from, when the sender kept it (read it with at-read.ts). */
  response?: AtResponse
}

/** Sends one AT command to the modem; `timeoutMs` is board time. */
export type AtSender = (command: string, options?: { timeoutMs?: number }) => Promise<AtReply>

/** The board as the checklist sees it: a shell session, an AT path and a time scale for waits. */
export interface ChecklistBoard {
  session: ShellSession
  /** AT path; default: the engine's board AT channel (microcom) on the profile's device through this session. */
  at?: AtSender
  /** Real ms per board ms: 1 for hardware, the virtual board's time scale otherwise. */
  timeScale?: number
  /** Human name of the port (`/dev/ttyUSB0`, `virtual:healthy`). */
  port: string
  /** The console is the virtual board: the record says SIMULATED. */
  simulated?: boolean
  /** The console's real line rate, recorded instead of the profile's when given. */
  baud?: number
  /** The console's full transcript (every byte both ways); the record takes it at the end instead of the per-command one. */
  transcript?: () => TranscriptEntry[]
  /** How the shell is reached and recovered after reboots and faults; default: a ShellStrategy on `session`. */
  strategy?: ShellStrategy
}

/** Facts steps hand to later steps of the same run. */
export interface RunFacts {
  ttys: string[]
  drivers: string[]
  debugfsMounted: boolean
  /** usbnet mode last read from the module: 1 ECM, 3 RNDIS. */
  usbnet?: number
  pppFiles?: PppFile[]
  [key: string]: unknown
}

/** What a step returns; a thrown error becomes `error` (station) or `aborted` (operator). */
export type StepOutcome =
  | { verdict: 'pass'; reason?: Coded }
  | { verdict: 'fail'; reason: Coded; remediation: Remediation }
  | { verdict: 'skipped'; reason: Coded }

/** What a step's code may use while it runs. */
export interface StepContext {
  readonly profile: Profile
  readonly facts: RunFacts
  readonly unit: UnitIdentity
  readonly signal: AbortSignal
  /** Real ms per board ms (1 on hardware). */
  readonly timeScale: number
  /** Runs a shell command (board-ms timeout, default the profile's command timeout); output kept as evidence. */
  sh(command: string, options?: { timeoutMs?: number }): Promise<RunResult>
  /** Pushes a file to the board (skipped when the board's copy has the same MD5) and applies its mode. */
  push(path: string, content: string, mode: number, options?: { force?: boolean; secret?: boolean }): Promise<{ changed: boolean }>
  /** Sends an AT command; the exchange is kept as evidence. */
  at(command: string, options?: { timeoutMs?: number }): Promise<AtReply>
  /** Records a measurement the step declared, with the unit and limits of its declaration, judged at once; an undeclared name throws UndeclaredError. */
  measure(name: string, value: Measurement['value']): Measurement
  /** Polls `probe` until it returns a value (not undefined) or `timeoutMs` board ms pass; wakes early on kernel messages. */
  waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined>
  /** Adds a line to the evidence and the transcript. */
  note(text: string): void
  /** Updates the unit's identity (IMEI, ICCID...). */
  identify(fields: Partial<UnitIdentity>): void
}

/** Limits as a step declares them: fixed, or read from the profile the run uses (`csqMinDbm`...). */
export type DeclaredLimits = Limits | ((profile: Profile) => Limits)

/** One measurement a step may record: its name (the label key is `measure.<name>`), unit and limits. */
export interface MeasurementDeclaration {
  name: string
  unit?: string
  limits?: DeclaredLimits
  /** With several ping hosts the step records `<name>_<host>` for each profile host (labelled `measure.perHost`). */
  perHost?: boolean
}

/** A named check and what it declares: its title key, measurements, and the reason and remediation codes it may give. */
export interface StepDefinition {
  id: StepId
  /** English title, kept in the record for JSON readers. */
  title: string
  /** Catalogue key of the title (`step.modem`, `step.mode`) and its parameters. */
  titleKey: string
  titleParams?: Record<string, string>
  needs: StepId[]
  mode?: NetMode
  /** The step reads nothing from the board (the flash step reports a flash already done): the runner neither attaches the console nor blames a reboot on it. */
  offline?: boolean
  /** Every measurement the step may record. */
  measures: readonly MeasurementDeclaration[]
  /** Every reason code (`reason.<code>`) the step's own outcomes may give. */
  reasons: readonly string[]
  /** Every remediation code the step's own failures may give. */
  remedies: readonly RemediationCode[]
  run(ctx: StepContext): Promise<StepOutcome>
}
