/** Hot-plug watcher: reports serial ports appearing and disappearing. */
import { listPorts, type PortInfo } from './ports'

/** A change in the port list. */
export interface PortChange {
  added: PortInfo[]
  removed: PortInfo[]
  ports: PortInfo[]
}

/** Options of watchPorts. */
export interface PortWatcherOptions {
  /** Re-list period when USB events are unavailable (ms); default 1000. */
  pollMs?: number
  /** Delay after a USB event before re-listing, so a device's ports settle (ms); default 300. */
  debounceMs?: number
  /** Port lister (tests pass their own). */
  list?: () => Promise<PortInfo[]>
}

/** A running watcher. */
export interface PortWatcher {
  /** The last listing. */
  readonly ports: PortInfo[]
  /** `usb-events` when the `usb` package reports hot-plug, `polling` otherwise. */
  readonly mode: 'usb-events' | 'polling'
  onChange(listener: (change: PortChange) => void): () => void
  /** Resolves with the first port matching `match` (present now or appearing later); rejects on timeout. */
  waitFor(match: (port: PortInfo) => boolean, timeoutMs: number): Promise<PortInfo>
  close(): void
}

type UsbLike = {
  getDevices(): Promise<unknown[]>
  addEventListener(type: 'connect' | 'disconnect', fn: () => void): void
  removeEventListener(type: 'connect' | 'disconnect', fn: () => void): void
}

async function loadUsbEvents(): Promise<UsbLike | null> {
  try {
    const mod = (await import('usb')) as unknown as { usb?: UsbLike }
    const usb = mod.usb
    if (!usb || typeof usb.getDevices !== 'function' || typeof usb.addEventListener !== 'function') return null
    await usb.getDevices()
    return usb
  } catch {
    return null
  }
}

const key = (p: PortInfo) => `${p.path}|${p.usbId ?? ''}|${p.serialNumber ?? ''}`

/** Starts watching; uses USB events where they work and degrades quietly to a periodic re-list. */
export async function watchPorts(options: PortWatcherOptions = {}): Promise<PortWatcher> {
  const list = options.list ?? listPorts
  const pollMs = options.pollMs ?? 1000
  const debounceMs = options.debounceMs ?? 300
  const listeners = new Set<(change: PortChange) => void>()
  let ports = await list().catch(() => [] as PortInfo[])
  let closed = false
  let debounce: NodeJS.Timeout | null = null
  let relisting = false

  const relist = async () => {
    if (closed || relisting) return
    relisting = true
    try {
      const next = await list().catch(() => ports)
      if (closed) return
      const before = new Map(ports.map((p) => [key(p), p]))
      const after = new Map(next.map((p) => [key(p), p]))
      const added = next.filter((p) => !before.has(key(p)))
      const removed = ports.filter((p) => !after.has(key(p)))
      ports = next
      if (added.length || removed.length) for (const l of [...listeners]) l({ added, removed, ports })
    } finally {
      relisting = false
    }
  }
  const schedule = () => {
    if (debounce) clearTimeout(debounce)
    debounce = setTimeout(() => void relist(), debounceMs)
  }

  const usb = await loadUsbEvents()
  const mode: PortWatcher['mode'] = usb ? 'usb-events' : 'polling'
  if (usb) {
    usb.addEventListener('connect', schedule)
    usb.addEventListener('disconnect', schedule)
  }
  const poll = setInterval(() => void relist(), usb ? pollMs * 5 : pollMs)
  poll.unref()

  const watcher: PortWatcher = {
    get ports() {
      return ports
    },
    mode,
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    waitFor(match, timeoutMs) {
      const present = ports.find(match)
      if (present) return Promise.resolve(present)
      return new Promise<PortInfo>((resolve, reject) => {
        const timer = setTimeout(() => {
          off()
          reject(new Error(`No matching port appeared within ${timeoutMs} ms`))
        }, timeoutMs)
        const off = watcher.onChange((change) => {
          const found = change.ports.find(match)
          if (!found) return
          clearTimeout(timer)
          off()
          resolve(found)
        })
      })
    },
    close() {
      closed = true
      clearInterval(poll)
      if (debounce) clearTimeout(debounce)
      listeners.clear()
      if (usb) {
        usb.removeEventListener('connect', schedule)
        usb.removeEventListener('disconnect', schedule)
      }
    },
  }
  return watcher
}
