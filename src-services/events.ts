/** A typed event hub for main→renderer events; listeners that throw are isolated from each other. */
import type { EventChannel, EventPayloads } from '@shared/ipc'

/** Publishes service events to any number of listeners (IPC adapter, WebSocket clients, tests). */
export class EventHub {
  private readonly listeners = new Map<EventChannel, Set<(payload: unknown) => void>>()

  /** Subscribes to one channel; returns the unsubscribe function. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayloads[E]) => void): () => void {
    let set = this.listeners.get(channel)
    if (!set) this.listeners.set(channel, (set = new Set()))
    const l = listener as (payload: unknown) => void
    set.add(l)
    return () => set.delete(l)
  }

  /** Delivers a payload to every listener of the channel. */
  emit<E extends EventChannel>(channel: E, payload: EventPayloads[E]): void {
    for (const l of [...(this.listeners.get(channel) ?? [])]) {
      try {
        l(payload)
      } catch {
        /* a broken listener must not stop the others */
      }
    }
  }

  /** Number of listeners on a channel (to start pollers only when someone listens). */
  count(channel: EventChannel): number {
    return this.listeners.get(channel)?.size ?? 0
  }
}
