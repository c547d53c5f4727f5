/** Parser of `ifconfig` output in the BusyBox / net-tools format: one block per interface. */

import { contentLines, toInt, type Parsed } from './text'

/** RX or TX counters of an interface. */
export interface IfCounters {
  packets?: number
  errors?: number
  dropped?: number
  overruns?: number
  frame?: number
  carrier?: number
  bytes?: number
}

/** One interface block of ifconfig. */
export interface IfconfigInterface {
  name: string
  encapsulation?: string
  hwaddr?: string
  inet?: string
  broadcast?: string
  mask?: string
  /** Remote end of a point-to-point link (`P-t-P:`). */
  peer?: string
  inet6: string[]
  flags: string[]
  up: boolean
  running: boolean
  mtu?: number
  metric?: number
  rx: IfCounters
  tx: IfCounters
  collisions?: number
  txqueuelen?: number
}

const IP = String.raw`(\d{1,3}(?:\.\d{1,3}){3})`

function counters(text: string, into: IfCounters): void {
  for (const m of text.matchAll(/(packets|errors|dropped|overruns|frame|carrier|bytes):(\d+)/g)) {
    into[m[1] as keyof IfCounters] = toInt(m[2])
  }
}

/** Parses `ifconfig` output into interfaces; lines outside any block go to `unparsed`. */
export function parseIfconfig(text: unknown): Parsed<IfconfigInterface[]> {
  const interfaces: IfconfigInterface[] = []
  const unparsed: string[] = []
  let current: IfconfigInterface | undefined
  for (const raw of contentLines(text)) {
    const head =
      /^([A-Za-z0-9_.:@-]+)\s+Link encap:(.+?)(?:\s+HWaddr\s+([0-9A-Fa-f:-]+))?\s*$/.exec(raw)
    if (head) {
      current = {
        name: head[1],
        encapsulation: head[2].trim(),
        inet6: [],
        flags: [],
        up: false,
        running: false,
        rx: {},
        tx: {},
      }
      if (head[3]) current.hwaddr = head[3].toLowerCase()
      interfaces.push(current)
      continue
    }
    const line = raw.trim()
    if (!current || !/^\s/.test(raw)) {
      unparsed.push(raw)
      continue
    }
    let m: RegExpExecArray | null
    if ((m = new RegExp(`^inet addr:${IP}`).exec(line))) {
      current.inet = m[1]
      current.broadcast = new RegExp(`Bcast:${IP}`).exec(line)?.[1]
      current.mask = new RegExp(`Mask:${IP}`).exec(line)?.[1]
      current.peer = new RegExp(`P-t-P:${IP}`).exec(line)?.[1]
    } else if ((m = /^inet6 addr:\s*(\S+)/.exec(line))) current.inet6.push(m[1])
    else if ((m = /^((?:[A-Z]+ )*[A-Z]+)\s+MTU:(\d+)(?:\s+Metric:(\d+))?/.exec(line))) {
      current.flags = m[1].split(' ')
      current.up = current.flags.includes('UP')
      current.running = current.flags.includes('RUNNING')
      current.mtu = toInt(m[2])
      current.metric = toInt(m[3])
    } else if (/^RX bytes:/.test(line)) {
      current.rx.bytes = toInt(/RX bytes:(\d+)/.exec(line)?.[1])
      current.tx.bytes = toInt(/TX bytes:(\d+)/.exec(line)?.[1])
    } else if (/^RX /.test(line)) counters(line, current.rx)
    else if (/^TX /.test(line)) counters(line, current.tx)
    else if ((m = /^collisions:(\d+)(?:\s+txqueuelen:(\d+))?/.exec(line))) {
      current.collisions = toInt(m[1])
      current.txqueuelen = toInt(m[2])
    } else if (!/^(?:Interrupt|Base address|Memory):/.test(line)) unparsed.push(raw)
  }
  return { value: interfaces, unparsed, warnings: [] }
}

/** Finds one interface by name. */
export function findInterface(
  interfaces: IfconfigInterface[],
  name: string,
): IfconfigInterface | undefined {
  return interfaces.find((i) => i.name === name)
}
