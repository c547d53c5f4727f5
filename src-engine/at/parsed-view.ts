/** The parsed view of an answer: which typed reader applies to which command (the AT console screen, the CLI `at`). */

import { parseAti, parseIccid, parseImei, parseImsi } from './identity'
import { parseCsq, parseOperator, parseRegistration, parseSimStatus } from './network'
import { parseNetdevctl, parseUsbnet } from './quectel'
import type { AtResponse } from './response-parser'

const READERS: [RegExp, (r: AtResponse) => unknown][] = [
  [/^ATI$/i, parseAti],
  [/^AT\+CSQ$/i, parseCsq],
  [/^AT\+C(G)?SN$|^AT\+GSN$/i, parseImei],
  [/^AT\+QCCID$/i, parseIccid],
  [/^AT\+CIMI$/i, parseImsi],
  [/^AT\+CPIN\?$/i, parseSimStatus],
  [/^AT\+COPS\?$/i, parseOperator],
  [/^AT\+CREG\?$/i, (r) => parseRegistration(r, 'CREG')],
  [/^AT\+CGREG\?$/i, (r) => parseRegistration(r, 'CGREG')],
  [/^AT\+CEREG\?$/i, (r) => parseRegistration(r, 'CEREG')],
  [/^AT\+QCFG="usbnet"$/i, parseUsbnet],
  [/^AT\+QNETDEVCTL\?$/i, parseNetdevctl],
]

/** Typed reading of an answer when the command has a reader; undefined when none applies or the answer does not parse. Trusts nothing in the answer. */
export function parseAnswer(command: string, response: AtResponse): Record<string, unknown> | undefined {
  if (response.final?.kind !== 'ok') return undefined
  const reader = READERS.find(([re]) => re.test(command.trim()))?.[1]
  if (!reader) return undefined
  try {
    const value = reader(response)
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** One `  key: value` line per defined field of a parsed view (nested values as JSON), for the CLI. */
export function parsedViewLines(parsed: Record<string, unknown>): string[] {
  return Object.entries(parsed)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `  ${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
}
