/** Typed helpers for the module's and the SIM's identity: ATI, IMEI (AT+CGSN), ICCID (AT+QCCID), IMSI (AT+CIMI). */

import { AtError, requireOk, type AtChannel } from './channel'
import type { AtResponse } from './response-parser'

/** Luhn check over a digit string (the last digit is the check digit); false for anything but digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

function unexpected(response: AtResponse, what: string): AtError {
  return new AtError(
    'unexpected-response',
    `${response.command}: expected ${what}, got ${JSON.stringify(response.lines.join(' | ').slice(0, 120))}`,
    response,
  )
}

/** The module's ATI identity. */
export interface ModuleInfo {
  manufacturer: string
  model: string
  revision?: string
}

/** Reads ATI's lines (`Quectel`, `EC200A`, `Revision: ...`); throws AtError 'unexpected-response' when absent. */
export function parseAti(response: AtResponse): ModuleInfo {
  requireOk(response)
  const revisionLine = response.lines.find((l) => /^Revision:/i.test(l))
  const rest = response.lines.filter((l) => l !== revisionLine)
  if (rest.length < 2) throw unexpected(response, 'manufacturer and model lines')
  return {
    manufacturer: rest[0],
    model: rest[1],
    revision: revisionLine?.replace(/^Revision:\s*/i, ''),
  }
}

/** The IMEI read by AT+CGSN. */
export interface Imei {
  imei: string
  /** The 15th digit checks out (Luhn). */
  luhnValid: boolean
}

/** Reads the IMEI of AT+CGSN (bare digits or `+CGSN: "..."`); 15 digits required, Luhn reported. */
export function parseImei(response: AtResponse): Imei {
  requireOk(response)
  const line = response.lines
    .map((l) =>
      l
        .replace(/^\+CGSN:\s*/i, '')
        .replace(/"/g, '')
        .trim(),
    )
    .find((l) => /^\d+$/.test(l))
  if (!line || line.length !== 15) throw unexpected(response, 'a 15-digit IMEI')
  return { imei: line, luhnValid: luhnValid(line) }
}

/** The SIM's ICCID read by AT+QCCID. */
export interface Iccid {
  iccid: string
  luhnValid: boolean
}

/** Reads `+QCCID: <iccid>`; 19 or 20 digits (a trailing F pad is dropped), Luhn reported. */
export function parseIccid(response: AtResponse): Iccid {
  requireOk(response)
  const raw = response.lines
    .map((l) => /^\+(?:QCCID|ICCID|CCID):\s*"?([0-9A-Fa-f]+)"?/i.exec(l)?.[1])
    .find(Boolean)
  const iccid = raw?.replace(/[Ff]$/, '')
  if (!iccid || !/^\d{19,20}$/.test(iccid)) throw unexpected(response, 'a 19-20 digit ICCID')
  return { iccid, luhnValid: luhnValid(iccid) }
}

/** The SIM's IMSI read by AT+CIMI. */
export interface Imsi {
  imsi: string
  mcc: string
  /** The rest after the MCC: MNC and MSIN (the MNC length is not in the IMSI itself). */
  rest: string
}

/** Reads AT+CIMI's IMSI: 6 to 15 digits. */
export function parseImsi(response: AtResponse): Imsi {
  requireOk(response)
  const imsi = response.lines
    .map((l) =>
      l
        .replace(/^\+CIMI:\s*/i, '')
        .replace(/"/g, '')
        .trim(),
    )
    .find((l) => /^\d{6,15}$/.test(l))
  if (!imsi) throw unexpected(response, 'an IMSI of 6-15 digits')
  return { imsi, mcc: imsi.slice(0, 3), rest: imsi.slice(3) }
}

/** Sends ATI and reads manufacturer, model and revision. */
export async function readModuleInfo(at: AtChannel): Promise<ModuleInfo> {
  return parseAti(await at.send('ATI'))
}

/** Sends AT+CGSN and reads the IMEI. */
export async function readImei(at: AtChannel): Promise<Imei> {
  return parseImei(await at.send('AT+CGSN'))
}

/** Sends AT+QCCID and reads the ICCID. */
export async function readIccid(at: AtChannel): Promise<Iccid> {
  return parseIccid(await at.send('AT+QCCID'))
}

/** Sends AT+CIMI and reads the IMSI. */
export async function readImsi(at: AtChannel): Promise<Imsi> {
  return parseImsi(await at.send('AT+CIMI'))
}
