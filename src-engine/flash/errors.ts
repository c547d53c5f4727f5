/** The one error type of the flash engine: a code from FlashErrorCode and a message a technician can act on. */
import type { FlashErrorCode } from '@shared/flash'

/** A flash failure with its machine code; `message` names what was wrong. */
export class FlashError extends Error {
  constructor(
    readonly code: FlashErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'FlashError'
  }
}

/** Wraps any thrown value as a FlashError, keeping FlashErrors as they are. */
export function asFlashError(error: unknown, fallback: FlashErrorCode = 'protocol'): FlashError {
  if (error instanceof FlashError) return error
  return new FlashError(fallback, error instanceof Error ? error.message : String(error))
}
