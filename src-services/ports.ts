/** Serial ports with friendly names and hot-plug, through the engine's port listing and watcher. */
import type { PortView } from '@shared/ipc'
import { listPorts, watchPorts, type PortInfo, type PortWatcher } from '@engine/link/index'
import { EventHub } from './events'

/** Lists ports and announces changes while watching; trusts the engine's list. */
export class PortsService {
  private watcher: PortWatcher | null = null
  private starting: Promise<void> | null = null
  private closed = false

  constructor(
    private readonly events: EventHub,
    private readonly lister: () => Promise<PortInfo[]> = listPorts,
  ) {}

  /** The ports present now (the watcher's last listing when it runs, so the Station opens without waiting for the OS). */
  async list(): Promise<PortView[]> {
    if (this.watcher) return this.watcher.ports.map(toView)
    return (await this.lister()).map(toView)
  }

  /** The watcher's last listing now (empty before it started): what slots match their ports against. */
  current(): PortView[] {
    return this.watcher ? this.watcher.ports.map(toView) : []
  }

  /** Starts the hot-plug watcher once; `ports:changed` fires when a port appears or goes. */
  watch(pollMs?: number): Promise<void> {
    this.starting ??= watchPorts({ list: this.lister, pollMs }).then(
      (w) => {
        if (this.closed) return w.close()
        this.watcher = w
        w.onChange((change) => this.events.emit('ports:changed', change.ports.map(toView)))
      },
      () => undefined,
    )
    return this.starting
  }

  /** The running watcher (started on first use), or null when watching could not start or was stopped. */
  async watcherReady(): Promise<PortWatcher | null> {
    await this.watch()
    return this.watcher
  }

  /** Stops watching. */
  stop(): void {
    this.closed = true
    this.watcher?.close()
    this.watcher = null
  }
}

/** The Station screen's view of an engine port. */
export function toView(p: PortInfo): PortView {
  return { path: p.path, label: p.friendlyName, vendorId: p.vendorId, productId: p.productId, manufacturer: p.manufacturer, serialNumber: p.serialNumber, location: p.location }
}
