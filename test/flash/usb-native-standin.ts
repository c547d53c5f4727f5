/**
 * Loads the real `usb@3.1.0` JavaScript wrapper (node_modules/usb/dist/index.js) with only its native
 * binding (`usb/index.js`, the napi-rs loader of node-usb-rs) stood in by virtual K230 boards.
 *
 * Modelled on node-usb-rs at tag 3.1.0 (commit c28f73f), src/webusb_device.rs:
 * | behaviour of the stand-in                                                     | source                         |
 * |-------------------------------------------------------------------------------|--------------------------------|
 * | control errors are `controlTransferIn/Out error: <Display of TransferError>`   | webusb_device.rs:605, 647      |
 * | bulk errors are `transferIn/Out error: <Debug of TransferError>`               | webusb_device.rs:683, 716      |
 * | a timeout cancels the transfer: nusb reports `Cancelled` / "transfer was cancelled" | nusb TransferError::Cancelled |
 * | a stall is `Stall` / "endpoint stalled"; a pulled cable `Disconnected` / "device disconnected" | nusb TransferError |
 * | control OUT with no data sends 0 bytes and resolves with the length sent       | webusb_device.rs:631-662       |
 * | bulk IN returns a new Uint8Array of exactly the bytes received                 | webusb_device.rs:684-687       |
 * The wrapper itself (toUint8Array on every OUT, DataView over `res.buffer`) is the installed one, unchanged.
 */
import { createRequire } from 'node:module'
import type { NodeWebUsb } from '@engine/flash/usb-real'
import type { UsbHandle } from '@engine/flash/transport'
import type { VirtualBurnBus } from '@board/burn/bus'

const require = createRequire(import.meta.url)

type Display = 'Cancelled' | 'Stall' | 'Disconnected' | 'Fault'
const DISPLAY: Record<Display, string> = { Cancelled: 'transfer was cancelled', Stall: 'endpoint stalled', Disconnected: 'device disconnected', Fault: 'hardware fault or protocol violation' }

function nusbKind(error: unknown): Display {
  const code = (error as { code?: string }).code
  if (code === 'timeout') return 'Cancelled'
  if (code === 'device-lost' || code === 'device-not-found') return 'Disconnected'
  if (/stall/i.test((error as Error).message ?? '')) return 'Stall'
  return 'Fault'
}

const fresh = (bytes: Uint8Array) => Uint8Array.from(bytes)

/** Builds the stand-in for the napi binding over a virtual bus: the module object `usb/index.js` would export. */
function nativeBinding(bus: VirtualBurnBus) {
  const known = new Map<string, InstanceType<typeof UsbDevice>>()
  let attach: ((d: InstanceType<typeof UsbDevice>) => void) | null = null
  let detach: ((h: string) => void) | null = null

  class UsbDevice {
    vendorId = 0x29f1
    productId = 0x0230
    deviceClass = 0
    deviceSubclass = 0
    deviceProtocol = 0
    bus: string
    ports: number[]
    speed = 'high'
    private opened_: UsbHandle | null = null

    constructor(readonly address: string) {
      const [b, ports] = address.split('-')
      this.bus = b
      this.ports = ports.split('.').map(Number)
    }
    get handle(): string {
      return this.address
    }
    get serialNumber(): null {
      return null
    }
    get opened(): boolean {
      return this.opened_ !== null
    }
    get configuration() {
      const eps = this.opened_?.endpoints() ?? { in: 0x81, out: 0x01, maxPacketSize: 512 }
      const endpoints = [
        { endpointNumber: eps.in & 0x0f, direction: 'in', type: 'bulk', packetSize: 512 },
        { endpointNumber: eps.out, direction: 'out', type: 'bulk', packetSize: eps.maxPacketSize },
      ]
      return { configurationValue: 1, interfaces: [{ interfaceNumber: 0, alternate: { alternateSetting: 0, interfaceClass: 0xff, interfaceSubclass: 0, interfaceProtocol: 0, endpoints }, alternates: [], claimed: false }] }
    }
    private live(what: string): UsbHandle {
      if (!this.opened_) throw new Error(`${what} error: invalid state`)
      return this.opened_
    }
    async open(): Promise<void> {
      try {
        this.opened_ = await bus.open(this.address)
      } catch (error) {
        throw new Error(`open error: ${(error as Error).message}`, { cause: error })
      }
    }
    async close(): Promise<void> {
      await this.opened_?.close()
      this.opened_ = null
    }
    async claimInterface(): Promise<void> {
      this.live('claimInterface')
    }
    async releaseInterface(): Promise<void> {}
    async detachKernelDriver(): Promise<void> {
      throw new Error('detachKernelDriver error: no kernel driver attached')
    }
    async nativeControlTransferIn(setup: { request: number; value: number; index: number }, timeout: number, length: number): Promise<Uint8Array | null> {
      const bytes = await this.live('controlTransferIn')
        .controlIn(setup, length, timeout)
        .catch((e: unknown) => {
          throw new Error(`controlTransferIn error: ${DISPLAY[nusbKind(e)]}`)
        })
      return fresh(bytes)
    }
    async nativeControlTransferOut(setup: { request: number; value: number; index: number }, timeout: number, data?: Uint8Array | null): Promise<number> {
      if (data !== undefined && data !== null && !(data instanceof Uint8Array)) throw new TypeError('Failed to convert napi value into rust type `Uint8Array`')
      await this.live('controlTransferOut')
        .controlOut(setup, data ?? new Uint8Array(0), timeout)
        .catch((e: unknown) => {
          throw new Error(`controlTransferOut error: ${DISPLAY[nusbKind(e)]}`)
        })
      return data?.length ?? 0
    }
    async nativeTransferIn(endpointNumber: number, timeout: number, length: number): Promise<Uint8Array | null> {
      const bytes = await this.live('transferIn')
        .bulkIn(0x80 | endpointNumber, length, timeout)
        .catch((e: unknown) => {
          throw new Error(`transferIn error: ${nusbKind(e)}`)
        })
      return fresh(bytes)
    }
    async nativeTransferOut(endpointNumber: number, timeout: number, data: Uint8Array): Promise<number> {
      if (!(data instanceof Uint8Array)) throw new TypeError('Failed to convert napi value into rust type `Uint8Array`')
      await this.live('transferOut')
        .bulkOut(endpointNumber, fresh(data), timeout)
        .catch((e: unknown) => {
          throw new Error(`transferOut error: ${nusbKind(e)}`)
        })
      return data.length
    }
  }

  const deviceAt = (address: string) => {
    let device = known.get(address)
    if (!device) {
      device = new UsbDevice(address)
      known.set(address, device)
    }
    return device
  }
  bus.watch((event) => {
    if (event.type === 'attach') attach?.(deviceAt(event.address))
    else {
      known.delete(event.address)
      detach?.(event.address)
    }
  })

  class Emitter {
    async addAttach(cb: (d: UsbDevice) => void): Promise<void> {
      attach = cb
    }
    async removeAttach(): Promise<void> {
      attach = null
    }
    async addDetach(cb: (h: string) => void): Promise<void> {
      detach = cb
    }
    async removeDetach(): Promise<void> {
      detach = null
    }
  }

  return {
    UsbDevice,
    Emitter,
    nativeGetDevices: async () => (await bus.list(0x29f1, 0x0230)).map((i) => deviceAt(i.address)),
    nativeFindDeviceByIds: async () => null,
    nativeFindDeviceBySerial: async () => null,
  }
}

/** A `WebUSB` object of the installed usb@3.1.0 wrapper whose native layer is the virtual bus. */
export function realWebUsbOver(bus: VirtualBurnBus): NodeWebUsb {
  const bindingPath = require.resolve('usb/index.js')
  const wrapperPath = require.resolve('usb/dist/index.js')
  const saved = { binding: require.cache[bindingPath], wrapper: require.cache[wrapperPath] }
  require.cache[bindingPath] = { id: bindingPath, filename: bindingPath, loaded: true, exports: nativeBinding(bus) } as NodeJS.Module
  delete require.cache[wrapperPath]
  try {
    const wrapper = require(wrapperPath) as { WebUSB: new (o: object) => NodeWebUsb }
    return new wrapper.WebUSB({ allowAllDevices: true })
  } finally {
    if (saved.binding) require.cache[bindingPath] = saved.binding
    else delete require.cache[bindingPath]
    if (saved.wrapper) require.cache[wrapperPath] = saved.wrapper
    else delete require.cache[wrapperPath]
  }
}
