/** Parser of `lsusb` output (BusyBox and usbutils): bus, device number and USB id of each device. */

import { contentLines, type Parsed } from './text'

/** One device line of `lsusb`. */
export interface LsusbDevice {
  bus: number
  device: number
  vendorId: string
  productId: string
  /** Description after the id (usbutils prints one; BusyBox does not). */
  name?: string
}

const LINE = /^Bus (\d{1,3}) Device (\d{1,3}): ID ([0-9a-fA-F]{4}):([0-9a-fA-F]{4})(?:\s+(.*))?$/

/** Parses `lsusb` output into devices; other lines go to `unparsed`. */
export function parseLsusb(text: unknown): Parsed<LsusbDevice[]> {
  const devices: LsusbDevice[] = []
  const unparsed: string[] = []
  for (const raw of contentLines(text)) {
    const m = LINE.exec(raw.trim())
    if (!m) {
      unparsed.push(raw)
      continue
    }
    const device: LsusbDevice = {
      bus: Number(m[1]),
      device: Number(m[2]),
      vendorId: m[3].toLowerCase(),
      productId: m[4].toLowerCase(),
    }
    if (m[5]?.trim()) device.name = m[5].trim()
    devices.push(device)
  }
  return {
    value: devices,
    unparsed,
    warnings: unparsed.length ? [`${unparsed.length} line(s) are not lsusb device lines`] : [],
  }
}

/** Finds the devices with a given USB id (default the EC200A, 2c7c:6005). */
export function findUsbId(
  devices: LsusbDevice[],
  vendorId = '2c7c',
  productId = '6005',
): LsusbDevice[] {
  return devices.filter(
    (d) => d.vendorId === vendorId.toLowerCase() && d.productId === productId.toLowerCase(),
  )
}
