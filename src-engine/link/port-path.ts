/** Port path normalisation (Windows COM names, trimming). */

/** Normalises a user-typed port path: `com12` and `\\.\COM12` become `COM12`; throws on an empty path. */
export function normalizePortPath(input: string): string {
  const path = String(input ?? '').trim()
  if (!path) throw new TypeError('Port path is empty: give a device such as /dev/ttyUSB0 or COM3')
  const com = /^(?:\\\\\.\\)?com(\d+)$/i.exec(path)
  if (com) return `COM${Number(com[1])}`
  return path
}
