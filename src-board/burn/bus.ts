/** The virtual USB bus: one or more virtual K230 boards in burning mode, with hot-plug, behind the UsbBus interface. */
import { FlashError } from '@engine/flash/errors'
import type { UsbBus, UsbBusEvent, UsbDeviceInfo, UsbHandle } from '@engine/flash/transport'
import { deviceLost } from '@engine/flash/transport'
import { VirtualK230, type VirtualK230Options } from './device'
import { findVirtualScenario, VIRTUAL_FLASH_SCENARIOS } from './scenarios'
import { virtualLoaders } from './loaders'
import type { LoaderSource } from '@engine/flash/loaders'

class VirtualHandle implements UsbHandle {
  private readonly generation: number
  private closed = false

  constructor(private readonly device: VirtualK230) {
    this.generation = device.generation
  }

  get info(): UsbDeviceInfo {
    return this.device.info
  }

  private live(): void {
    if (this.closed) throw new FlashError('protocol', 'handleClosed', { address: this.device.address })
    this.device.check(this.generation)
  }

  endpoints() {
    return this.device.endpoints()
  }

  async controlIn(setup: Parameters<UsbHandle['controlIn']>[0], length: number) {
    this.live()
    return this.device.controlIn(this.generation, setup, length)
  }

  async controlOut(setup: Parameters<UsbHandle['controlOut']>[0]) {
    this.live()
    return this.device.controlOut(this.generation, setup)
  }

  async bulkOut(endpoint: number, data: Uint8Array, timeoutMs: number) {
    this.live()
    return this.device.bulkOut(this.generation, endpoint, data, timeoutMs)
  }

  async bulkIn(endpoint: number, length: number, timeoutMs: number) {
    this.live()
    return this.device.bulkIn(this.generation, endpoint, length, timeoutMs)
  }

  async close() {
    if (this.closed) return
    this.closed = true
    if (this.device.generation === this.generation) {
      this.device.claimed = false
      this.device.cancelPending()
    }
  }
}

/** A bus holding virtual boards; trusts callers to give each board a distinct address. */
export class VirtualBurnBus implements UsbBus {
  readonly kind = 'virtual' as const
  private readonly devices = new Map<string, VirtualK230>()
  private readonly listeners = new Set<(event: UsbBusEvent) => void>()

  /** The virtual boards take the virtual loaders. */
  loaders(): LoaderSource {
    return virtualLoaders()
  }

  /** Plugs a board in (fires attach). */
  add(device: VirtualK230): VirtualK230 {
    this.devices.set(device.address, device)
    device.on({
      attach: () => this.emit({ type: 'attach', address: device.address }),
      detach: () => this.emit({ type: 'detach', address: device.address }),
    })
    if (device.attached) this.emit({ type: 'attach', address: device.address })
    return device
  }

  /** The board at `address`, attached or not. */
  device(address: string): VirtualK230 | undefined {
    return this.devices.get(address)
  }

  private emit(event: UsbBusEvent): void {
    for (const listener of this.listeners) listener(event)
  }

  async list(vendorId: number, productId: number): Promise<UsbDeviceInfo[]> {
    return [...this.devices.values()].filter((d) => d.attached && d.info.vendorId === vendorId && d.info.productId === productId).map((d) => d.info)
  }

  async open(address: string): Promise<UsbHandle> {
    const device = this.devices.get(address)
    if (!device || !device.attached) throw new FlashError('device-not-found', 'noBoardAt', { address })
    if (device.claimed) throw new FlashError('device-busy', 'boardInUse', { address })
    if (!device.attached) throw deviceLost(address)
    device.claimed = true
    return new VirtualHandle(device)
  }

  watch(listener: (event: UsbBusEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

/** Options of `createVirtualBurnBus`. */
export interface VirtualBusOptions extends Omit<VirtualK230Options, 'address' | 'faults'> {
  scenario?: string
  /** Number of boards (addresses `1-1`, `1-2`, ...). */
  boards?: number
}

/** A bus with `boards` virtual boards of a named scenario; throws FlashError 'usage' for an unknown scenario. */
export function createVirtualBurnBus(options: VirtualBusOptions = {}): VirtualBurnBus {
  const name = options.scenario ?? 'healthy'
  const scenario = findVirtualScenario(name)
  if (!scenario) throw new FlashError('usage', 'unknownScenario', { name, known: VIRTUAL_FLASH_SCENARIOS.map((s) => s.name).join(', ') })
  const bus = new VirtualBurnBus()
  for (let i = 1; i <= (options.boards ?? 1); i++) bus.add(new VirtualK230({ ...options, address: `1-${i}`, faults: scenario.faults }))
  return bus
}
