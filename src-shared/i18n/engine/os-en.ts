/** English text of operating-system errors (`osError.<code>`, from os-error.ts), each naming the file, device or address. */
import type { OsErrorCode } from '../../os-error'

export default {
  ENOENT: '{target}: no such file or folder',
  EACCES: '{target}: permission denied',
  EPERM: '{target}: operation not permitted',
  ENOSPC: '{target}: no space left on the disk',
  EROFS: '{target}: the disk is read-only',
  EISDIR: '{target}: is a folder, not a file',
  ENOTDIR: '{target}: a part of the path is not a folder',
  EEXIST: '{target}: already exists',
  EBUSY: '{target}: in use by another program',
  ENODEV: '{target}: no such device',
  ENXIO: '{target}: no such device or address',
  EIO: '{target}: input/output error (the disk or the device failed)',
  EMFILE: '{target}: too many files open',
  ETIMEDOUT: '{target}: timed out',
  ECONNREFUSED: '{target}: connection refused (is the server running?)',
  ECONNRESET: '{target}: the connection was reset',
  EHOSTUNREACH: '{target}: host unreachable',
  ENETUNREACH: '{target}: network unreachable',
  ENOTFOUND: '{target}: host name not found',
  EADDRINUSE: '{target}: the address is already in use',
  other: '{detail}',
} satisfies Record<OsErrorCode | 'other', string>
