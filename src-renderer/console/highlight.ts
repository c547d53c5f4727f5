/** Marks kernel log lines (`[   12.345678] ...`) in a console byte stream with ANSI colour, across chunk boundaries. */

const KERNEL = /^\[\s*\d+\.\d+\]/
const MAYBE = /^\[\s*\d*\.?\d*$/
const ON = '\x1b[36m'
const OFF = '\x1b[0m'

/** Streaming state: whether we are at a line start, holding a possible timestamp, or inside a kernel line. */
export interface HighlightState {
  pending: string
  atLineStart: boolean
  inKernel: boolean
}

/** A fresh state (at the start of a line). */
export function newHighlightState(): HighlightState {
  return { pending: '', atLineStart: true, inKernel: false }
}

/** Returns `chunk` with kernel lines coloured; text that may start a timestamp is held until decidable (at most a few chars). */
export function highlightKernel(chunk: string, state: HighlightState): string {
  let out = ''
  for (const ch of chunk) {
    if (state.atLineStart) {
      state.pending += ch
      if (KERNEL.test(state.pending)) {
        out += ON + state.pending
        state.pending = ''
        state.atLineStart = false
        state.inKernel = true
      } else if (!MAYBE.test(state.pending) || state.pending.length > 24) {
        const held = state.pending
        state.pending = ''
        state.atLineStart = false
        out += held
        if (held.endsWith('\n')) state.atLineStart = true
      }
      continue
    }
    if (ch === '\n') {
      out += state.inKernel ? OFF + ch : ch
      state.inKernel = false
      state.atLineStart = true
    } else out += ch
  }
  return out
}
