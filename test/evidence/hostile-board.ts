/** Hostile console endpoints (silent, random bytes, floods) for the evidence tests and bench/hostile-console.ts. */
import type { VirtualBoard } from '@board/types'
import { connect } from '@engine/console'

/** What the endpoint does with what the host typed. */
export type Behaviour = (typed: string, emit: (text: string | Uint8Array) => void) => void

/** A console endpoint that behaves as `behaviour` says: the hostile boards of these tests. */
export function hostileBoard(
  name: string,
  behaviour: Behaviour,
  onStart?: (emit: (text: string | Uint8Array) => void) => () => void,
): VirtualBoard & { stop(): void } {
  const listeners = new Set<(chunk: Uint8Array) => void>()
  const emit = (text: string | Uint8Array) => {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text
    for (const l of listeners) l(bytes)
  }
  const stop = onStart?.(emit) ?? (() => undefined)
  return {
    options: { scenario: name, seed: 1, timeScale: 1, baud: 115200, lineRate: false, login: false },
    write: (data) =>
      behaviour(typeof data === 'string' ? data : Buffer.from(data).toString('latin1'), emit),
    onData: (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    onUnplug: () => () => undefined,
    powerOn: () => undefined,
    powerOff: () => undefined,
    reboot: () => undefined,
    unplug: () => undefined,
    whenReady: async () => undefined,
    services: undefined as never,
    close: () => stop(),
    stop,
  }
}

/** Calls `fn` on every turn of the event loop until the returned stop is called. */
export function everyTick(fn: () => void): () => void {
  let on = true
  const loop = () => {
    if (!on) return
    fn()
    setImmediate(loop)
  }
  setImmediate(loop)
  return () => (on = false)
}

/** Attaches a session to `board` and says how it ended and after how many wall-clock ms (read by bench/hostile-console.ts, never asserted in tests). */
export async function attachOutcome(
  board: VirtualBoard,
  timeout: number,
): Promise<{ error: unknown; ms: number }> {
  const console = await connect({ board })
  const started = performance.now()
  try {
    await console.session.attach({ timeout })
    return { error: undefined, ms: performance.now() - started }
  } catch (error) {
    return { error, ms: performance.now() - started }
  } finally {
    await console.close()
  }
}

