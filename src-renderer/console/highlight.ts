/** Marks kernel log lines (`[   12.345678] ...`) in a console stream with ANSI colour, across chunk boundaries. */

const KERNEL = /^\[\s*\d+\.\d+\]/
const MAYBE = /^\[\s*\d*\.?\d*$/
const ON = '\x1b[36m'
const OFF = '\x1b[0m'

/** Streaming state: text held at a line start that may still become a timestamp, and whether a kernel line is open. */
export interface HighlightState {
  pending: string
  atLineStart: boolean
  inKernel: boolean
}

/** A fresh state (at the start of a line). */
export function newHighlightState(): HighlightState {
  return { pending: '', atLineStart: true, inKernel: false }
}

/** Returns `chunk` with kernel lines coloured; a possible timestamp prefix (at most 24 chars) is held until decidable. */
export function highlightKernel(chunk: string, state: HighlightState): string {
  let out = ''
  let i = 0
  while (i < chunk.length) {
    if (state.atLineStart) {
      const nl = chunk.indexOf('\n', i)
      const take = Math.min(nl < 0 ? chunk.length : nl + 1, i + 24 - state.pending.length)
      const head = state.pending + chunk.slice(i, take)
      const stamp = KERNEL.exec(head)
      if (stamp) {
        const used = stamp[0].length - state.pending.length
        out += ON + stamp[0]
        i += used
        state.pending = ''
        state.atLineStart = false
        state.inKernel = true
        continue
      }
      if (MAYBE.test(head) && take === chunk.length && head.length < 24) {
        state.pending = head
        return out
      }
      out += state.pending
      state.pending = ''
      state.atLineStart = false
      continue
    }
    const nl = chunk.indexOf('\n', i)
    if (nl < 0) {
      out += chunk.slice(i)
      break
    }
    out += state.inKernel ? chunk.slice(i, nl) + OFF + '\n' : chunk.slice(i, nl + 1)
    state.inKernel = false
    state.atLineStart = true
    i = nl + 1
  }
  return out
}
