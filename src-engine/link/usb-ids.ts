/** Known USB-serial bridges and the EC200A's own USB ports, by vendor:product id. */

/** What a known USB id is. */
export interface UsbIdentity {
  /** Friendly name shown to technicians, e.g. `WCH CH340`. */
  name: string
  kind: 'bridge' | 'modem'
}

const KNOWN: Record<string, UsbIdentity> = {
  '1a86:7523': { name: 'WCH CH340', kind: 'bridge' },
  '1a86:5523': { name: 'WCH CH341', kind: 'bridge' },
  '1a86:7522': { name: 'WCH CH340K', kind: 'bridge' },
  '1a86:55d2': { name: 'WCH CH342', kind: 'bridge' },
  '1a86:55d3': { name: 'WCH CH343', kind: 'bridge' },
  '1a86:55d4': { name: 'WCH CH9102', kind: 'bridge' },
  '1a86:55d5': { name: 'WCH CH344', kind: 'bridge' },
  '10c4:ea60': { name: 'Silicon Labs CP210x', kind: 'bridge' },
  '10c4:ea70': { name: 'Silicon Labs CP2105', kind: 'bridge' },
  '10c4:ea71': { name: 'Silicon Labs CP2108', kind: 'bridge' },
  '0403:6001': { name: 'FTDI FT232R', kind: 'bridge' },
  '0403:6010': { name: 'FTDI FT2232', kind: 'bridge' },
  '0403:6011': { name: 'FTDI FT4232', kind: 'bridge' },
  '0403:6014': { name: 'FTDI FT232H', kind: 'bridge' },
  '0403:6015': { name: 'FTDI FT231X', kind: 'bridge' },
  '067b:2303': { name: 'Prolific PL2303', kind: 'bridge' },
  '067b:23a3': { name: 'Prolific PL2303GC', kind: 'bridge' },
  '2c7c:6005': { name: 'Quectel EC200A', kind: 'modem' },
}

/** Roles of the EC200A's serial interfaces by USB interface number (as the option driver numbers ttyUSB0..3 on the K230). */
export const EC200A_INTERFACES: Record<number, string> = {
  2: 'DM (diagnostics)',
  3: 'modem (secondary AT)',
  4: 'AT commands (ttyUSB2 on the board, used for PPP)',
  6: 'auxiliary',
}

/** Formats a vendor/product pair as lowercase `vvvv:pppp`; returns undefined when either is missing or not hex. */
export function usbId(vendorId?: string, productId?: string): string | undefined {
  const v = (vendorId ?? '').trim().toLowerCase().replace(/^0x/, '')
  const p = (productId ?? '').trim().toLowerCase().replace(/^0x/, '')
  if (!/^[0-9a-f]{1,4}$/.test(v) || !/^[0-9a-f]{1,4}$/.test(p)) return undefined
  return `${v.padStart(4, '0')}:${p.padStart(4, '0')}`
}

/** Looks up a USB id (`vvvv:pppp`, any case). */
export function identifyUsb(id: string | undefined): UsbIdentity | undefined {
  return id ? KNOWN[id.toLowerCase()] : undefined
}

/** Extracts the USB interface number from a port's pnpId (`...-if04-port0` on Linux, `MI_04` on Windows). */
export function interfaceNumber(pnpId: string | undefined): number | undefined {
  const m = /-if(\d{2})(?:-|$)|MI_(\d{2})/i.exec(pnpId ?? '')
  if (!m) return undefined
  return parseInt(m[1] ?? m[2], 16)
}
