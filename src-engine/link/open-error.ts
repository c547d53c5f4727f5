/** Turns a serial port's open failure into a message a technician can act on; trusts only the error text. */
import type linkEn from '@shared/i18n/engine/link-en'
import { keyedText, type KeyedMessage } from '@shared/i18n/render'
import { translator } from '@shared/i18n/translate'

const english = translator('en')

/** Why a serial port did not open: `linkError.open.<reason>` in the catalogues. */
export type OpenFailure = keyof typeof linkEn.open

/** Pure: why the port did not open, read from the driver's text (access denied differs on Windows, where it means another program holds the port). */
export function openFailure(detail: string, platform: NodeJS.Platform = process.platform): OpenFailure {
  const text = detail.toLowerCase()
  if (/permission denied|eacces|access denied|access is denied/.test(text)) return platform === 'win32' ? 'heldByAnother' : 'permission'
  if (/resource busy|ebusy|locked|cannot lock/.test(text)) return 'busy'
  if (/no such file|enoent|cannot find|file not found|not exist/.test(text)) return 'noSuchPort'
  return 'other'
}

/** The catalogue message of a port's open failure, naming the port and keeping the driver's text. */
export function openErrorMessage(path: string, detail: string, platform: NodeJS.Platform = process.platform): KeyedMessage {
  return { key: `linkError.open.${openFailure(detail, platform)}`, params: { path, detail } }
}

/** The English of a port's open failure (for logs; people read openErrorMessage through their catalogue). */
export function explainOpenError(path: string, detail: string, platform: NodeJS.Platform = process.platform): string {
  return keyedText(english, openErrorMessage(path, detail, platform))
}

/** A serial port that would not open: English message for logs, `keyed` for the reader's language. */
export class PortOpenError extends Error {
  readonly code = 'port-open-failed'
  readonly keyed: KeyedMessage
  constructor(path: string, detail: string, platform: NodeJS.Platform = process.platform) {
    const keyed = openErrorMessage(path, detail, platform)
    super(keyedText(english, keyed))
    this.keyed = keyed
    this.name = 'PortOpenError'
  }
}
