/** Parser of `ping` output (BusyBox and iputils): target, replies, statistics and errors. */

import { contentLines, toInt, toNumber, type Parsed } from './text'

/** One echo reply line. */
export interface PingReply {
  from: string
  seq: number
  ttl?: number
  timeMs?: number
}

/** The summary lines of ping. */
export interface PingStatistics {
  transmitted: number
  received: number
  lossPercent: number
  errors?: number
  minMs?: number
  avgMs?: number
  maxMs?: number
}

/** One ping run: target, replies, statistics, errors. */
export interface PingRun {
  target?: string
  address?: string
  payloadBytes?: number
  replies: PingReply[]
  statistics?: PingStatistics
  /** `ping: bad address 'x'`, `sendto: Network is unreachable`... */
  errors: string[]
  /** Replies seen or a received count above zero. */
  reachable: boolean
}

const IP = String.raw`(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]+:[0-9a-fA-F:]*)`

/** Parses the output of one `ping` run; never throws. */
export function parsePing(text: unknown): Parsed<PingRun> {
  const run: PingRun = { replies: [], errors: [], reachable: false }
  const unparsed: string[] = []
  for (const raw of contentLines(text)) {
    const line = raw.trim()
    let m: RegExpExecArray | null
    if (
      (m = new RegExp(`^PING (\\S+) \\(${IP}\\)(?::? (\\d+)(?:\\(\\d+\\))? (?:data )?bytes)?`).exec(
        line,
      ))
    ) {
      run.target = m[1]
      run.address = m[2]
      run.payloadBytes = toInt(m[3])
    } else if (
      (m = new RegExp(
        `^\\d+ bytes from (?:\\S+ \\()?${IP}\\)?: (?:icmp_)?seq=(\\d+) ttl=(\\d+)(?: time=([\\d.]+) ?ms)?`,
      ).exec(line))
    ) {
      run.replies.push({ from: m[1], seq: Number(m[2]), ttl: toInt(m[3]), timeMs: toNumber(m[4]) })
    } else if (
      (m =
        /^(\d+) packets transmitted, (\d+)(?: packets)? received,(?: \+(\d+) errors,)?(?: \+\d+ duplicates,)? ([\d.]+)% packet loss/.exec(
          line,
        ))
    ) {
      run.statistics = {
        ...run.statistics,
        transmitted: Number(m[1]),
        received: Number(m[2]),
        errors: toInt(m[3]),
        lossPercent: Number(m[4]),
      }
    } else if (
      (m = /^(?:round-trip|rtt) min\/avg\/max(?:\/mdev)? = ([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(line))
    ) {
      if (run.statistics)
        Object.assign(run.statistics, {
          minMs: toNumber(m[1]),
          avgMs: toNumber(m[2]),
          maxMs: toNumber(m[3]),
        })
      else unparsed.push(raw)
    } else if (/^--- .* ping statistics ---$/.test(line) || line === '^C') continue
    else if ((m = /^ping: (.*)$/.exec(line))) run.errors.push(m[1])
    else unparsed.push(raw)
  }
  run.reachable = run.replies.length > 0 || (run.statistics?.received ?? 0) > 0
  const warnings: string[] = []
  if (run.statistics && run.replies.length > run.statistics.received)
    warnings.push('more replies than the statistics count')
  if (!run.statistics && !run.errors.length)
    warnings.push('no statistics (interrupted before the summary?)')
  return { value: run, unparsed, warnings }
}
