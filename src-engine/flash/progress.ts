/** Progress figures of a flash: bytes, speed over a sliding window, and ETA. */

/** What the flash reports while it runs. */
export interface FlashProgress {
  phase: 'image' | 'loader' | 'handoff' | 'probe' | 'write' | 'erase' | 'verify' | 'reboot' | 'done'
  part?: string
  partIndex?: number
  partCount?: number
  bytesDone: number
  bytesTotal: number
  /** Bytes per second over the last seconds of this phase. */
  bytesPerSec: number
  /** Seconds left at the current speed; null before a speed is known. */
  etaSec: number | null
}

/** Sliding-window rate meter; trusts `add` to be called with non-negative counts. */
export class RateMeter {
  private done = 0
  private readonly samples: { t: number; bytes: number }[] = []

  constructor(
    readonly total: number,
    private readonly windowMs = 2000,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.samples.push({ t: now(), bytes: 0 })
  }

  /** Adds `bytes` and returns the figures. */
  add(bytes: number): { bytesDone: number; bytesPerSec: number; etaSec: number | null } {
    this.done += bytes
    const t = this.now()
    this.samples.push({ t, bytes: this.done })
    while (this.samples.length > 2 && t - this.samples[1].t > this.windowMs) this.samples.shift()
    const first = this.samples[0]
    const elapsed = (t - first.t) / 1000
    const bytesPerSec = elapsed > 0 ? (this.done - first.bytes) / elapsed : 0
    return { bytesDone: this.done, bytesPerSec, etaSec: bytesPerSec > 0 ? Math.max(0, this.total - this.done) / bytesPerSec : null }
  }
}

/** "12.3 MB/s", "850 kB/s". */
export function formatRate(bytesPerSec: number): string {
  return bytesPerSec >= 1e6 ? `${(bytesPerSec / 1e6).toFixed(1)} MB/s` : `${Math.round(bytesPerSec / 1e3)} kB/s`
}

/** "1:05", "0:07"; "--:--" when unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--'
  const s = Math.round(seconds)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}
