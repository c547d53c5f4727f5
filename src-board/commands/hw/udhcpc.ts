import type { CommandContext, CommandImpl } from '../../types'
import type { HwContext } from '../../hardware/context'
import type { Lease } from '../../hardware/net'
import { getopt, parseCount } from './getopt'
import { signalStatus } from './signals'

const RESOLV_CONF = '/etc/resolv.conf'
const SCRIPT = '/usr/share/udhcpc/default.script'

/** `udhcpc [-fbnq] [-i IFACE] [-t N] [-T SEC] [-A SEC]`: BusyBox v1.33.0 DHCP client with Buildroot's default script. */
export function udhcpcCommand(hw: HwContext): CommandImpl {
  return async (ctx) => {
    const opts = getopt(ctx.argv.slice(1), 'fbnqRSvxi:t:T:A:s:O:r:V:H:h:F:')
    if (opts.error) {
      ctx.stderr(`udhcpc: ${opts.error}\n`)
      return 1
    }
    const iface = opts.values.get('i') ?? 'eth0'
    const tries = parseCount(opts.values.get('t') ?? '3')
    const pause = parseCount(opts.values.get('T') ?? '3')
    const again = parseCount(opts.values.get('A') ?? '20')
    if (tries === null || pause === null || again === null) {
      ctx.stderr(
        `udhcpc: invalid number '${[opts.values.get('t'), opts.values.get('T'), opts.values.get('A')].find((v) => v !== undefined && parseCount(v) === null)}'\n`,
      )
      return 1
    }
    if (!hw.net.get(iface)) {
      ctx.stderr('udhcpc: SIOCGIFINDEX: No such device\n')
      return 1
    }
    const clock = hw.board.clock
    ctx.stdout('udhcpc: started, v1.33.0\n')
    runScript(hw, ctx, 'deconfig', iface, null)
    try {
      for (;;) {
        for (let attempt = 0; attempt < Math.max(1, tries); attempt++) {
          ctx.stdout('udhcpc: sending discover\n')
          const offer = hw.net.dhcpOffer(iface)
          if (!offer) {
            await clock.sleep(pause * 1000, ctx.signal)
            continue
          }
          await clock.sleep(60, ctx.signal)
          ctx.stdout(`udhcpc: sending select for ${offer.ip}\n`)
          hw.net.dhcpAck(iface)
          await clock.sleep(60, ctx.signal)
          ctx.stdout(`udhcpc: lease of ${offer.ip} obtained, lease time ${offer.leaseTime}\n`)
          runScript(hw, ctx, 'bound', iface, offer)
          if (opts.flags.has('q')) return 0
          if (opts.flags.has('f')) {
            await new Promise<never>((_, reject) =>
              ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }),
            )
          }
          background(hw)
          return 0
        }
        if (opts.flags.has('n')) {
          ctx.stdout('udhcpc: no lease, failing\n')
          return 1
        }
        if (opts.flags.has('b')) {
          ctx.stdout('udhcpc: no lease, forking to background\n')
          background(hw)
          return 0
        }
        await clock.sleep(again * 1000, ctx.signal)
      }
    } catch (error) {
      if (ctx.signal.aborted) return signalStatus(ctx.signal)
      throw error
    }
  }
}

function background(hw: HwContext): void {
  hw.board.processes.spawn(
    'udhcpc',
    (signal) =>
      new Promise<number>((resolve) =>
        signal.addEventListener('abort', () => resolve(0), { once: true }),
      ),
  )
}

/** Buildroot's /usr/share/udhcpc/default.script for `deconfig` and `bound`. */
function runScript(
  hw: HwContext,
  ctx: CommandContext,
  action: 'deconfig' | 'bound',
  iface: string,
  lease: Lease | null,
): void {
  const net = hw.net
  if (action === 'deconfig') {
    net.setAddress(iface, '0.0.0.0', null)
    rewriteResolv(hw, ctx, iface, [])
    return
  }
  if (!lease) return
  net.setAddress(iface, lease.ip, lease.subnet)
  if (lease.router) {
    ctx.stdout('deleting routers\n')
    while (net.deleteDefaultRoute(iface));
    net.addDefaultRoute(lease.router, iface, 0)
  }
  for (const dns of lease.dns) ctx.stdout(`adding dns ${dns}\n`)
  rewriteResolv(hw, ctx, iface, lease.dns)
}

function rewriteResolv(hw: HwContext, ctx: CommandContext, iface: string, dns: string[]): void {
  const fs = hw.board.fs
  let kept: string[]
  try {
    kept = fs
      .readText(RESOLV_CONF)
      .split('\n')
      .filter((l) => l !== '' && !l.endsWith(`# ${iface}`))
  } catch {
    kept = []
  }
  const text = [...kept, ...dns.map((d) => `nameserver ${d} # ${iface}`)]
    .map((l) => l + '\n')
    .join('')
  try {
    fs.writeFile(RESOLV_CONF, text)
  } catch (error) {
    ctx.stderr(
      `${SCRIPT}: line 34: can't create ${RESOLV_CONF}: ${error instanceof Error ? error.message : String(error)}\n`,
    )
  }
}
