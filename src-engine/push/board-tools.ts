/** Which transfer tools the board's shell offers, probed once per session. */
import type { ShellSession } from '../session/types'

/** Tools file push can use on the board. */
export interface BoardTools {
  /** `base64 -d` decodes (checked by decoding a known string, not only `which`). */
  base64: boolean
  md5sum: boolean
}

const cache = new WeakMap<ShellSession, Promise<BoardTools>>()

/** Probes the board once per session; trusts what the commands print, nothing else. */
export function probeBoardTools(session: ShellSession): Promise<BoardTools> {
  let probe = cache.get(session)
  if (!probe) {
    probe = (async () => {
      const which = await session.run('which base64 md5sum 2>/dev/null; echo QUJD | base64 -d 2>/dev/null; echo')
      const lines = which.output.split('\n').map((l) => l.trim())
      return {
        base64: lines.some((l) => /(^|\/)base64$/.test(l)) && lines.includes('ABC'),
        md5sum: lines.some((l) => /(^|\/)md5sum$/.test(l)),
      }
    })()
    probe.catch(() => cache.delete(session))
    cache.set(session, probe)
  }
  return probe
}

/** Forgets the probe result for `session` (after a reboot the board may differ). */
export function forgetBoardTools(session: ShellSession): void {
  cache.delete(session)
}
