/** Quoting for the three syntaxes the PPP files mix: POSIX sh, pppd option files and chat scripts. */
import type profileEn from '@shared/i18n/engine/profile-en'
import { keyedText, type KeyedMessage } from '@shared/i18n/render'
import { translator } from '@shared/i18n/translate'

const english = translator('en')

/** Single-quotes any string for POSIX sh; trusts nothing in `value`. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** Double-quotes a word for a pppd options file (backslash and quote escaped); refuses control characters. */
export function pppdQuote(value: string): string {
  if (/[\x00-\x1f\x7f]/.test(value)) throw new PppParamError('value', 'controlCharacters')
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/** A PPP parameter that cannot be written safely; `field` names it, `why` is its reason in the catalogue (`profileError.ppp.reason.*`). */
export class PppParamError extends Error {
  override name = 'PppParamError'
  /** The refusal as a catalogue key with parameters, for the reader's language. */
  readonly keyed: KeyedMessage
  constructor(
    readonly field: string,
    readonly why: keyof typeof profileEn.ppp.reason,
    readonly params: Record<string, string | number> = {},
  ) {
    const keyed = { key: 'profileError.ppp.inField', params: { field, reasonKey: `profileError.ppp.reason.${why}`, ...params } }
    super(keyedText(english, keyed))
    this.keyed = keyed
  }
}

const APN = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,98}[A-Za-z0-9])?$/
const DEVICE = /^\/dev\/[A-Za-z0-9._-]+$/

/** Checks an APN is plain letters, digits, dots and dashes, the only text a chat script line can carry unquoted. */
export function checkApn(apn: string): string {
  if (!APN.test(apn)) throw new PppParamError('apn', 'notApn', { value: apn })
  return apn
}

/** Checks a modem device is a plain /dev node name. */
export function checkDevice(device: string): string {
  if (!DEVICE.test(device)) throw new PppParamError('device', 'notDevice', { value: device })
  return device
}
