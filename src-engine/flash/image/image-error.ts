/** Error of an image that cannot be flashed: damaged, truncated, or of an unknown kind. */
import type flashEn from '@shared/i18n/engine/flash-en'
import { FlashError } from '../errors'

/** An image refused before anything is written; the message (a key of `flashError.image`) names the file and what is wrong. */
export class ImageError extends FlashError {
  constructor(message: keyof typeof flashEn.image, params: Record<string, string | number> = {}) {
    super('image-invalid', `image.${message}`, params)
    this.name = 'ImageError'
  }
}
