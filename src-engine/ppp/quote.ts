/** Quoting for the three syntaxes the PPP files mix: POSIX sh, pppd option files and chat scripts. */

/** Single-quotes any string for POSIX sh; trusts nothing in `value`. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** Double-quotes a word for a pppd options file (backslash and quote escaped); refuses control characters. */
export function pppdQuote(value: string): string {
  if (/[\x00-\x1f\x7f]/.test(value)) throw new PppParamError('value', 'control characters cannot be written to a pppd options file')
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/** A PPP parameter that cannot be written safely; `field` names it. */
export class PppParamError extends Error {
  override name = 'PppParamError'
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`PPP ${field}: ${reason}`)
  }
}

const APN = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,98}[A-Za-z0-9])?$/
const DEVICE = /^\/dev\/[A-Za-z0-9._-]+$/

/** Checks an APN is plain letters, digits, dots and dashes, the only text a chat script line can carry unquoted. */
export function checkApn(apn: string): string {
  if (!APN.test(apn)) throw new PppParamError('apn', `'${apn}' is not an APN (letters, digits, dots and dashes)`)
  return apn
}

/** Checks a modem device is a plain /dev node name. */
export function checkDevice(device: string): string {
  if (!DEVICE.test(device)) throw new PppParamError('device', `'${device}' is not a /dev node such as /dev/ttyUSB2`)
  return device
}
