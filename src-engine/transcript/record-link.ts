/** A Link decorator that records both directions into a Transcript. */
import type { Link } from '../link/link'
import type { Transcript } from './transcript'

/** Wraps `link` so every byte written or received is recorded in `transcript`; trusts the inner link for the rest. */
export function recordLink(link: Link, transcript: Transcript): Link {
  link.onData((chunk) => transcript.record('rx', chunk))
  link.onClose((error) => {
    transcript.note(error ? `link closed: ${error.message}` : 'link closed')
    transcript.sync()
  })
  return {
    get name() {
      return link.name
    },
    get baudRate() {
      return link.baudRate
    },
    get isOpen() {
      return link.isOpen
    },
    async write(data) {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
      transcript.record('tx', bytes)
      await link.write(bytes)
    },
    onData: (listener) => link.onData(listener),
    onClose: (listener) => link.onClose(listener),
    close: () => link.close(),
    ...(link.sendBreak
      ? {
          sendBreak: async (ms: number) => {
            transcript.note(`break sent (${ms} ms)`)
            await link.sendBreak?.(ms)
          },
        }
      : {}),
    ...(link.lose ? { lose: (detail: string) => link.lose?.(detail) ?? Promise.resolve() } : {}),
  }
}
