/** A typed event hub for main→renderer events; listeners that throw are isolated from each other. */
import type { ConsoleState, EventPayloads, RunSnapshot } from '@shared/ipc'

/** What one slot's console and run publish before the station tags them with the slot index. */
export interface SlotEventPayloads {
  'console:data': string
  'console:state': ConsoleState
  'run:update': RunSnapshot
}

/** Publishes service events to any number of listeners (IPC adapter, WebSocket clients, tests); `P` maps channels to payloads. */
export class EventHub<P extends object = EventPayloads> {
  private readonly listeners = new Map<keyof P, Set<(payload: unknown) => void>>()

  /** Subscribes to one channel; returns the unsubscribe function. */
  on<E extends keyof P>(channel: E, listener: (payload: P[E]) => void): () => void {
    let set = this.listeners.get(channel)
    if (!set) this.listeners.set(channel, (set = new Set()))
    const l = listener as (payload: unknown) => void
    set.add(l)
    return () => set.delete(l)
  }

  /** Delivers a payload to every listener of the channel. */
  emit<E extends keyof P>(channel: E, payload: P[E]): void {
    for (const l of [...(this.listeners.get(channel) ?? [])]) {
      try {
        l(payload)
      } catch {
        /* a broken listener must not stop the others */
      }
    }
  }

  /** Number of listeners on a channel (to start pollers only when someone listens). */
  count(channel: keyof P): number {
    return this.listeners.get(channel)?.size ?? 0
  }
}
