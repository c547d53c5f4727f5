import type { CommandImpl } from '../../types'
import type { HwContext } from '../../hardware/context'

/** `nslookup HOST`: BusyBox 1.33 output through the nameservers of /etc/resolv.conf. */
export function nslookupCommand(hw: HwContext): CommandImpl {
  return async (ctx) => {
    const host = ctx.argv.slice(1).find((a) => !a.startsWith('-'))
    if (!host) {
      ctx.stderr(
        'BusyBox v1.33.0 multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n',
      )
      return 1
    }
    let result
    try {
      result = await hw.net.lookup(host, ctx.signal)
    } catch {
      return 130
    }
    if (!result.ok && (result.reason === 'timeout' || result.reason === 'no-server')) {
      ctx.stdout(';; connection timed out; no servers could be reached\n\n')
      return 1
    }
    const server = result.server || '127.0.0.1'
    ctx.stdout(`Server:\t\t${server}\nAddress:\t${server}:53\n\n`)
    if (!result.ok) {
      ctx.stdout(`** server can't find ${host}: NXDOMAIN\n\n`)
      return 1
    }
    ctx.stdout(`Non-authoritative answer:\nName:\t${host}\nAddress: ${result.address}\n\n`)
    return 0
  }
}
