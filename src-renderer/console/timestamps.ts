/** Puts a time stamp at the start of every console line, as `tio -t` does; pure over a small carried state. */

/** Whether the next character starts a line (carried across chunks). */
export interface StampState {
  atLineStart: boolean
}

/** A state for a fresh terminal (the first character starts a line). */
export function newStampState(): StampState {
  return { atLineStart: true }
}

/** `HH:MM:SS.mmm` of `date` in local time. */
export function clockText(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}.${p(date.getMilliseconds(), 3)}`
}

/** Inserts a dim `[HH:MM:SS.mmm] ` before each line's first character; a trailing newline stamps the next chunk's first line. */
export function stampLines(text: string, state: StampState, now: Date): string {
  if (!text) return text
  const stamp = `\x1b[2m[${clockText(now)}]\x1b[22m `
  let out = ''
  for (const ch of text) {
    if (state.atLineStart && ch !== '\n' && ch !== '\r') {
      out += stamp
      state.atLineStart = false
    }
    out += ch
    if (ch === '\n') state.atLineStart = true
  }
  return out
}
