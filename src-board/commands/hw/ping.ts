import type { CommandImpl } from '../../types'
import type { HwContext } from '../../hardware/context'
import { getopt, parseCount } from './getopt'

/** BusyBox's `%u.%03u` rendering of milliseconds. */
function ms(value: number): string {
  return value.toFixed(3)
}

/** `ping [-q] [-c CNT] [-s SIZE] [-I IFACE] [-W SEC] [-w SEC] HOST`: BusyBox ping over the network model, 1 s per packet of board time; Ctrl-C prints the statistics. */
export function pingCommand(hw: HwContext): CommandImpl {
  return async (ctx) => {
    const opts = getopt(ctx.argv.slice(1), 'q46Ac:s:I:W:w:t:i:p:')
    const count = opts.values.has('c') ? parseCount(opts.values.get('c')) : Infinity
    const size = parseCount(opts.values.get('s') ?? '56')
    const linger = parseCount(opts.values.get('W') ?? '10')
    const deadline = opts.values.has('w') ? parseCount(opts.values.get('w')) : Infinity
    if (
      opts.error ||
      opts.operands.length !== 1 ||
      count === null ||
      size === null ||
      linger === null ||
      deadline === null
    ) {
      if (opts.error) ctx.stderr(`ping: ${opts.error}\n`)
      ctx.stderr('BusyBox v1.33.0 multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n')
      return 1
    }
    const host = opts.operands[0]
    const bind = opts.values.get('I')
    const quiet = opts.flags.has('q')
    const net = hw.net
    const clock = hw.board.clock
    if (bind && !net.get(bind)) {
      ctx.stderr('ping: SO_BINDTODEVICE: No such device\n')
      return 1
    }
    const stats = { sent: 0, received: 0, rtts: [] as number[] }
    const summary = (interrupted: boolean): number => {
      const loss =
        stats.sent === 0 ? 0 : Math.floor(((stats.sent - stats.received) * 100) / stats.sent)
      let text = `${interrupted ? '' : '\n'}--- ${host} ping statistics ---\n${stats.sent} packets transmitted, ${stats.received} packets received, ${loss}% packet loss\n`
      if (stats.received > 0) {
        const min = Math.min(...stats.rtts)
        const max = Math.max(...stats.rtts)
        const avg = stats.rtts.reduce((a, b) => a + b, 0) / stats.rtts.length
        text += `round-trip min/avg/max = ${ms(min)}/${ms(avg)}/${ms(max)} ms\n`
      }
      ctx.stdout(text)
      return stats.received > 0 ? 0 : 1
    }
    let address: string
    try {
      const found = await net.lookup(host, ctx.signal)
      if (!found.ok) {
        ctx.stderr(`ping: bad address '${host}'\n`)
        return 1
      }
      address = found.address
    } catch {
      return 130
    }
    ctx.stdout(`PING ${host} (${address}): ${size} data bytes\n`)
    const started = clock.now()
    const deadlineAt = deadline === Infinity ? Infinity : started + deadline * 1000
    try {
      for (let seq = 0; seq < count && clock.now() < deadlineAt; seq++) {
        const iface = net.routeTo(address, bind)
        if (!iface) {
          ctx.stderr('ping: sendto: Network is unreachable\n')
          return 1
        }
        const sentAt = clock.now()
        stats.sent++
        const rtt = net.echo(address, iface, size + 8)
        const last = seq + 1 >= count
        if (rtt !== null) {
          await clock.sleep(rtt, ctx.signal)
          stats.received++
          stats.rtts.push(rtt)
          if (!quiet)
            ctx.stdout(
              `${size + 8} bytes from ${address}: seq=${seq} ttl=${iface.name === 'lo' ? 64 : net.ttl} time=${ms(rtt)} ms\n`,
            )
          if (last) break
        } else if (last) {
          const wait = Math.min(linger * 1000, deadlineAt - clock.now())
          if (wait > 0) await clock.sleep(wait, ctx.signal)
          break
        }
        const next = sentAt + 1000 - clock.now()
        const untilDeadline = deadlineAt - clock.now()
        if (Math.min(next, untilDeadline) > 0)
          await clock.sleep(Math.min(next, untilDeadline), ctx.signal)
      }
    } catch (error) {
      if (!ctx.signal.aborted) throw error
    }
    return summary(ctx.signal.aborted)
  }
}
