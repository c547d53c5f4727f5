/** Paces simulated work in board time against a running deadline, so the simulator's own CPU time overlaps the modelled time. */
import { setTimeout as delay } from 'node:timers/promises'

/** Gap (real ms) after which the device counts as idle and its deadline restarts from now. */
const IDLE_GAP_MS = 50

/** Converts board milliseconds to real waits at `timeScale` (1 = real time). */
export class Pacer {
  private due = 0

  constructor(readonly timeScale: number) {}

  /** Spends `boardMs` of device time after the work already due; resolves when that deadline is reached. */
  async spend(boardMs: number): Promise<void> {
    const now = performance.now()
    this.due = (now - this.due > IDLE_GAP_MS ? now : this.due) + boardMs * this.timeScale
    const wait = this.due - now
    if (wait >= 2) await delay(wait)
  }

  /** A one-off wait of `boardMs` board milliseconds (re-enumeration, reset). */
  async after(boardMs: number): Promise<void> {
    await delay(boardMs * this.timeScale)
  }
}
