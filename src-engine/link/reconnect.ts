/** Re-opening a serial link when its adapter returns after an unplug. */
import type { Link } from './link'
import { openSerialLink } from './serial-link'
import type { PortInfo } from './ports'
import type { PortWatcher } from './port-watcher'

/** How to recognise the adapter again: by USB serial number when known (the path may change), else by path. */
export interface PortIdentity {
  path: string
  serialNumber?: string
  usbId?: string
  location?: string
}

/** Options of reopenSerialLink. */
export interface ReopenOptions {
  baudRate?: number
  /** Overall deadline (ms); default 30000. */
  timeoutMs?: number
  /** Open attempts once the port is back, spaced 1.5 s × n; default 3. */
  attempts?: number
  watcher: PortWatcher
  signal?: AbortSignal
}

/** True when `port` is the same adapter as `identity`. */
export function samePort(identity: PortIdentity, port: PortInfo): boolean {
  if (identity.serialNumber && port.serialNumber) return identity.serialNumber === port.serialNumber && (!identity.usbId || identity.usbId === port.usbId)
  return port.path === identity.path
}

/** Waits for the adapter to reappear, then opens it with back-off; rejects with a message naming the port when it does not. */
export async function reopenSerialLink(identity: PortIdentity, options: ReopenOptions): Promise<Link> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const attempts = options.attempts ?? 3
  const started = Date.now()
  const port = await options.watcher.waitFor((p) => samePort(identity, p), timeoutMs)
  let lastError: unknown
  for (let n = 1; n <= attempts; n++) {
    if (options.signal?.aborted) throw options.signal.reason
    try {
      return await openSerialLink({ path: port.path, baudRate: options.baudRate })
    } catch (error) {
      lastError = error
      const wait = 1500 * n
      if (Date.now() - started + wait > timeoutMs) break
      await new Promise((resolve) => setTimeout(resolve, wait).unref())
    }
  }
  throw new Error(`Port ${port.path} came back but could not be opened: ${lastError instanceof Error ? lastError.message : String(lastError)}`)
}
