/** Types of a bring-up run record: the one document every report, the UI and the CLI read. */

export const RECORD_SCHEMA_VERSION = 1

/** Stable step ids, in run order; mode steps repeat per mode (`ecm.mode`, `rndis.dial`, `ppp.net`...). */
export const BASE_STEP_IDS = ['flash', 'console', 'usb', 'drivers', 'userland', 'modem', 'ppp-config'] as const
export const NET_MODES = ['ecm', 'rndis', 'ppp'] as const
export type NetMode = (typeof NET_MODES)[number]
export type StepId = string

/** Step verdicts: `fail` is the unit, `error` the station or line, `aborted` the operator. */
export const VERDICTS = ['pass', 'fail', 'skipped', 'error', 'aborted'] as const
export type Verdict = (typeof VERDICTS)[number]
export type OverallVerdict = 'pass' | 'fail' | 'error' | 'aborted' | 'running' | 'interrupted'

/** Run status apart from the verdict: how the run ended. */
export type RunStatus = 'running' | 'completed' | 'aborted' | 'interrupted' | 'link-lost'

export interface Limits {
  low?: number
  high?: number
  /** Exact expected value or regex source for strings. */
  equals?: string | number | boolean
  pattern?: string
  /** Catalogue key under `limit.` that says the limit in words (`digits15` → "15 digits"), with its parameters. */
  text?: string
  textParams?: Record<string, string>
}

export interface Measurement {
  name: string
  value: string | number | boolean | null
  unit?: string
  limits?: Limits
  outcome: 'pass' | 'fail' | 'unset'
}

export interface Remediation {
  /** Short machine code, e.g. `option-vidpid-missing`. */
  code: string
  /** English cause and fix, for readers of the JSON; people read the catalogue's text for `code`. */
  cause: string
  fix: string
  /** Parameters of the catalogue text (measured value, limit, APN...). */
  params?: Record<string, string | number>
}

export interface Evidence {
  /** Transcript excerpt (masked) that proves the verdict. */
  excerpt: string
  commands?: string[]
}

export interface StepAttempt {
  attempt: number
  verdict: Verdict
  /** English reason, for readers of the JSON; people read the catalogue's `reason.<reasonCode>` with `reasonParams`. */
  reason?: string
  reasonCode?: string
  reasonParams?: Record<string, string | number>
  startedAt: string
  endedAt: string
  durationMs: number
  measurements: Measurement[]
  evidence: Evidence
  remediation?: Remediation
  error?: { code: string; message: string }
}

export interface StepRecord {
  id: StepId
  title: string
  /** Ids of steps whose pass this step needs. */
  needs: StepId[]
  attempts: StepAttempt[]
  /** Verdict of the last attempt; `pending` before the first. */
  verdict: Verdict | 'pending' | 'running'
}

export interface UnitIdentity {
  serial: string
  imei?: string
  iccid?: string
  imsi?: string
  operator?: string
  modemModel?: string
  modemFirmware?: string
  kernel?: string
}

export interface TranscriptEntry {
  /** ms since run start */
  t: number
  dir: 'rx' | 'tx' | 'kmsg' | 'note'
  text: string
}

export interface RunRecord {
  schemaVersion: number
  id: string
  unit: UnitIdentity
  station: { id: string; operator?: string; appVersion: string; gitSha?: string; port: string; baud: number }
  profile: { name: string; hash: string; values: Record<string, unknown> }
  startedAt: string
  endedAt?: string
  status: RunStatus
  verdict: OverallVerdict
  /** The run was made on the virtual board: its verdict is never a real unit's. Absent in records made before this field. */
  simulated?: boolean
  steps: StepRecord[]
  transcript: TranscriptEntry[]
  /** `support` for a diagnostic run of a returned unit: never a production record, never counted in yield. */
  purpose?: 'production' | 'support'
  /** Flash step detail when a flash preceded the bring-up. */
  flash?: Record<string, unknown>
  /** SHA-256 of the canonical record without this field and without `signature`, filled by the writer. */
  digest?: string
  /** Ed25519 signature of the station that wrote the record (src-engine/report/signature.ts). */
  signature?: RecordSignature
}

/** A station's Ed25519 signature over the canonical record (digest included, signature value excluded). */
export interface RecordSignature {
  alg: 'ed25519'
  /** First 16 hex digits of the SHA-256 of the station's public key (SPKI DER). */
  keyId: string
  /** Name of the station that owns the key. */
  station: string
  /** Base64 signature. */
  value: string
}

/** How a run ended, as the overall-verdict rule needs it. */
export interface RunEnding {
  /** The operator asked the run to stop. */
  aborted: boolean
  /** The console link was lost (unplug, power, cable). */
  linkLost: boolean
}

/**
 * The one overall-verdict rule, used by every path (CLI, services, flash hand-over, journal recovery):
 * `pass` only when every planned step ran and passed; a lost link or a station fault is `error`;
 * an operator abort is `aborted`; otherwise a failed check is `fail`; a plan that did not run through is `error`.
 */
export function overallVerdict(steps: ReadonlyArray<Verdict | 'pending' | 'running'>, ending: RunEnding): 'pass' | 'fail' | 'error' | 'aborted' {
  if (ending.linkLost || steps.includes('error')) return 'error'
  if (ending.aborted || steps.includes('aborted')) return 'aborted'
  if (steps.includes('fail')) return 'fail'
  if (steps.length > 0 && steps.every((v) => v === 'pass')) return 'pass'
  return 'error'
}

/** Whether a record comes from the virtual board (its own flag, or a `virtual:` console for records made before the flag). */
export function isSimulated(record: { simulated?: boolean; station?: { port?: string } }): boolean {
  return record.simulated === true || (typeof record.station?.port === 'string' && record.station.port.startsWith('virtual:'))
}

/** Control characters (C0, DEL, C1) that must never reach a record's identity fields or the ledger. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g

/** A label (station, operator, serial) with control characters replaced by U+FFFD, trimmed and capped at `max` characters. Pure. */
export function cleanLabel(text: string, max = 64): string {
  return text.replace(CONTROL, '\uFFFD').trim().slice(0, max)
}

/** Whether a label is free of control characters. Pure. */
export function hasControlCharacters(text: string): boolean {
  return new RegExp(CONTROL.source).test(text)
}

/** Overall outcomes of a finished run, each with its own CLI exit code. */
export const RUN_OUTCOMES = ['pass', 'fail', 'error', 'aborted', 'interrupted'] as const
