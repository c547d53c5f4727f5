/** Parser of kernel log lines (`dmesg`, console kernel messages) with the EC200A enumeration facts. */

import { contentLines, toInt, toNumber, type Parsed } from './text'

/** One kernel log line split into its parts. */
export interface DmesgLine {
  /** Seconds since boot, when the line carries a `[ 3.164090]` stamp. */
  timestamp?: number
  /** Syslog level from a `<6>` prefix. */
  level?: number
  /** Driver or subsystem that printed the line (`usb`, `cdc_ether`, `option`). */
  source?: string
  /** Device the line is about (`1-1`, `1-1:1.2`). */
  device?: string
  /** Network interface named after the device (`usb0` in `cdc_ether 1-1:1.0 usb0: ...`). */
  netdev?: string
  message: string
  raw: string
}

/** A fact recognised in a kernel line; `at` is the line's timestamp. */
export type DmesgFact =
  | {
      kind: 'usb-new-device'
      at?: number
      device: string
      vendorId: string
      productId: string
      bcdDevice?: string
    }
  | { kind: 'usb-connect'; at?: number; device: string; speed: string; number: number }
  | {
      kind: 'usb-string'
      at?: number
      device: string
      name: 'Product' | 'Manufacturer' | 'SerialNumber'
      value: string
    }
  | { kind: 'usb-disconnect'; at?: number; device: string; number: number }
  | { kind: 'usb-interface-quirk'; at?: number; device: string; detail: string }
  | { kind: 'serial-detected'; at?: number; device: string; driver: string }
  | { kind: 'serial-attached'; at?: number; device: string; tty: string }
  | { kind: 'serial-detached'; at?: number; tty: string }
  | {
      kind: 'netdev-registered'
      at?: number
      driver: string
      device: string
      netdev: string
      description: string
      mac?: string
    }
  | { kind: 'netdev-unregistered'; at?: number; driver: string; netdev: string }
  | { kind: 'driver-registered'; at?: number; driver: string }
  | { kind: 'fault'; at?: number; fault: 'oops' | 'panic' | 'bug' | 'warning'; message: string }

/** A parsed kernel log: every stamped line and the facts found. */
export interface DmesgLog {
  lines: DmesgLine[]
  facts: DmesgFact[]
}

const STAMP = /^\s*(?:<(\d)>)?\[\s*(\d+\.\d+)\]\s?(.*)$/
const SOURCE = /^([A-Za-z0-9_.-]+) (\S+?)(?: ([A-Za-z][A-Za-z0-9_.-]*))?: (.*)$/

/** Splits one kernel line into timestamp, level, source, device and message; never throws. */
export function parseDmesgLine(raw: string): DmesgLine {
  const line = raw.replace(/\s+$/, '')
  const stamped = STAMP.exec(line)
  const body = stamped ? stamped[3] : line.trimStart()
  const result: DmesgLine = { message: body, raw: line }
  if (stamped) {
    result.timestamp = toNumber(stamped[2])
    if (stamped[1] !== undefined) result.level = toInt(stamped[1])
  }
  const sourced = body.length <= 1024 ? SOURCE.exec(body) : null
  if (sourced && /\d/.test(sourced[2])) {
    result.source = sourced[1]
    result.device = sourced[2]
    if (sourced[3]) result.netdev = sourced[3]
    result.message = sourced[4]
  }
  return result
}

/** Recognises the USB, serial, network and fault facts of one parsed kernel line. */
export function dmesgFact(line: DmesgLine): DmesgFact | undefined {
  const at = line.timestamp
  const device = line.device ?? ''
  const m = line.message
  let r: RegExpExecArray | null
  if (
    (r =
      /New USB device found, idVendor=([0-9a-fA-F]{4}), idProduct=([0-9a-fA-F]{4})(?:, bcdDevice=\s*([\d.]+))?/.exec(
        m,
      ))
  )
    return {
      kind: 'usb-new-device',
      at,
      device,
      vendorId: r[1].toLowerCase(),
      productId: r[2].toLowerCase(),
      bcdDevice: r[3],
    }
  if ((r = /^new ([\w-]+) USB device number (\d+)/.exec(m)))
    return { kind: 'usb-connect', at, device, speed: r[1], number: Number(r[2]) }
  if ((r = /^(Product|Manufacturer|SerialNumber): (.*)$/.exec(m)))
    return {
      kind: 'usb-string',
      at,
      device,
      name: r[1] as 'Product' | 'Manufacturer' | 'SerialNumber',
      value: r[2],
    }
  if ((r = /USB disconnect, (?:device|address) number (\d+)/.exec(m)))
    return { kind: 'usb-disconnect', at, device, number: Number(r[1]) }
  if (/^config \d+ has (?:an invalid interface number|no interface number)/.test(m))
    return { kind: 'usb-interface-quirk', at, device, detail: m }
  if (/converter detected$/.test(m))
    return { kind: 'serial-detected', at, device, driver: line.source ?? '' }
  if ((r = /converter now attached to (tty\w+)/.exec(m)))
    return { kind: 'serial-attached', at, device, tty: r[1] }
  if ((r = /converter now disconnected from (tty\w+)/.exec(m)))
    return { kind: 'serial-detached', at, tty: r[1] }
  if (
    (r =
      /^register '([\w-]+)' at ([^,]+), (.+?)(?:, ((?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}))?$/.exec(
        m,
      )) &&
    line.netdev
  )
    return {
      kind: 'netdev-registered',
      at,
      driver: r[1],
      device,
      netdev: line.netdev,
      description: r[3],
      mac: r[4]?.toLowerCase(),
    }
  if ((r = /^unregister '([\w-]+)'/.exec(m)) && line.netdev)
    return { kind: 'netdev-unregistered', at, driver: r[1], netdev: line.netdev }
  if ((r = /registered new interface driver ([\w-]+)/.exec(line.raw)))
    return { kind: 'driver-registered', at, driver: r[1] }
  const fault = faultOf(line.message)
  if (fault) return { kind: 'fault', at, fault, message: line.message }
  return undefined
}

function faultOf(message: string): 'oops' | 'panic' | 'bug' | 'warning' | undefined {
  if (/Kernel panic/.test(message)) return 'panic'
  if (/Internal error: Oops|^Oops\b|Unable to handle kernel/.test(message)) return 'oops'
  if (/^BUG: |kernel BUG at/.test(message)) return 'bug'
  if (/^WARNING: |^------------\[ cut here \]/.test(message)) return 'warning'
  return undefined
}

/** Parses a whole `dmesg` output: every line, plus the facts found; lines without a stamp are kept but noted. */
export function parseDmesg(text: unknown): Parsed<DmesgLog> {
  const lines: DmesgLine[] = []
  const facts: DmesgFact[] = []
  const unparsed: string[] = []
  for (const raw of contentLines(text)) {
    const line = parseDmesgLine(raw)
    if (line.timestamp === undefined) {
      unparsed.push(raw)
      continue
    }
    lines.push(line)
    const fact = dmesgFact(line)
    if (fact) facts.push(fact)
  }
  const warnings = unparsed.length ? [`${unparsed.length} line(s) without a kernel timestamp`] : []
  return { value: { lines, facts }, unparsed, warnings }
}

/** What the kernel log says about one USB module (default the EC200A, 2c7c:6005). */
export interface ModuleEnumeration {
  found: boolean
  /** USB device path (`1-1`) of the last enumeration. */
  device?: string
  bcdDevice?: string
  /** ttyUSB nodes attached to the module's interfaces, in order, minus those detached since. */
  ttys: string[]
  /** Network interfaces registered on the module (`usb0`) with their driver, minus those unregistered since. */
  netdevs: { netdev: string; driver: string; mac?: string }[]
  disconnected: boolean
  faults: DmesgFact[]
}

/** Folds the facts into the state of one module as the last enumeration left it. */
export function moduleEnumeration(
  facts: DmesgFact[],
  vendorId = '2c7c',
  productId = '6005',
): ModuleEnumeration {
  const state: ModuleEnumeration = {
    found: false,
    ttys: [],
    netdevs: [],
    disconnected: false,
    faults: [],
  }
  const onModule = (device: string) =>
    state.device !== undefined && (device === state.device || device.startsWith(`${state.device}:`))
  for (const fact of facts) {
    switch (fact.kind) {
      case 'usb-new-device':
        if (fact.vendorId === vendorId && fact.productId === productId) {
          Object.assign(state, {
            found: true,
            device: fact.device,
            bcdDevice: fact.bcdDevice,
            ttys: [],
            netdevs: [],
            disconnected: false,
          })
        }
        break
      case 'serial-attached':
        if (onModule(fact.device)) state.ttys.push(fact.tty)
        break
      case 'serial-detached':
        state.ttys = state.ttys.filter((tty) => tty !== fact.tty)
        break
      case 'netdev-registered':
        if (onModule(fact.device))
          state.netdevs.push({ netdev: fact.netdev, driver: fact.driver, mac: fact.mac })
        break
      case 'netdev-unregistered':
        state.netdevs = state.netdevs.filter((n) => n.netdev !== fact.netdev)
        break
      case 'usb-disconnect':
        if (onModule(fact.device)) state.disconnected = true
        break
      case 'fault':
        state.faults.push(fact)
        break
    }
  }
  return state
}
