/** The small USB transport the flash protocol runs on: the real `usb` package or the virtual K230. */
import type { LoaderSource } from './loaders'
import { FlashError } from './errors'
import type flashEn from '@shared/i18n/engine/flash-en'

/** A vendor control request addressed to the device. */
export interface VendorSetup {
  request: number
  value: number
  index: number
}

/** Bulk endpoints of the claimed interface, as read from the active configuration. */
export interface BulkEndpoints {
  /** Endpoint address with the direction bit (0x81). */
  in: number
  /** Endpoint address (0x01 in the BootROM, 0x02 in the loader). */
  out: number
  /** wMaxPacketSize of the OUT endpoint (512 high speed, 64 full speed). */
  maxPacketSize: number
}

/** A USB device seen on the bus, before it is opened. */
export interface UsbDeviceInfo {
  /** Port path `BUS-PORT[.PORT...]`, stable across re-enumeration on the same physical port. */
  address: string
  vendorId: number
  productId: number
  speed?: string
}

/** An opened device with interface 0 claimed; every call rejects with a FlashError on failure. */
export interface UsbHandle {
  readonly info: UsbDeviceInfo
  endpoints(): BulkEndpoints
  controlIn(setup: VendorSetup, length: number, timeoutMs: number): Promise<Uint8Array>
  controlOut(setup: VendorSetup, data: Uint8Array, timeoutMs: number): Promise<void>
  bulkOut(endpoint: number, data: Uint8Array, timeoutMs: number): Promise<void>
  bulkIn(endpoint: number, length: number, timeoutMs: number): Promise<Uint8Array>
  close(): Promise<void>
}

/** Bus change seen by a watcher. */
export interface UsbBusEvent {
  type: 'attach' | 'detach'
  address: string
}

/** A USB bus: lists devices, opens one by port path, reports hot-plug. */
export interface UsbBus {
  readonly kind: 'usb' | 'virtual'
  /** Devices with the given VID/PID; rejects with FlashError 'usb-unavailable' when USB cannot be read. */
  list(vendorId: number, productId: number): Promise<UsbDeviceInfo[]>
  /** Opens and claims interface 0; rejects 'device-not-found' / 'device-busy' / 'usb-unavailable'. */
  open(address: string): Promise<UsbHandle>
  /** Subscribes to attach/detach; returns the unsubscribe function. */
  watch(listener: (event: UsbBusEvent) => void): () => void
  /** The loaders this bus's boards take, when the bus brings its own (the virtual boards). */
  loaders?(): LoaderSource
}

/** The error of a transfer to a device that is no longer there. */
export function deviceLost(address: string, detail?: string): FlashError {
  return detail ? new FlashError('device-lost', 'deviceLostDetail', { address, text: detail }) : new FlashError('device-lost', 'deviceLost', { address })
}

/** A transfer or loader request as the flash catalogue names it (`flashError.what.*`). */
export type TransferName = keyof typeof flashEn.what

/** The error of a transfer that did not complete in time; `what` is translated, `extra` fills its parameters (`req` of a control request). */
export function transferTimeout(address: string, what: TransferName, timeoutMs: number, extra: Record<string, string | number> = {}): FlashError {
  return new FlashError('timeout', 'transferTimeout', { ...extra, address, what, ms: Math.round(timeoutMs) })
}
