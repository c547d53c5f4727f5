const encoder = new TextEncoder()

/** Where a command writes: bytes or text, LF line ends. */
export type Sink = (data: string | Uint8Array) => void

/** A byte stream that can be pushed into, ended, read chunk by chunk and partly pushed back (for `read`). */
export class ByteStream implements AsyncIterable<Uint8Array> {
  private readonly chunks: Uint8Array[] = []
  private ended = false
  private wake: (() => void) | null = null
  /** Called when a reader finds the buffer empty (a tty pulls typed bytes in then). */
  onDemand: (() => void) | null = null

  /** Appends bytes for readers; ignored after `end()`. */
  push(data: Uint8Array | string): void {
    if (this.ended) return
    const bytes = typeof data === 'string' ? encoder.encode(data) : data
    if (bytes.length === 0) return
    this.chunks.push(bytes)
    this.wakeUp()
  }

  /** Marks the end of the stream: readers get null once the buffer is drained. */
  end(): void {
    this.ended = true
    this.wakeUp()
  }

  /** True while a reader waits for bytes. */
  waiting = false

  get isEnded(): boolean {
    return this.ended
  }

  /** Takes every buffered chunk without waiting. */
  drain(): Uint8Array[] {
    return this.chunks.splice(0)
  }

  /** Puts bytes back at the front of the stream. */
  unread(bytes: Uint8Array): void {
    if (bytes.length > 0) this.chunks.unshift(bytes)
  }

  private wakeUp(): void {
    const w = this.wake
    this.wake = null
    w?.()
  }

  /** Resolves to the next chunk, or null at the end; rejects with signal.reason when aborted. */
  async read(signal?: AbortSignal): Promise<Uint8Array | null> {
    for (;;) {
      if (signal?.aborted) throw signal.reason
      const chunk = this.chunks.shift()
      if (chunk) return chunk
      if (this.ended) return null
      this.waiting = true
      this.onDemand?.()
      if (this.chunks.length > 0 || this.ended) {
        this.waiting = false
        continue
      }
      await new Promise<void>((resolve) => {
        const onAbort = (): void => resolve()
        this.wake = () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
        signal?.addEventListener('abort', onAbort, { once: true })
      })
      this.waiting = false
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: async () => {
        const chunk = await this.read()
        return chunk ? { value: chunk, done: false } : { value: undefined, done: true }
      },
    }
  }
}

/** A stream that yields `content` once and ends. */
export function streamOf(content: Uint8Array | string): ByteStream {
  const s = new ByteStream()
  s.push(content)
  s.end()
  return s
}

/** Reads a whole stream into one byte array. */
export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let size = 0
  for await (const chunk of stream) {
    parts.push(chunk)
    size += chunk.length
  }
  const out = new Uint8Array(size)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}
