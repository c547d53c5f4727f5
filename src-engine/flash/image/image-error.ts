/** Error of an image that cannot be flashed: damaged, truncated, or of an unknown kind. */
import { FlashError } from '../errors'

/** An image refused before anything is written; the message names the file and what is wrong. */
export class ImageError extends FlashError {
  constructor(message: string) {
    super('image-invalid', message)
    this.name = 'ImageError'
  }
}
