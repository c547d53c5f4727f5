/** Test stand-in for the `usb` package's WebUSB object, backed by virtual K230 boards, so the real transport runs end to end. */
import type { NodeUsbDevice, NodeUsbEndpoint, NodeWebUsb } from '@engine/flash/usb-real'
import type { VirtualBurnBus } from '@engine/flash/virtual/bus'
import type { UsbHandle } from '@engine/flash/transport'

type Listener = (event: { device: NodeUsbDevice }) => void

function libusbError(error: unknown): Error {
  const code = (error as { code?: string }).code
  return new Error(code === 'timeout' ? 'LIBUSB_ERROR_TIMEOUT' : code === 'device-lost' ? 'LIBUSB_ERROR_NO_DEVICE' : `LIBUSB_ERROR_IO: ${(error as Error).message}`)
}

/** WebUSB-like view of a VirtualBurnBus: devices carry `bus`/`ports`, transfers take endpoint numbers and return DataViews. */
export class FakeWebUsb implements NodeWebUsb {
  private readonly listeners = { connect: new Set<Listener>(), disconnect: new Set<Listener>() }
  private readonly current = new Map<string, NodeUsbDevice>()

  constructor(private readonly bus: VirtualBurnBus) {
    bus.watch((event) => {
      const device = event.type === 'attach' ? this.make(event.address) : this.current.get(event.address)
      if (event.type === 'detach') this.current.delete(event.address)
      if (device) for (const l of this.listeners[event.type === 'attach' ? 'connect' : 'disconnect']) l({ device })
    })
  }

  private make(address: string): NodeUsbDevice {
    const [bus, ports] = address.split('-')
    let handle: UsbHandle | null = null
    const live = () => {
      if (!handle) throw new Error('LIBUSB_ERROR_IO: device not opened')
      return handle
    }
    const device: NodeUsbDevice = {
      vendorId: 0x29f1,
      productId: 0x0230,
      bus,
      ports: ports.split('.').map(Number),
      speed: 'high',
      get opened() {
        return handle !== null
      },
      get configuration() {
        const eps = handle?.endpoints() ?? { in: 0x81, out: 0x01, maxPacketSize: 512 }
        const endpoints: NodeUsbEndpoint[] = [
          { endpointNumber: eps.in & 0x0f, direction: 'in', type: 'bulk', packetSize: 512 },
          { endpointNumber: eps.out, direction: 'out', type: 'bulk', packetSize: eps.maxPacketSize },
        ]
        return { interfaces: [{ interfaceNumber: 0, alternate: { endpoints } }] }
      },
      open: async () => {
        try {
          handle = await this.bus.open(address)
        } catch (error) {
          throw libusbError(error)
        }
      },
      close: async () => {
        await handle?.close()
        handle = null
      },
      claimInterface: async () => undefined,
      releaseInterface: async () => undefined,
      controlTransferIn: async (setup, length, timeout) => {
        const s = setup as { request: number; value: number; index: number }
        const bytes = await live().controlIn(s, length, timeout ?? 1000).catch((e: unknown) => {
          throw libusbError(e)
        })
        const copy = new Uint8Array(bytes.length + 8).subarray(4, 4 + bytes.length)
        copy.set(bytes)
        return { data: new DataView(copy.buffer, copy.byteOffset, copy.byteLength), status: 'ok' }
      },
      controlTransferOut: async (setup, data, timeout) => {
        await live().controlOut(setup as { request: number; value: number; index: number }, data, timeout ?? 1000).catch((e: unknown) => {
          throw libusbError(e)
        })
        return { bytesWritten: data?.length ?? 0, status: 'ok' }
      },
      transferIn: async (endpoint, length, timeout) => {
        const bytes = await live().bulkIn(0x80 | endpoint, length, timeout ?? 1000).catch((e: unknown) => {
          throw libusbError(e)
        })
        return { data: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), status: 'ok' }
      },
      transferOut: async (endpoint, data, timeout) => {
        await live().bulkOut(endpoint, data, timeout ?? 1000).catch((e: unknown) => {
          throw libusbError(e)
        })
        return { bytesWritten: data.length, status: 'ok' }
      },
    }
    this.current.set(address, device)
    return device
  }

  async getDevices(): Promise<NodeUsbDevice[]> {
    const infos = await this.bus.list(0x29f1, 0x0230)
    return infos.map((i) => this.current.get(i.address) ?? this.make(i.address))
  }

  addEventListener(type: 'connect' | 'disconnect', listener: Listener): void {
    this.listeners[type].add(listener)
  }

  removeEventListener(type: 'connect' | 'disconnect', listener: Listener): void {
    this.listeners[type].delete(listener)
  }
}
