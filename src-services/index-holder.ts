/** The app's embedded results indexes, one per results folder, kept open while used and let go when idle; trusts the folders it is given. */
import { resolve } from 'node:path'
import { StationIndex, type HeldIndex } from '@engine/db/index'

/** How long an index and its lock stay held after their last use, by default. */
export const HOLD_IDLE_MS = 10_000

interface Held {
  lease: Promise<HeldIndex>
  users: number
  idle?: NodeJS.Timeout
}

/**
 * Keeps the on-disk index of each results folder open under its lock file while the app uses it (History, Reports, the outbox), one
 * handle shared by every service, and lets it go `idleMs` after its last use so a CLI on the same folder waits seconds, not the app's lifetime.
 */
export class IndexHolder {
  private readonly held = new Map<string, Held>()
  private stopped = false

  constructor(private readonly idleMs = HOLD_IDLE_MS) {}

  /** Runs `fn` on the index of `dir`, brought up to date with its record files; the first use opens it (rebuilding it when missing or damaged). */
  async use<T>(dir: string, fn: (index: StationIndex) => Promise<T>): Promise<T> {
    const key = resolve(dir)
    if (this.stopped) return StationIndex.using(key, (index) => fn(index))
    let entry = this.held.get(key)
    const opening = !entry
    if (!entry) {
      const held: Held = { lease: StationIndex.hold(key), users: 0 }
      held.lease.catch(() => {
        if (this.held.get(key) === held) this.held.delete(key)
      })
      this.held.set(key, held)
      entry = held
    }
    if (entry.idle) clearTimeout(entry.idle)
    entry.idle = undefined
    entry.users++
    try {
      const { index } = await entry.lease
      if (!opening) {
        try {
          await index.refresh()
        } catch (error) {
          await this.release(key, entry)
          throw error
        }
      }
      return await fn(index)
    } finally {
      if (--entry.users === 0 && !this.stopped && this.held.get(key) === entry) {
        entry.idle = setTimeout(() => void this.release(key, entry), this.idleMs)
        entry.idle.unref?.()
      }
    }
  }

  /** Lets every index and its lock go; later uses open, use and close at once. */
  async dispose(): Promise<void> {
    this.stopped = true
    await Promise.all([...this.held.entries()].map(([key, entry]) => this.release(key, entry)))
  }

  private async release(key: string, entry: Held): Promise<void> {
    if (this.held.get(key) === entry) this.held.delete(key)
    if (entry.idle) clearTimeout(entry.idle)
    entry.idle = undefined
    await entry.lease.then((h) => h.release()).catch(() => undefined)
  }
}
