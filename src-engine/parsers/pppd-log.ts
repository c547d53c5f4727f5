/** Parser of pppd's log (nodetach/debug output, chat messages): link progress, addresses, DNS and failures. */

import { contentLines, KERNEL_LINE, toInt, toNumber, type Parsed } from './text'

/** How a pppd run went, by its log. */
export type PppOutcome =
  | 'connected'
  | 'terminated'
  | 'connect-script-failed'
  | 'lcp-timeout'
  | 'hangup'
  | 'auth-failed'
  | 'unknown'

/** What pppd's log says about one connection attempt. */
export interface PppLog {
  serialConnected: boolean
  device?: string
  interface?: string
  localIp?: string
  remoteIp?: string
  primaryDns?: string
  secondaryDns?: string
  connectTimeMinutes?: number
  bytesSent?: number
  bytesReceived?: number
  terminatedBySignal?: number
  /** Chat script exchange seen in the log (`send (ATD*99#^M)`, `expect (CONNECT)`). */
  chat: { sent: string[]; expected: string[]; received: string[]; gotIt: number; alarm: boolean }
  lcpFrames: { sent: number; received: number }
  /** `connected` once IPCP gave an address, then `terminated` on a signal; the first failure seen wins over both. */
  outcome: PppOutcome
  errors: string[]
}

const FAILURES = new Set<PppOutcome>([
  'connect-script-failed',
  'lcp-timeout',
  'hangup',
  'auth-failed',
])
const IP = String.raw`(\d{1,3}(?:\.\d{1,3}){3})`

/** Parses pppd's output lines (with or without syslog prefixes); never throws. */
export function parsePppdLog(text: unknown): Parsed<PppLog> {
  const log: PppLog = {
    serialConnected: false,
    chat: { sent: [], expected: [], received: [], gotIt: 0, alarm: false },
    lcpFrames: { sent: 0, received: 0 },
    outcome: 'unknown',
    errors: [],
  }
  const unparsed: string[] = []
  const fail = (outcome: PppOutcome, message: string) => {
    if (!FAILURES.has(log.outcome)) log.outcome = outcome
    log.errors.push(message)
  }
  let expecting = false
  for (const raw of contentLines(text)) {
    const line = raw.replace(/^.*?\b(?:pppd|chat)\[\d+\]:\s*/, '').trim()
    let m: RegExpExecArray | null
    if (KERNEL_LINE.test(line)) unparsed.push(raw)
    else if (/^-- got it/.test(line)) {
      log.chat.gotIt++
      expecting = false
    } else if (/^alarm$/.test(line)) {
      log.chat.alarm = true
      expecting = false
    } else if (/^Failed(?: \(.*\))?$/.test(line)) {
      log.errors.push(`chat: ${line}`)
      expecting = false
    } else if ((m = /^send \((.*)\)$/.exec(line))) {
      log.chat.sent.push(m[1])
      expecting = false
    } else if ((m = /^expect \((.*)\)$/.exec(line))) {
      log.chat.expected.push(m[1])
      expecting = true
    } else if (expecting && !/^(?:Connection terminated|Serial connection established)/.test(line))
      log.chat.received.push(line)
    else if (/^Serial connection established/.test(line)) log.serialConnected = true
    else if ((m = /^Using interface (\S+)/.exec(line))) log.interface = m[1]
    else if ((m = /^Connect: (\S+) <--> (\S+)/.exec(line))) {
      log.interface = m[1]
      log.device = m[2]
    } else if ((m = new RegExp(`^local\\s+IP address ${IP}`).exec(line))) {
      log.localIp = m[1]
      log.outcome = 'connected'
    } else if ((m = new RegExp(`^remote\\s+IP address ${IP}`).exec(line))) log.remoteIp = m[1]
    else if ((m = new RegExp(`^primary\\s+DNS address ${IP}`).exec(line))) log.primaryDns = m[1]
    else if ((m = new RegExp(`^secondary\\s+DNS address ${IP}`).exec(line))) log.secondaryDns = m[1]
    else if ((m = /^Connect time ([\d.]+) minutes/.exec(line)))
      log.connectTimeMinutes = toNumber(m[1])
    else if ((m = /^Sent (\d+) bytes, received (\d+) bytes/.exec(line))) {
      log.bytesSent = toInt(m[1])
      log.bytesReceived = toInt(m[2])
    } else if ((m = /^Terminating on signal (\d+)/.exec(line))) {
      log.terminatedBySignal = toInt(m[1])
      log.outcome = 'terminated'
    } else if (/^Connect script failed/.test(line)) fail('connect-script-failed', line)
    else if (/^LCP: timeout sending Config-Requests/.test(line)) fail('lcp-timeout', line)
    else if (/^Modem hangup/.test(line)) fail('hangup', line)
    else if (/^(?:PAP|CHAP) authentication failed|^Authentication failed/.test(line))
      fail('auth-failed', line)
    else if (
      /^(?:(?:PAP|CHAP) authentication succeeded|Could not determine remote IP address|Connection terminated|Script .* finished|Script .* started|using channel \d+|Hangup \(SIGHUP\)|pppd options in effect:|abort on|timeout set to|Exit\.?$|Removed stale lock|Starting negotiation|Unsupported protocol)/.test(
        line,
      )
    )
      continue
    else if (/^sent \[LCP /.test(line)) log.lcpFrames.sent++
    else if (/^rcvd \[LCP /.test(line)) log.lcpFrames.received++
    else if (/^(?:sent|rcvd) \[/.test(line)) continue
    else if (/^(?:Can't|Couldn't|Device .* is locked|Failed to|Unable to) /i.test(line))
      log.errors.push(line)
    else unparsed.push(raw)
  }
  return { value: log, unparsed, warnings: [] }
}
