/** Typed helpers for SIM status (AT+CPIN?), signal (AT+CSQ), operator (AT+COPS?) and registration (CREG/CGREG/CEREG). */

import { AtError, requireOk, type AtChannel } from './channel'
import { describeFinal } from './result-codes'
import type { AtResponse } from './response-parser'
import { splitParams } from './urc'

function unexpected(response: AtResponse, what: string): AtError {
  return new AtError(
    'unexpected-response',
    `${response.command}: expected ${what}, got ${JSON.stringify(response.lines.join(' | ').slice(0, 120))}`,
    response,
  )
}

function infoParams(response: AtResponse, name: string): string[] | undefined {
  const prefix = `${name}:`
  const line = response.lines.find((l) => l.toUpperCase().startsWith(prefix))
  return line === undefined ? undefined : splitParams(line.slice(prefix.length))
}

function intParam(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined
}

/** SIM states of AT+CPIN? (answers and SIM errors alike). */
export type SimState =
  | 'ready'
  | 'pin-required'
  | 'puk-required'
  | 'pin2-required'
  | 'puk2-required'
  | 'phone-lock'
  | 'not-inserted'
  | 'failure'
  | 'busy'
  | 'wrong'
  | 'unknown'

/** The SIM status with the text it came from. */
export interface SimStatus {
  state: SimState
  /** The `+CPIN:` text or the error meaning. */
  detail: string
}

const CPIN_STATES: Record<string, SimState> = {
  READY: 'ready',
  'SIM PIN': 'pin-required',
  'SIM PUK': 'puk-required',
  'SIM PIN2': 'pin2-required',
  'SIM PUK2': 'puk2-required',
  'PH-SIM PIN': 'phone-lock',
  'PH-NET PIN': 'phone-lock',
  'NOT INSERTED': 'not-inserted',
}
const CME_SIM: Record<number, SimState> = {
  10: 'not-inserted',
  11: 'pin-required',
  12: 'puk-required',
  13: 'failure',
  14: 'busy',
  15: 'wrong',
  17: 'pin2-required',
  18: 'puk2-required',
}

/** Reads AT+CPIN?: `+CPIN: READY` and the SIM errors (`+CME ERROR: 10` = not inserted) are both answers. */
export function parseSimStatus(response: AtResponse): SimStatus {
  const final = response.final
  if (final?.kind === 'cme-error' && final.code !== undefined && CME_SIM[final.code])
    return { state: CME_SIM[final.code], detail: final.meaning }
  requireOk(response)
  const params = infoParams(response, '+CPIN')
  if (!params?.length) throw unexpected(response, '+CPIN: <code>')
  const text = params[0].trim().toUpperCase()
  return { state: CPIN_STATES[text] ?? 'unknown', detail: params[0].trim() }
}

/** AT+CSQ read with its dBm value. */
export interface SignalQuality {
  rssi: number
  ber: number
  /** dBm for rssi 0-31 (and 100-191); undefined when unknown (99). */
  dbm?: number
  /** rssi 31 means -51 dBm or better. */
  dbmOrBetter: boolean
  known: boolean
  /** Bit error rate class 0-7; undefined when 99 (not measured, usual on LTE). */
  berClass?: number
}

/** The one CSQ rssi → dBm conversion (TS 27.007 §8.5, Quectel EC200A manual): 0..31 → -113..-51, 100..191 → -116..-25 (TD-SCDMA RSCP), 99/199 and others → unknown. */
export function rssiToDbm(rssi: number): number | undefined {
  if (!Number.isInteger(rssi)) return undefined
  if (rssi >= 0 && rssi <= 31) return -113 + 2 * rssi
  if (rssi >= 100 && rssi <= 191) return -116 + (rssi - 100)
  return undefined
}

/** Reads `+CSQ: <rssi>,<ber>` with the dBm conversion. */
export function parseCsq(response: AtResponse): SignalQuality {
  requireOk(response)
  const params = infoParams(response, '+CSQ')
  const rssi = intParam(params?.[0])
  const ber = intParam(params?.[1])
  if (rssi === undefined || ber === undefined) throw unexpected(response, '+CSQ: <rssi>,<ber>')
  const dbm = rssiToDbm(rssi)
  return {
    rssi,
    ber,
    dbm,
    dbmOrBetter: rssi === 31,
    known: dbm !== undefined,
    berClass: ber <= 7 ? ber : undefined,
  }
}

/** Access technology names of +COPS/+CREG `<AcT>` (TS 27.007). */
export const ACCESS_TECHNOLOGIES: Readonly<Record<number, string>> = {
  0: 'GSM',
  1: 'GSM Compact',
  2: 'UTRAN',
  3: 'GSM w/EGPRS',
  4: 'UTRAN w/HSDPA',
  5: 'UTRAN w/HSUPA',
  6: 'UTRAN w/HSDPA and HSUPA',
  7: 'E-UTRAN',
  8: 'EC-GSM-IoT',
  9: 'E-UTRAN (NB-S1)',
  10: 'E-UTRA connected to 5GCN',
  11: 'NR connected to 5GCN',
  12: 'NG-RAN',
  13: 'E-UTRA-NR dual connectivity',
}

/** AT+COPS? read: selection mode, operator and access technology. */
export interface Operator {
  /** 0 automatic, 1 manual, 2 deregistered, 3 format only, 4 manual/automatic. */
  mode: number
  modeName: 'automatic' | 'manual' | 'deregistered' | 'set-format' | 'manual-automatic' | 'unknown'
  /** 0 long alphanumeric, 1 short alphanumeric, 2 numeric. */
  format?: number
  name?: string
  act?: number
  actName?: string
  /** An operator is selected (the module is on a network). */
  selected: boolean
}

const COPS_MODES = [
  'automatic',
  'manual',
  'deregistered',
  'set-format',
  'manual-automatic',
] as const

/** Reads `+COPS: <mode>[,<format>,<oper>[,<AcT>]]`, e.g. `+COPS: 0,0,"CHINA MOBILE",7`. */
export function parseOperator(response: AtResponse): Operator {
  requireOk(response)
  const params = infoParams(response, '+COPS')
  const mode = intParam(params?.[0])
  if (!params || mode === undefined)
    throw unexpected(response, '+COPS: <mode>[,<format>,<oper>[,<AcT>]]')
  const act = intParam(params[3])
  const name = params[2]?.trim() || undefined
  return {
    mode,
    modeName: COPS_MODES[mode] ?? 'unknown',
    format: intParam(params[1]),
    name,
    act,
    actName: act === undefined ? undefined : (ACCESS_TECHNOLOGIES[act] ?? `AcT ${act}`),
    selected: name !== undefined,
  }
}

/** Registration stat names (TS 27.007 +CREG/+CGREG/+CEREG `<stat>`). */
export const REGISTRATION_STATES: Readonly<Record<number, string>> = {
  0: 'not registered',
  1: 'registered, home network',
  2: 'searching',
  3: 'registration denied',
  4: 'unknown',
  5: 'registered, roaming',
  6: 'registered for SMS only, home network',
  7: 'registered for SMS only, roaming',
  8: 'emergency bearer services only',
  9: 'registered for CSFB not preferred, home network',
  10: 'registered for CSFB not preferred, roaming',
}

/** Which registration: circuit (CREG), packet (CGREG) or EPS/LTE (CEREG). */
export type RegistrationKind = 'CREG' | 'CGREG' | 'CEREG'

/** A registration state read from a +CREG/+CGREG/+CEREG line. */
export interface Registration {
  kind: RegistrationKind
  /** URC reporting setting `<n>`; undefined in an unsolicited line. */
  n?: number
  stat: number
  statName: string
  /** Registered on the home network (1) or roaming (5). */
  registered: boolean
  roaming: boolean
  /** Location/tracking area code (hex) and cell id (hex) when reported. */
  area?: string
  cellId?: string
  act?: number
  actName?: string
}

/** Reads a registration line; `solicited` lines (`AT+CREG?`) start with `<n>`, unsolicited ones with `<stat>`. */
export function parseRegistrationLine(line: string, solicited: boolean): Registration | undefined {
  const m = /^\+(CREG|CGREG|CEREG):\s*(.*)$/i.exec(line.trim())
  if (!m) return undefined
  const params = splitParams(m[2])
  const values = solicited ? params.slice(1) : params
  const stat = intParam(values[0])
  if (stat === undefined) return undefined
  const n = solicited ? intParam(params[0]) : undefined
  if (solicited && n === undefined) return undefined
  const act = intParam(values[3])
  return {
    kind: m[1].toUpperCase() as RegistrationKind,
    n,
    stat,
    statName: REGISTRATION_STATES[stat] ?? `stat ${stat}`,
    registered: stat === 1 || stat === 5,
    roaming: stat === 5,
    area: values[1] || undefined,
    cellId: values[2] || undefined,
    act,
    actName: act === undefined ? undefined : (ACCESS_TECHNOLOGIES[act] ?? `AcT ${act}`),
  }
}

/** Reads the answer of `AT+CREG?`, `AT+CGREG?` or `AT+CEREG?`. */
export function parseRegistration(response: AtResponse, kind: RegistrationKind): Registration {
  requireOk(response)
  const line = response.lines.find((l) => l.toUpperCase().startsWith(`+${kind}:`))
  const parsed = line === undefined ? undefined : parseRegistrationLine(line, true)
  if (!parsed) throw unexpected(response, `+${kind}: <n>,<stat>[,<area>,<ci>[,<AcT>]]`)
  return parsed
}

/** Sends AT+CPIN? and reads the SIM status (a SIM error is a status, not a failure). */
export async function readSimStatus(at: AtChannel): Promise<SimStatus> {
  return parseSimStatus(await at.send('AT+CPIN?'))
}

/** Sends AT+CSQ and reads the signal quality. */
export async function readSignalQuality(at: AtChannel): Promise<SignalQuality> {
  return parseCsq(await at.send('AT+CSQ'))
}

/** Sends AT+COPS? and reads the operator. */
export async function readOperator(at: AtChannel): Promise<Operator> {
  return parseOperator(await at.send('AT+COPS?'))
}

/** Sends AT+CREG? / AT+CGREG? / AT+CEREG? and reads the registration. */
export async function readRegistration(
  at: AtChannel,
  kind: RegistrationKind,
): Promise<Registration> {
  return parseRegistration(await at.send(`AT+${kind}?`), kind)
}

/** Describes a failed helper response for reports, e.g. `AT+CSQ: +CME ERROR: 10 (SIM not inserted)`. */
export function describeResponse(response: AtResponse): string {
  return `${response.command}: ${describeFinal(response.final)}`
}
