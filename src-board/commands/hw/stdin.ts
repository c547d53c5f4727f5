/** Reads a command's stdin chunk by chunk and can stop reading without swallowing bytes meant for the next command. */
export interface StdinReader {
  /** Next chunk, or null at end of input or after `stop()`. */
  next(): Promise<Uint8Array | null>
  stop(): void
}

interface CancellableStream {
  read(signal?: AbortSignal): Promise<Uint8Array | null>
}

/** Wraps ctx.stdin; uses the stream's cancellable `read(signal)` when it has one (board-core's ByteStream). */
export function stdinReader(stdin: AsyncIterable<Uint8Array>): StdinReader {
  const controller = new AbortController()
  const stream = stdin as unknown as Partial<CancellableStream>
  if (typeof stream.read === 'function') {
    const read = stream.read.bind(stdin) as CancellableStream['read']
    return {
      next: async () => {
        if (controller.signal.aborted) return null
        try {
          return await read(controller.signal)
        } catch (error) {
          if (controller.signal.aborted) return null
          throw error
        }
      },
      stop: () => controller.abort(),
    }
  }
  const iterator = stdin[Symbol.asyncIterator]()
  let stopped = false
  const stopPromise = new Promise<null>((resolve) =>
    controller.signal.addEventListener('abort', () => resolve(null), { once: true }),
  )
  return {
    next: async () => {
      if (stopped) return null
      const result = await Promise.race([iterator.next(), stopPromise])
      if (result === null || result.done) return null
      return result.value
    },
    stop: () => {
      stopped = true
      controller.abort()
      void iterator.return?.()
    },
  }
}
