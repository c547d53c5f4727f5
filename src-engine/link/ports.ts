/** Serial port listing with USB identity and friendly names. */
import { SerialPort } from 'serialport'
import { EC200A_INTERFACES, identifyUsb, interfaceNumber, usbId } from './usb-ids'

/** A serial port as shown to the technician. */
export interface PortInfo {
  path: string
  /** `vvvv:pppp` when the port is a USB device. */
  usbId?: string
  vendorId?: string
  productId?: string
  manufacturer?: string
  serialNumber?: string
  /** USB location (bus-port path) where the OS reports it. */
  location?: string
  /** USB interface number (multi-port devices such as the EC200A). */
  interface?: number
  /** e.g. `WCH CH340`, `Quectel EC200A — AT commands ...`, or the OS's own description. */
  friendlyName: string
  kind: 'bridge' | 'modem' | 'other'
}

/** Raw fields as `SerialPort.list()` returns them. */
export interface RawPortInfo {
  path: string
  manufacturer?: string
  serialNumber?: string
  pnpId?: string
  locationId?: string
  vendorId?: string
  productId?: string
  friendlyName?: string
}

/** Turns one raw listing entry into a PortInfo; trusts no field to be present or well-formed. */
export function describePort(raw: RawPortInfo): PortInfo {
  const id = usbId(raw.vendorId, raw.productId)
  const known = identifyUsb(id)
  const iface = interfaceNumber(raw.pnpId)
  let friendlyName = raw.friendlyName?.trim() || raw.manufacturer?.trim() || raw.path
  if (known) {
    friendlyName = known.name
    if (known.kind === 'modem' && iface !== undefined) friendlyName += ` — ${EC200A_INTERFACES[iface] ?? `interface ${iface}`}`
  }
  return {
    path: raw.path,
    usbId: id,
    vendorId: id?.slice(0, 4),
    productId: id?.slice(5),
    manufacturer: raw.manufacturer || undefined,
    serialNumber: raw.serialNumber || undefined,
    location: raw.locationId || undefined,
    interface: iface,
    friendlyName,
    kind: known?.kind ?? 'other',
  }
}

/** Lists serial ports, known bridges first; returns [] (never throws) when the OS listing fails. */
export async function listPorts(): Promise<PortInfo[]> {
  let raw: RawPortInfo[]
  try {
    raw = (await SerialPort.list()) as RawPortInfo[]
  } catch {
    return []
  }
  const rank = { bridge: 0, modem: 1, other: 2 }
  return raw.map(describePort).sort((a, b) => rank[a.kind] - rank[b.kind] || a.path.localeCompare(b.path, 'en', { numeric: true }))
}
