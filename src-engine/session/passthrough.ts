/** The link a console-holding command (microcom) gives its caller: bytes written go to the console, the command's output comes back. */
import { LinkLostError } from '../link/link'
import type { Passthrough } from './types'

const encoder = new TextEncoder()

/** Length of the longest tail of `text` that could be the start of the end marker line `MARKER <status>\n` (held back until it is certain). */
export function markerPrefixAtEnd(text: string, marker: string): number {
  const whole = new RegExp(`${marker} \\d*\\r*$`).exec(text)
  if (whole) return whole[0].length
  for (let k = Math.min(marker.length, text.length); k > 0; k--) if (marker.startsWith(text.slice(-k))) return k
  return 0
}

/** One console-holding command as the session tracks it; trusts the session to call deliver/finish/fail in order. */
export class HeldCommand {
  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>()
  private readonly closeListeners = new Set<(error?: LinkLostError) => void>()
  private state: 'running' | 'ended' | 'failed' = 'running'
  private tail = ''
  private settle!: { resolve: (status: number) => void; reject: (error: Error) => void }
  readonly ended: Promise<number>
  readonly link: Passthrough

  constructor(
    /** The end marker the shell prints after the command, with its status. */
    readonly endMarker: string,
    readonly exitKey: string,
    name: string,
    baudRate: number,
    write: (data: Uint8Array | string) => Promise<void>,
    close: () => Promise<void>,
  ) {
    this.ended = new Promise<number>((resolve, reject) => (this.settle = { resolve, reject }))
    this.ended.catch(() => undefined)
    const isOpen = () => this.state === 'running'
    const output = () => this.tail
    this.link = {
      name,
      baudRate,
      ended: this.ended,
      get output() {
        return output()
      },
      get isOpen() {
        return isOpen()
      },
      write: async (data) => {
        if (!isOpen()) throw new LinkLostError(name, 'the command holding the console has ended')
        await write(data)
      },
      onData: (listener) => {
        this.dataListeners.add(listener)
        return () => this.dataListeners.delete(listener)
      },
      onClose: (listener) => {
        if (!isOpen()) {
          listener()
          return () => undefined
        }
        this.closeListeners.add(listener)
        return () => this.closeListeners.delete(listener)
      },
      close,
    }
  }

  /** True until the command ended or failed. */
  get running(): boolean {
    return this.state === 'running'
  }

  /** Hands the command's output to the link's listeners. */
  deliver(text: string): void {
    if (this.state !== 'running' || !text) return
    this.tail = (this.tail + text).slice(-4096)
    const bytes = encoder.encode(text)
    for (const l of [...this.dataListeners]) l(bytes)
  }

  /** The shell printed the end marker: the command exited with `status`. */
  finish(status: number): void {
    if (this.state !== 'running') return
    this.state = 'ended'
    this.settle.resolve(status)
    this.closed()
  }

  /** The board rebooted or the link went away while the command held the console. */
  fail(error: LinkLostError): void {
    if (this.state !== 'running') return
    this.state = 'failed'
    this.settle.reject(error)
    this.closed(error)
  }

  private closed(error?: LinkLostError): void {
    for (const l of [...this.closeListeners]) l(error)
    this.closeListeners.clear()
    this.dataListeners.clear()
  }
}
