import type { CommandImpl } from '../../types'
import type { HwContext } from '../../hardware/context'
import { isIpv4 } from '../../hardware/net'

/** `route [-n]`, `route add default gw GW [dev IFACE] [metric N]`, `route del default [gw GW] [dev IFACE]` with BusyBox output. */
export function routeCommand(hw: HwContext): CommandImpl {
  return async (ctx) => {
    const net = hw.net
    const args = ctx.argv.slice(1)
    const numeric = args.includes('-n')
    const words = args.filter((a) => a !== '-n' && a !== '-e')
    if (words.length === 0) {
      const header =
        'Kernel IP routing table\nDestination     Gateway         Genmask         Flags Metric Ref    Use Iface\n'
      const rows = net
        .routeTable()
        .sort((a, b) => (a.dest === '0.0.0.0' ? 0 : 1) - (b.dest === '0.0.0.0' ? 0 : 1))
        .map((r) => {
          const dest = r.dest === '0.0.0.0' && !numeric ? 'default' : r.dest
          const gw = r.gateway === '0.0.0.0' && !numeric ? '*' : r.gateway
          return `${dest.padEnd(15)} ${gw.padEnd(15)} ${r.mask.padEnd(16)}${r.flags.padEnd(6)}${String(r.metric).padEnd(6)} ${'0'.padEnd(2)} ${'0'.padStart(7)} ${r.iface}\n`
        })
      ctx.stdout(header + rows.join(''))
      return 0
    }
    const [verb, target, ...rest] = words
    const opt = (key: string): string | undefined => {
      const i = rest.indexOf(key)
      return i >= 0 ? rest[i + 1] : undefined
    }
    if ((verb !== 'add' && verb !== 'del') || target !== 'default') {
      ctx.stderr(
        'route: only "route add|del default gw GW [dev IFACE]" is supported on this board\n',
      )
      return 1
    }
    const dev = opt('dev')
    if (verb === 'del') {
      if (!net.deleteDefaultRoute(dev)) {
        ctx.stderr('route: SIOCDELRT: No such process\n')
        return 1
      }
      return 0
    }
    const gw = opt('gw')
    if (!gw || !isIpv4(gw)) {
      ctx.stderr(`route: resolving ${gw ?? ''}\n`)
      return 1
    }
    const iface = dev ?? net.routeTo(gw)?.name
    if (!iface || !net.get(iface)) {
      ctx.stderr('route: SIOCADDRT: No such device\n')
      return 1
    }
    net.addDefaultRoute(gw, iface, Number(opt('metric') ?? 0) || 0)
    return 0
  }
}
