/** The real USB transport over the `usb` package (WebUSB-style API); degrades to a clear 'usb-unavailable' error. */
import { FlashError } from './errors'
import { deviceLost, transferTimeout, type TransferName, type BulkEndpoints, type UsbBus, type UsbBusEvent, type UsbDeviceInfo, type UsbHandle, type VendorSetup } from './transport'

/** An endpoint as the `usb` package describes it. */
export interface NodeUsbEndpoint {
  endpointNumber: number
  direction: 'in' | 'out'
  type: string
  packetSize: number
}
/** The part of the `usb` package's device this transport uses. */
export interface NodeUsbDevice {
  vendorId: number
  productId: number
  bus: string
  ports: number[]
  speed?: string
  opened: boolean
  configuration?: { interfaces: { interfaceNumber: number; alternate: { endpoints: NodeUsbEndpoint[] } }[] }
  open(): Promise<void>
  close(): Promise<void>
  claimInterface(n: number): Promise<void>
  releaseInterface(n: number): Promise<void>
  detachKernelDriver?(n: number): Promise<void>
  controlTransferIn(setup: object, length: number, timeout?: number): Promise<{ data?: DataView; status: string }>
  controlTransferOut(setup: object, data: Uint8Array, timeout?: number): Promise<{ bytesWritten: number; status: string }>
  transferIn(endpoint: number, length: number, timeout?: number): Promise<{ data?: DataView; status: string }>
  transferOut(endpoint: number, data: Uint8Array, timeout?: number): Promise<{ bytesWritten: number; status: string }>
}
/** The part of the `usb` package's WebUSB object this transport uses. */
export interface NodeWebUsb {
  getDevices(): Promise<NodeUsbDevice[]>
  addEventListener(type: 'connect' | 'disconnect', listener: (event: { device: NodeUsbDevice }) => void): void
  removeEventListener(type: 'connect' | 'disconnect', listener: (event: { device: NodeUsbDevice }) => void): void
}

/** The 'usb-unavailable' error naming why USB cannot be read and what to do. */
export function usbUnavailable(detail: string): FlashError {
  return new FlashError('usb-unavailable', 'usbUnavailable', { text: detail })
}

/** Port path `BUS-PORT.PORT` of a device (stable across re-enumeration on the same port). */
export function portPath(device: Pick<NodeUsbDevice, 'bus' | 'ports'>): string {
  const bus = String(device.bus).split('-')[0]
  return device.ports?.length ? `${bus}-${device.ports.join('.')}` : String(device.bus)
}

function infoOf(device: NodeUsbDevice): UsbDeviceInfo {
  return { address: portPath(device), vendorId: device.vendorId, productId: device.productId, speed: device.speed }
}

function bytesOf(view: DataView | undefined): Uint8Array {
  return view ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : new Uint8Array(0)
}

/**
 * What usb@3.1.0 (node-usb-rs over nusb) raises, by source line of node-usb-rs 3.1.0 src/webusb_device.rs:
 * control transfers reject `controlTransferIn/Out error: <Display>` (:605, :647), bulk transfers
 * `transferIn/Out error: <Debug>` (:683, :716) of nusb's TransferError. nusb ends a transfer whose
 * timeout expired by cancelling it, so a timeout is `Cancelled` / "transfer was cancelled".
 */
const NUSB_TIMEOUT = /\bCancelled\b|transfer was cancelled|timed? ?out/i
const NUSB_GONE = /\bDisconnected\b|device disconnected|no[ _]device|not found|no such/i
const NUSB_STALL = /\bStall\b|endpoint stalled|pipe/i

function transferError(address: string, what: TransferName, timeoutMs: number, error: unknown, extra: Record<string, string | number> = {}): FlashError {
  const text = error instanceof Error ? error.message : String(error)
  if (NUSB_TIMEOUT.test(text)) return transferTimeout(address, what, timeoutMs, extra)
  if (NUSB_GONE.test(text)) return deviceLost(address, text)
  if (NUSB_STALL.test(text)) return new FlashError('protocol', 'stalled', { ...extra, address, what, text })
  return new FlashError('protocol', 'transferFailed', { ...extra, address, what, text })
}

class RealHandle implements UsbHandle {
  readonly info: UsbDeviceInfo

  constructor(private readonly device: NodeUsbDevice) {
    this.info = infoOf(device)
  }

  endpoints(): BulkEndpoints {
    const eps = this.device.configuration?.interfaces[0]?.alternate.endpoints ?? []
    const bulkIn = eps.find((e) => e.type === 'bulk' && e.direction === 'in')
    const bulkOut = eps.find((e) => e.type === 'bulk' && e.direction === 'out')
    if (!bulkIn || !bulkOut) throw new FlashError('protocol', 'noBulkEndpoints', { address: this.info.address })
    return { in: 0x80 | bulkIn.endpointNumber, out: bulkOut.endpointNumber, maxPacketSize: bulkOut.packetSize || 512 }
  }

  private setup(s: VendorSetup) {
    return { requestType: 'vendor', recipient: 'device', request: s.request, value: s.value, index: s.index }
  }

  async controlIn(setup: VendorSetup, length: number, timeoutMs: number): Promise<Uint8Array> {
    const r = await this.device.controlTransferIn(this.setup(setup), length, timeoutMs).catch((e: unknown) => {
      throw transferError(this.info.address, 'control', timeoutMs, e, { req: setup.request })
    })
    if (r.status !== 'ok') throw new FlashError('protocol', 'controlStalled', { address: this.info.address, req: setup.request })
    return bytesOf(r.data)
  }

  async controlOut(setup: VendorSetup, data: Uint8Array, timeoutMs: number): Promise<void> {
    const r = await this.device.controlTransferOut(this.setup(setup), data, timeoutMs).catch((e: unknown) => {
      throw transferError(this.info.address, 'control', timeoutMs, e, { req: setup.request })
    })
    if (r.status !== 'ok') throw new FlashError('protocol', 'controlStalled', { address: this.info.address, req: setup.request })
  }

  async bulkOut(endpoint: number, data: Uint8Array, timeoutMs: number): Promise<void> {
    const r = await this.device.transferOut(endpoint & 0x0f, data, timeoutMs).catch((e: unknown) => {
      throw transferError(this.info.address, 'bulkWrite', timeoutMs, e)
    })
    if (r.status !== 'ok') throw new FlashError('protocol', 'bulkWriteStalled', { address: this.info.address })
  }

  async bulkIn(endpoint: number, length: number, timeoutMs: number): Promise<Uint8Array> {
    const r = await this.device.transferIn(endpoint & 0x0f, length, timeoutMs).catch((e: unknown) => {
      throw transferError(this.info.address, 'bulkRead', timeoutMs, e)
    })
    if (r.status !== 'ok') throw new FlashError('protocol', 'bulkReadStalled', { address: this.info.address })
    return bytesOf(r.data)
  }

  async close(): Promise<void> {
    await this.device.releaseInterface(0).catch(() => undefined)
    await this.device.close().catch(() => undefined)
  }
}

class RealUsbBus implements UsbBus {
  readonly kind = 'usb' as const

  constructor(private readonly webusb: NodeWebUsb) {}

  private async devices(): Promise<NodeUsbDevice[]> {
    try {
      return await this.webusb.getDevices()
    } catch (error) {
      throw usbUnavailable(error instanceof Error ? error.message : String(error))
    }
  }

  async list(vendorId: number, productId: number): Promise<UsbDeviceInfo[]> {
    return (await this.devices()).filter((d) => d.vendorId === vendorId && d.productId === productId).map(infoOf)
  }

  async open(address: string): Promise<UsbHandle> {
    const device = (await this.devices()).find((d) => portPath(d) === address)
    if (!device) throw new FlashError('device-not-found', 'noUsbDevice', { address })
    try {
      if (!device.opened) await device.open()
    } catch (error) {
      throw new FlashError('device-busy', 'cannotOpen', { address, text: error instanceof Error ? error.message : String(error) })
    }
    await device.detachKernelDriver?.(0).catch(() => undefined)
    try {
      await device.claimInterface(0)
    } catch (error) {
      await device.close().catch(() => undefined)
      throw new FlashError('device-busy', 'cannotClaim', { address, text: error instanceof Error ? error.message : String(error) })
    }
    return new RealHandle(device)
  }

  watch(listener: (event: UsbBusEvent) => void): () => void {
    const onConnect = (e: { device: NodeUsbDevice }) => listener({ type: 'attach', address: portPath(e.device) })
    const onDisconnect = (e: { device: NodeUsbDevice }) => listener({ type: 'detach', address: portPath(e.device) })
    try {
      this.webusb.addEventListener('connect', onConnect)
      this.webusb.addEventListener('disconnect', onDisconnect)
    } catch {
      return () => undefined
    }
    return () => {
      this.webusb.removeEventListener('connect', onConnect)
      this.webusb.removeEventListener('disconnect', onDisconnect)
    }
  }
}

class UnavailableBus implements UsbBus {
  readonly kind = 'usb' as const
  constructor(private readonly detail: string) {}
  async list(): Promise<UsbDeviceInfo[]> {
    throw usbUnavailable(this.detail)
  }
  async open(): Promise<UsbHandle> {
    throw usbUnavailable(this.detail)
  }
  watch(): () => void {
    return () => undefined
  }
}

/** A bus over a WebUSB-style object (the `usb` package's, or a stand-in). */
export function usbBusFrom(webusb: NodeWebUsb): UsbBus {
  return new RealUsbBus(webusb)
}

/** The real USB bus; when the `usb` package cannot load, a bus whose every call rejects 'usb-unavailable'. */
export async function createUsbBus(): Promise<UsbBus> {
  try {
    const mod = (await import('usb')) as unknown as { WebUSB: new (o: object) => NodeWebUsb }
    return usbBusFrom(new mod.WebUSB({ allowAllDevices: true }))
  } catch (error) {
    return new UnavailableBus(`the usb package did not load: ${error instanceof Error ? error.message : String(error)}`)
  }
}
