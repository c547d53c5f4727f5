/** What an operating-system error (Node's `code`, `syscall`, `path`, `address`) says to a person: a catalogue key and its parameters. Pure. */

/** The errno codes the catalogues word (`osError.<code>`); any other code is said as `osError.other` with the system's own text. */
export const OS_ERROR_CODES = [
  'ENOENT',
  'EACCES',
  'EPERM',
  'ENOSPC',
  'EROFS',
  'EISDIR',
  'ENOTDIR',
  'EEXIST',
  'EBUSY',
  'ENODEV',
  'ENXIO',
  'EIO',
  'EMFILE',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EADDRINUSE',
] as const

/** One of the worded errno codes. */
export type OsErrorCode = (typeof OS_ERROR_CODES)[number]

const ERRNO = /^E[A-Z0-9]{2,}$/

/** Pure: the catalogue message of a thrown operating-system error (its file, device or address as `target`, else `about`), or null when it is not one. */
export function osErrorMessage(error: unknown, about?: string): { key: string; params: Record<string, string | number> } | null {
  if (!error || typeof error !== 'object') return null
  const e = error as { code?: unknown; syscall?: unknown; path?: unknown; dest?: unknown; address?: unknown; port?: unknown; hostname?: unknown; message?: unknown }
  if (typeof e.code !== 'string' || !ERRNO.test(e.code)) return null
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined)
  const address = text(e.address) ?? text(e.hostname)
  const target = text(e.path) ?? (address ? (typeof e.port === 'number' ? `${address}:${e.port}` : address) : undefined) ?? about ?? text(e.syscall) ?? e.code
  const known = (OS_ERROR_CODES as readonly string[]).includes(e.code)
  return { key: `osError.${known ? e.code : 'other'}`, params: { code: e.code, target, detail: text(e.message) ?? e.code } }
}
