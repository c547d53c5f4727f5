import type { Clock } from './types'

/** Creates a board clock where one board millisecond lasts `timeScale` real milliseconds; trusts timeScale > 0. */
export function createClock(timeScale: number): Clock {
  const scale = timeScale > 0 && Number.isFinite(timeScale) ? timeScale : 1
  const start = performance.now()
  const realDelay = (ms: number): number => Math.max(0, ms * scale)
  return {
    timeScale: scale,
    now: () => (performance.now() - start) / scale,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason)
        const onAbort = (): void => {
          clearTimeout(timer)
          reject(signal?.reason)
        }
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }, realDelay(ms))
        signal?.addEventListener('abort', onAbort, { once: true })
      })
    },
    setTimer(ms: number, fn: () => void): () => void {
      const timer = setTimeout(fn, realDelay(ms))
      return () => clearTimeout(timer)
    },
  }
}
