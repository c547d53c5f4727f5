/** Paces simulated work in board time: accumulates small costs and waits once they reach a timer's resolution. */
import { setTimeout as delay } from 'node:timers/promises'

/** Converts board milliseconds to real waits at `timeScale` (1 = real time). */
export class Pacer {
  private debtMs = 0

  constructor(readonly timeScale: number) {}

  /** Spends `boardMs` of device time; resolves when that much (scaled) real time is due. */
  async spend(boardMs: number): Promise<void> {
    this.debtMs += boardMs * this.timeScale
    if (this.debtMs < 2) return
    const want = this.debtMs
    const started = performance.now()
    await delay(want)
    this.debtMs -= performance.now() - started
  }

  /** A one-off wait of `boardMs` board milliseconds (re-enumeration, reset). */
  async after(boardMs: number): Promise<void> {
    await delay(boardMs * this.timeScale)
  }
}
