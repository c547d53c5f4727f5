/** The one error type of the flash engine: a code from FlashErrorCode and a catalogue key with parameters that a technician can act on. */
import type { FlashErrorCode } from '@shared/flash'
import type flashEn from '@shared/i18n/engine/flash-en'
import { keyedText } from '@shared/i18n/render'
import { translator } from '@shared/i18n/translate'

type Sentences = Exclude<keyof typeof flashEn, 'medium' | 'stage' | 'what' | 'image'>
/** A message of the flash catalogue (`src-shared/i18n/engine/flash-*.ts`), without its `flashError.` prefix. */
export type FlashMessage = Sentences | `image.${keyof typeof flashEn.image}`

const english = translator('en')

/** A flash failure with its machine code, its catalogue key and parameters; `message` is the English text for logs. */
export class FlashError extends Error {
  /** Full catalogue key (`flashError.deviceLost`). */
  readonly key: string
  constructor(
    readonly code: FlashErrorCode,
    message: FlashMessage,
    readonly params: Record<string, string | number> = {},
  ) {
    const key = `flashError.${message}`
    super(keyedText(english, { key, params }))
    this.key = key
    this.name = 'FlashError'
  }
}

/** Wraps any thrown value as a FlashError, keeping FlashErrors as they are. */
export function asFlashError(error: unknown, fallback: FlashErrorCode = 'protocol'): FlashError {
  if (error instanceof FlashError) return error
  return new FlashError(fallback, 'other', { text: error instanceof Error ? error.message : String(error) })
}
