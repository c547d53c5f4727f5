/** Pull-based reader over a byte stream: exact reads, skips and bounded sub-streams, never buffering more than asked. */

/** Raised when the stream ends before the bytes a format promised. */
export class TruncatedError extends Error {
  constructor(
    readonly wanted: number,
    readonly got: number,
    readonly what: string,
  ) {
    super(`${what}: expected ${wanted} bytes, the data ends after ${got}`)
    this.name = 'TruncatedError'
  }
}

/** Reads a byte stream sequentially; trusts nothing about chunk sizes. */
export class ByteReader {
  private pending: Uint8Array | null = null
  private done = false
  private readonly iterator: AsyncIterator<Uint8Array>
  /** Bytes consumed so far. */
  position = 0

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]()
  }

  private async fill(): Promise<boolean> {
    while (!this.pending || this.pending.length === 0) {
      if (this.done) return false
      const next = await this.iterator.next()
      if (next.done) {
        this.done = true
        return false
      }
      this.pending = next.value instanceof Uint8Array ? next.value : new Uint8Array(next.value as ArrayBuffer)
    }
    return true
  }

  /** Up to `max` bytes (at least 1) or null at the end. */
  async next(max: number): Promise<Uint8Array | null> {
    if (!(await this.fill())) return null
    const chunk = this.pending!
    const take = Math.min(max, chunk.length)
    this.pending = take === chunk.length ? null : chunk.subarray(take)
    this.position += take
    return take === chunk.length ? chunk : chunk.subarray(0, take)
  }

  /** Exactly `n` bytes; throws TruncatedError naming `what` when the stream ends first. */
  async exact(n: number, what: string): Promise<Uint8Array> {
    const out = new Uint8Array(n)
    let got = 0
    while (got < n) {
      const chunk = await this.next(n - got)
      if (!chunk) throw new TruncatedError(n, got, what)
      out.set(chunk, got)
      got += chunk.length
    }
    return out
  }

  /** Discards `n` bytes; throws TruncatedError when the stream ends first. */
  async skip(n: number, what: string): Promise<void> {
    let left = n
    while (left > 0) {
      const chunk = await this.next(left)
      if (!chunk) throw new TruncatedError(n, n - left, what)
      left -= chunk.length
    }
  }

  /** Yields exactly `n` bytes in pieces; throws TruncatedError when the stream ends first. */
  async *take(n: number, what: string): AsyncGenerator<Uint8Array> {
    let left = n
    while (left > 0) {
      const chunk = await this.next(Math.min(left, 1 << 20))
      if (!chunk) throw new TruncatedError(n, n - left, what)
      left -= chunk.length
      yield chunk
    }
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill())
  }

  /** Stops the underlying stream. */
  async close(): Promise<void> {
    this.done = true
    this.pending = null
    await this.iterator.return?.()
  }
}
