/** Serial ports with friendly names and hot-plug: lists through the engine and re-announces when the set changes. */
import type { PortView } from '@shared/ipc'
import { EventHub } from './events'
import { engineModule } from './engine'

type EnginePort = { path: string; friendlyName?: string; label?: string; vendorId?: string; productId?: string; manufacturer?: string; serialNumber?: string }

/** Watches ports while anyone listens; trusts the engine's list. */
export class PortsService {
  private last: PortView[] = []
  private stopWatch: (() => void) | null = null

  constructor(private readonly events: EventHub) {}

  /** The ports present now. */
  async list(): Promise<PortView[]> {
    const mod = await engineModule('@engine/link/index', 'Serial port listing')
    const listPorts = mod.listPorts as (() => Promise<EnginePort[]>) | undefined
    if (typeof listPorts !== 'function') return []
    this.last = (await listPorts()).map(toView)
    return this.last
  }

  /** Starts the engine's port watcher (hot-plug); safe to call more than once. */
  async watch(): Promise<void> {
    if (this.stopWatch) return
    try {
      const mod = await engineModule('@engine/link/index', 'Serial port watcher')
      const watchPorts = mod.watchPorts as ((listener: (ports: EnginePort[]) => void) => (() => void) | { close(): void }) | undefined
      if (typeof watchPorts !== 'function') return
      const handle = watchPorts((ports) => {
        this.last = ports.map(toView)
        this.events.emit('ports:changed', this.last)
      })
      this.stopWatch = typeof handle === 'function' ? handle : () => handle.close()
    } catch {
      /* no watcher in this build: the list button still works */
    }
  }

  /** Stops watching. */
  stop(): void {
    this.stopWatch?.()
    this.stopWatch = null
  }
}

function toView(p: EnginePort): PortView {
  const ids = p.vendorId && p.productId ? ` (${p.vendorId}:${p.productId})` : ''
  return {
    path: p.path,
    label: p.friendlyName ?? p.label ?? (p.manufacturer ? `${p.manufacturer}${ids}` : `${p.path}${ids}`),
    vendorId: p.vendorId,
    productId: p.productId,
    manufacturer: p.manufacturer,
    serialNumber: p.serialNumber,
  }
}
