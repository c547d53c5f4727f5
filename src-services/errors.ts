/** Errors the services raise, with codes the UI maps to text. */
import { thrownMessage } from '@shared/thrown'
import { PayloadError } from '@shared/schema'
import type { WireError } from '@shared/ipc'
import type engineEn from '@shared/i18n/engine/en'
import { keyedText } from '@shared/i18n/render'
import { translator } from '@shared/i18n/translate'

const english = translator('en')

/** A service failure the technician can act on; `code` is stable, `message` names what was wrong. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Catalogue key (`serviceError.*`) and parameters of `message`, for the reader's language. */
    readonly key?: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(message)
    this.name = 'ServiceError'
  }

  /** A refusal said by its catalogue message (`serviceError.<message>`); the English text for logs is rendered from the catalogue, not written again. */
  static keyed(code: string, message: Exclude<keyof typeof engineEn.serviceError, 'what' | 'bundle'>, params: Record<string, string | number> = {}): ServiceError {
    return ServiceError.catalogued(code, `serviceError.${message}`, params)
  }

  /** A refusal said by any catalogue key an engine error named (`cli.keys.error.*`, `profileError.*`); English for logs from the catalogue. */
  static catalogued(code: string, key: string, params: Record<string, string | number> = {}): ServiceError {
    return new ServiceError(code, keyedText(english, { key, params }), key, params)
  }
}


/** The catalogue key and parameters an engine error names (FlashError's key/params, ProfileError's keyed) or an OS error's `osError.<code>` (about `about` when it names no file), else nothing. */
export function keyedOf(error: unknown, about?: string): Pick<WireError, 'key' | 'params'> {
  return thrownMessage(error, about) ?? {}
}

/** Turns anything thrown into the error shape that crosses IPC; never leaks stacks. */
export function toWireError(error: unknown): WireError {
  const keyed = keyedOf(error)
  if (error instanceof ServiceError) return { code: error.code, message: error.message, ...keyed }
  if (error instanceof PayloadError) return { code: error.code, message: keyedText(english, error.keyed, error.message), key: error.keyed.key, params: error.keyed.params }
  if (error instanceof Error) {
    const code = typeof (error as { code?: unknown }).code === 'string' ? String((error as { code?: unknown }).code) : 'failed'
    return { code, message: error.message, ...keyed }
  }
  return { code: 'failed', message: String(error) }
}
