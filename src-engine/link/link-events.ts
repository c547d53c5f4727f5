/** Listener bookkeeping shared by Link implementations: data fan-out and a close that fires exactly once. */
import type { LinkLostError } from './link'

/** Fans out data and fires close once, whatever the underlying driver emits afterwards. */
export class LinkEvents {
  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>()
  private readonly closeListeners = new Set<(error?: LinkLostError) => void>()
  private closedWith: { error?: LinkLostError } | null = null

  constructor(readonly name: string) {}

  get closed(): boolean {
    return this.closedWith !== null
  }

  /** The LinkLostError the link closed with, if it was lost. */
  get lostError(): LinkLostError | undefined {
    return this.closedWith?.error
  }

  data(chunk: Uint8Array): void {
    if (this.closedWith) return
    for (const listener of [...this.dataListeners]) listener(chunk)
  }

  /** Marks the link closed; only the first call notifies listeners. */
  close(error?: LinkLostError): void {
    if (this.closedWith) return
    this.closedWith = { error }
    for (const listener of [...this.closeListeners]) listener(error)
    this.closeListeners.clear()
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener)
    return () => this.dataListeners.delete(listener)
  }

  /** Subscribes to close; a listener added after the close is called at once (asynchronously). */
  onClose(listener: (error?: LinkLostError) => void): () => void {
    if (this.closedWith) {
      const { error } = this.closedWith
      queueMicrotask(() => listener(error))
      return () => {}
    }
    this.closeListeners.add(listener)
    return () => this.closeListeners.delete(listener)
  }
}
