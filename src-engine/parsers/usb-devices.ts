/** Parser of `/sys/kernel/debug/usb/devices`: T/D/P/S/C/A/I/E records into devices, configs, interfaces, endpoints. */

import { contentLines, toInt, toNumber, type Parsed } from './text'

/** An E: record. */
export interface UsbEndpoint {
  /** Address as two hex digits (`87`). */
  address: string
  direction: 'in' | 'out'
  /** Transfer type from the Atr field. */
  type: 'control' | 'isochronous' | 'bulk' | 'interrupt' | 'unknown'
  maxPacketSize?: number
  /** Polling interval as printed (`4096ms`, `125us`). */
  interval?: string
}

/** An I: record (one alternate setting of an interface) with its endpoints. */
export interface UsbInterface {
  number: number
  alternate: number
  /** `I:*`: this alternate setting is the active one. */
  active: boolean
  endpointCount?: number
  /** Class code as two hex digits, with the kernel's short name (`ff`, `vend.`). */
  classCode?: string
  className?: string
  subClass?: string
  protocol?: string
  /** Bound driver; undefined when `Driver=(none)`. */
  driver?: string
  endpoints: UsbEndpoint[]
}

/** An A: record (interface association). */
export interface UsbAssociation {
  firstInterface: number
  interfaceCount: number
  classCode?: string
  className?: string
  subClass?: string
  protocol?: string
}

/** A C: record with its associations and interfaces. */
export interface UsbConfiguration {
  number?: number
  active: boolean
  interfaceCount?: number
  attributes?: string
  maxPowerMa?: number
  associations: UsbAssociation[]
  interfaces: UsbInterface[]
}

/** A T: record with its D/P/S lines and configurations. */
export interface UsbDevice {
  bus?: number
  level?: number
  parent?: number
  port?: number
  deviceNumber?: number
  speedMbps?: number
  maxChildren?: number
  usbVersion?: string
  classCode?: string
  className?: string
  vendorId?: string
  productId?: string
  revision?: string
  manufacturer?: string
  product?: string
  serialNumber?: string
  /** Other S: strings by key. */
  strings: Record<string, string>
  configurations: UsbConfiguration[]
}

const FIELD = /([#\w]+)=\s*([^\s(]*(?:\([^)]*\))?)/g

function fields(text: string): Map<string, string> {
  const map = new Map<string, string>()
  for (const m of text.matchAll(FIELD)) map.set(m[1], m[2])
  return map
}

function classParts(value: string | undefined): { classCode?: string; className?: string } {
  if (!value) return {}
  const m = /^([0-9a-fA-F]{2})(?:\(([^)]*)\))?$/.exec(value)
  return m ? { classCode: m[1].toLowerCase(), className: m[2]?.trim() } : {}
}

const TRANSFER: Record<string, UsbEndpoint['type']> = {
  Ctrl: 'control',
  Isoc: 'isochronous',
  Bulk: 'bulk',
  Int: 'interrupt',
}

function endpoint(f: Map<string, string>): UsbEndpoint | undefined {
  const ad = /^([0-9a-fA-F]{2})\((I|O)\)$/.exec(f.get('Ad') ?? '')
  if (!ad) return undefined
  const atr = /\((\w+)\.?\)$/.exec(f.get('Atr') ?? '')
  return {
    address: ad[1].toLowerCase(),
    direction: ad[2] === 'I' ? 'in' : 'out',
    type: (atr && TRANSFER[atr[1]]) || 'unknown',
    maxPacketSize: toInt(f.get('MxPS')),
    interval: f.get('Ivl') || undefined,
  }
}

/** Parses the debugfs devices file; lines outside any record or out of order go to `unparsed` with a warning. */
export function parseUsbDevices(text: unknown): Parsed<UsbDevice[]> {
  const devices: UsbDevice[] = []
  const unparsed: string[] = []
  const warnings: string[] = []
  let device: UsbDevice | undefined
  let config: UsbConfiguration | undefined
  let iface: UsbInterface | undefined
  const orphan = (line: string, what: string) => {
    unparsed.push(line)
    warnings.push(`${what} line outside its parent record: "${line.trim()}"`)
  }
  for (const line of contentLines(text)) {
    const m = /^\s*([TDPSCAIE]):([* ])?\s*(.*)$/.exec(line)
    if (!m) {
      unparsed.push(line)
      continue
    }
    const [, tag, star, rest] = m
    const f = fields(rest)
    switch (tag) {
      case 'T':
        device = {
          bus: toInt(f.get('Bus')),
          level: toInt(f.get('Lev')),
          parent: toInt(f.get('Prnt')),
          port: toInt(f.get('Port')),
          deviceNumber: toInt(f.get('Dev#')),
          speedMbps: toNumber(f.get('Spd')),
          maxChildren: toInt(f.get('MxCh')),
          strings: {},
          configurations: [],
        }
        devices.push(device)
        config = undefined
        iface = undefined
        break
      case 'D':
        if (!device) orphan(line, 'D')
        else Object.assign(device, { usbVersion: f.get('Ver') }, classParts(f.get('Cls')))
        break
      case 'P':
        if (!device) orphan(line, 'P')
        else {
          device.vendorId = f.get('Vendor')?.toLowerCase()
          device.productId = f.get('ProdID')?.toLowerCase()
          device.revision = f.get('Rev')
        }
        break
      case 'S': {
        const s = /^(\w+)=(.*)$/.exec(rest)
        if (!device || !s) orphan(line, 'S')
        else if (s[1] === 'Manufacturer') device.manufacturer = s[2].trim()
        else if (s[1] === 'Product') device.product = s[2].trim()
        else if (s[1] === 'SerialNumber') device.serialNumber = s[2].trim()
        else device.strings[s[1]] = s[2].trim()
        break
      }
      case 'C':
        if (!device) orphan(line, 'C')
        else {
          config = {
            number: toInt(f.get('Cfg#')),
            active: star === '*',
            interfaceCount: toInt(f.get('#Ifs')),
            attributes: f.get('Atr'),
            maxPowerMa: toInt(f.get('MxPwr')?.replace(/mA$/, '')),
            associations: [],
            interfaces: [],
          }
          device.configurations.push(config)
          iface = undefined
        }
        break
      case 'A':
        if (!config) orphan(line, 'A')
        else
          config.associations.push({
            firstInterface: toInt(f.get('FirstIf#')) ?? -1,
            interfaceCount: toInt(f.get('IfCount')) ?? 0,
            ...classParts(f.get('Cls')),
            subClass: f.get('Sub'),
            protocol: f.get('Prot'),
          })
        break
      case 'I': {
        const number = toInt(f.get('If#'))
        if (!config || number === undefined) {
          orphan(line, 'I')
          break
        }
        const driver = f.get('Driver')
        iface = {
          number,
          alternate: toInt(f.get('Alt')) ?? 0,
          active: star === '*',
          endpointCount: toInt(f.get('#EPs')),
          ...classParts(f.get('Cls')),
          subClass: f.get('Sub'),
          protocol: f.get('Prot'),
          driver: driver && driver !== '(none)' ? driver : undefined,
          endpoints: [],
        }
        config.interfaces.push(iface)
        break
      }
      case 'E': {
        const ep = endpoint(f)
        if (!iface || !ep) orphan(line, 'E')
        else if (iface.endpoints.some((e) => e.address === ep.address)) {
          unparsed.push(line)
          warnings.push(`duplicate endpoint ${ep.address} on interface ${iface.number}`)
        } else iface.endpoints.push(ep)
        break
      }
    }
  }
  for (const d of devices)
    for (const c of d.configurations) {
      const numbers = interfaceNumbers(c)
      if (c.interfaceCount !== undefined && numbers.length !== c.interfaceCount)
        warnings.push(
          `device ${d.vendorId ?? '?'}:${d.productId ?? '?'} config ${c.number ?? '?'} announces ${c.interfaceCount} interfaces, lists ${numbers.length}`,
        )
      for (const i of c.interfaces)
        if (i.endpointCount !== undefined && i.endpoints.length !== i.endpointCount)
          warnings.push(
            `interface ${i.number} alt ${i.alternate} announces ${i.endpointCount} endpoints, lists ${i.endpoints.length}`,
          )
    }
  return { value: devices, unparsed, warnings }
}

/** Distinct interface numbers of a configuration, ascending (the EC200A has 0-4 and 6, no 5). */
export function interfaceNumbers(config: UsbConfiguration): number[] {
  return [...new Set(config.interfaces.map((i) => i.number))].sort((a, b) => a - b)
}

/** Driver bound to each interface number in the active configuration (the active alternate wins). */
export function boundDrivers(device: UsbDevice): Map<number, string | undefined> {
  const config = device.configurations.find((c) => c.active) ?? device.configurations[0]
  const map = new Map<number, string | undefined>()
  if (!config) return map
  for (const i of config.interfaces) if (!map.has(i.number) || i.active) map.set(i.number, i.driver)
  return map
}

/** Finds a device by USB id (default the EC200A, 2c7c:6005). */
export function findUsbDevice(
  devices: UsbDevice[],
  vendorId = '2c7c',
  productId = '6005',
): UsbDevice | undefined {
  return devices.find(
    (d) => d.vendorId === vendorId.toLowerCase() && d.productId === productId.toLowerCase(),
  )
}
