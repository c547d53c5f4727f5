const SLICE_MS = 10

/** Paces a byte stream to a line rate (bytes per real second); with rate null it passes bytes straight through. */
export class LinePacer {
  private queue: Uint8Array[] = []
  private queued = 0
  private lineFreeAt = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private idle = true

  constructor(
    private readonly bytesPerSecond: number | null,
    private readonly deliver: (chunk: Uint8Array) => void,
  ) {}

  /** Queues bytes for delivery in order. */
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return
    if (this.bytesPerSecond === null) {
      this.deliver(bytes)
      return
    }
    this.queue.push(bytes)
    this.queued += bytes.length
    if (!this.timer) this.pump()
  }

  /** Queues bytes ahead of everything waiting (printk writes straight to the UART, past the tty buffer). */
  pushFront(bytes: Uint8Array): void {
    if (bytes.length === 0) return
    if (this.bytesPerSecond === null) {
      this.deliver(bytes)
      return
    }
    this.queue.unshift(bytes)
    this.queued += bytes.length
    if (!this.timer) this.pump()
  }

  /** Bytes waiting to go out. */
  get pending(): number {
    return this.queued
  }

  /** Resolves once every queued byte has been delivered. */
  async whenIdle(): Promise<void> {
    while (this.queued > 0) await new Promise<void>((resolve) => setTimeout(resolve, Math.max(1, (this.queued * 1000) / (this.bytesPerSecond ?? 1e9))))
  }

  /** Drops everything queued (power loss, unplug). */
  clear(): void {
    this.queue = []
    this.queued = 0
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.idle = true
  }

  private pump(): void {
    this.timer = null
    const rate = this.bytesPerSecond as number
    const now = performance.now()
    if (this.idle) {
      this.lineFreeAt = Math.max(this.lineFreeAt, now)
      this.idle = false
    }
    if (this.lineFreeAt - now > 1) {
      this.timer = setTimeout(() => this.pump(), this.lineFreeAt - now)
      return
    }
    const behindMs = Math.max(0, now - this.lineFreeAt)
    const chunk = this.take(Math.max(1, Math.round(((behindMs + SLICE_MS) * rate) / 1000)))
    this.lineFreeAt += (chunk.length * 1000) / rate
    this.deliver(chunk)
    if (this.queued > 0) this.timer = setTimeout(() => this.pump(), Math.max(0, this.lineFreeAt - performance.now()))
    else this.idle = true
  }

  private take(n: number): Uint8Array {
    const out = new Uint8Array(Math.min(n, this.queued))
    let filled = 0
    while (filled < out.length) {
      const head = this.queue[0]
      const need = out.length - filled
      if (head.length <= need) {
        out.set(head, filled)
        filled += head.length
        this.queue.shift()
      } else {
        out.set(head.subarray(0, need), filled)
        this.queue[0] = head.subarray(need)
        filled += need
      }
    }
    this.queued -= out.length
    return out
  }
}
