/** Linux errno names the board's filesystem raises, with their strerror text. */
export const ERRNO_TEXT = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EROFS: 'Read-only file system',
  EACCES: 'Permission denied',
  ENODEV: 'No such device',
  EBUSY: 'Device or resource busy',
  ENOTEMPTY: 'Directory not empty',
  EINVAL: 'Invalid argument',
  EIO: 'I/O error',
  EPERM: 'Operation not permitted',
} as const

/** An errno name the board's filesystem raises. */
export type Errno = keyof typeof ERRNO_TEXT

/** A filesystem failure carrying the errno and the path it concerns; `message` is the strerror text. */
export class BoardFsError extends Error {
  constructor(
    readonly code: Errno,
    readonly path: string,
  ) {
    super(ERRNO_TEXT[code])
    this.name = 'BoardFsError'
  }
}

/** Returns the strerror text of any thrown value (BoardFsError or not). */
export function errnoText(error: unknown): string {
  if (error instanceof BoardFsError) return error.message
  if (error instanceof Error) return error.message
  return String(error)
}
