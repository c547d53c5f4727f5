/** Final result codes of AT commands and the 3GPP error tables (TS 27.007 §9.2 CME, TS 27.005 §3.2.5 CMS). */

/** The final result that ends a command's response. */
export type AtFinal =
  | { kind: 'ok' }
  | { kind: 'error' }
  | { kind: 'cme-error'; code?: number; meaning: string; text: string }
  | { kind: 'cms-error'; code?: number; meaning: string; text: string }
  | { kind: 'connect'; text?: string }
  | { kind: 'no-carrier' | 'busy' | 'no-answer' | 'no-dialtone' }

/** +CME ERROR codes (3GPP TS 27.007 §9.2.1 and §9.2.2) and their meanings. */
export const CME_ERRORS: Readonly<Record<number, string>> = {
  0: 'phone failure',
  1: 'no connection to phone',
  2: 'phone-adaptor link reserved',
  3: 'operation not allowed',
  4: 'operation not supported',
  5: 'PH-SIM PIN required',
  6: 'PH-FSIM PIN required',
  7: 'PH-FSIM PUK required',
  10: 'SIM not inserted',
  11: 'SIM PIN required',
  12: 'SIM PUK required',
  13: 'SIM failure',
  14: 'SIM busy',
  15: 'SIM wrong',
  16: 'incorrect password',
  17: 'SIM PIN2 required',
  18: 'SIM PUK2 required',
  20: 'memory full',
  21: 'invalid index',
  22: 'not found',
  23: 'memory failure',
  24: 'text string too long',
  25: 'invalid characters in text string',
  26: 'dial string too long',
  27: 'invalid characters in dial string',
  30: 'no network service',
  31: 'network timeout',
  32: 'network not allowed - emergency calls only',
  40: 'network personalization PIN required',
  41: 'network personalization PUK required',
  42: 'network subset personalization PIN required',
  43: 'network subset personalization PUK required',
  44: 'service provider personalization PIN required',
  45: 'service provider personalization PUK required',
  46: 'corporate personalization PIN required',
  47: 'corporate personalization PUK required',
  48: 'hidden key required',
  49: 'EAP method not supported',
  50: 'incorrect parameters',
  100: 'unknown',
  103: 'illegal MS',
  106: 'illegal ME',
  107: 'GPRS services not allowed',
  111: 'PLMN not allowed',
  112: 'location area not allowed',
  113: 'roaming not allowed in this location area',
  132: 'service option not supported',
  133: 'requested service option not subscribed',
  134: 'service option temporarily out of order',
  148: 'unspecified GPRS error',
  149: 'PDP authentication failure',
  150: 'invalid mobile class',
}

/** +CMS ERROR codes (3GPP TS 27.005 §3.2.5) and their meanings. */
export const CMS_ERRORS: Readonly<Record<number, string>> = {
  300: 'ME failure',
  301: 'SMS service of ME reserved',
  302: 'operation not allowed',
  303: 'operation not supported',
  304: 'invalid PDU mode parameter',
  305: 'invalid text mode parameter',
  310: 'SIM not inserted',
  311: 'SIM PIN required',
  312: 'PH-SIM PIN required',
  313: 'SIM failure',
  314: 'SIM busy',
  315: 'SIM wrong',
  316: 'SIM PUK required',
  317: 'SIM PIN2 required',
  318: 'SIM PUK2 required',
  320: 'memory failure',
  321: 'invalid memory index',
  322: 'memory full',
  330: 'SMSC address unknown',
  331: 'no network service',
  332: 'network timeout',
  340: 'no +CNMA acknowledgement expected',
  500: 'unknown error',
}

function coded(
  kind: 'cme-error' | 'cms-error',
  table: Readonly<Record<number, string>>,
  text: string,
): AtFinal {
  const trimmed = text.trim()
  if (/^\d+$/.test(trimmed)) {
    const code = Number(trimmed)
    return { kind, code, meaning: table[code] ?? `unknown error ${code}`, text: trimmed }
  }
  const entry = Object.entries(table).find(
    ([, meaning]) => meaning.toLowerCase() === trimmed.toLowerCase(),
  )
  return entry
    ? { kind, code: Number(entry[0]), meaning: entry[1], text: trimmed }
    : { kind, meaning: trimmed || 'unspecified', text: trimmed }
}

/** Recognises a final result code line (verbose form); undefined for any other line. */
export function parseFinalResult(line: string): AtFinal | undefined {
  const text = line.trim()
  switch (text) {
    case 'OK':
      return { kind: 'ok' }
    case 'ERROR':
      return { kind: 'error' }
    case 'NO CARRIER':
      return { kind: 'no-carrier' }
    case 'BUSY':
      return { kind: 'busy' }
    case 'NO ANSWER':
      return { kind: 'no-answer' }
    case 'NO DIALTONE':
      return { kind: 'no-dialtone' }
  }
  let m: RegExpExecArray | null
  if ((m = /^\+CME ERROR:\s*(.*)$/.exec(text))) return coded('cme-error', CME_ERRORS, m[1])
  if ((m = /^\+CMS ERROR:\s*(.*)$/.exec(text))) return coded('cms-error', CMS_ERRORS, m[1])
  if ((m = /^CONNECT(?:\s+(.*))?$/.exec(text)))
    return m[1] ? { kind: 'connect', text: m[1] } : { kind: 'connect' }
  return undefined
}

/** Human description of a final result, e.g. `+CME ERROR: 10 (SIM not inserted)`. */
export function describeFinal(final: AtFinal | undefined): string {
  if (!final) return 'no final result'
  switch (final.kind) {
    case 'cme-error':
    case 'cms-error':
      return `+${final.kind === 'cme-error' ? 'CME' : 'CMS'} ERROR: ${final.code ?? final.text} (${final.meaning})`
    case 'connect':
      return final.text ? `CONNECT ${final.text}` : 'CONNECT'
    default:
      return final.kind.toUpperCase().replace(/-/g, ' ')
  }
}
