import type { CommandImpl } from '../../types'
import type { HwContext } from '../../hardware/context'
import { isIpv4, ipToNumber, numberToIp, type NetInterface } from '../../hardware/net'

/** BusyBox's `(1.2 KiB)` rendering of a byte counter. */
export function scaledBytes(n: number): string {
  let int = n
  let frac = 0
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti']
  let unit = 0
  while (int >= 1024 && unit < units.length - 1) {
    frac = Math.floor(((int % 1024) * 10) / 1024)
    int = Math.floor(int / 1024)
    unit++
  }
  return `${int}.${frac} ${units[unit]}B`
}

/** One interface block exactly as BusyBox 1.33 ifconfig prints it (LF line ends, trailing blank line). */
export function formatInterface(i: NetInterface): string {
  const lines: string[] = []
  let head = `${i.name.padEnd(9)} Link encap:${i.encap}  `
  if (i.mac) head += `HWaddr ${i.mac}  `
  lines.push(head)
  const ptp = i.encap === 'Point-to-Point Protocol'
  const loop = i.encap === 'Local Loopback'
  if (i.ip && i.mask) {
    let addr = `          inet addr:${i.ip} `
    if (ptp && i.peer) addr += ` P-t-P:${i.peer} `
    if (!ptp && !loop)
      addr += ` Bcast:${numberToIp((ipToNumber(i.ip) | (~ipToNumber(i.mask) >>> 0)) >>> 0)} `
    addr += ` Mask:${i.mask}`
    lines.push(addr)
  }
  const flags: string[] = []
  if (i.up) flags.push('UP')
  if (!ptp && !loop) flags.push('BROADCAST')
  if (loop) flags.push('LOOPBACK')
  if (ptp) flags.push('POINTOPOINT')
  if (i.running) flags.push('RUNNING')
  if (ptp) flags.push('NOARP')
  if (!loop) flags.push('MULTICAST')
  lines.push(`          ${flags.join(' ')}  MTU:${i.mtu}  Metric:1`)
  lines.push(`          RX packets:${i.rxPackets} errors:0 dropped:0 overruns:0 frame:0`)
  lines.push(`          TX packets:${i.txPackets} errors:0 dropped:0 overruns:0 carrier:0`)
  lines.push(`          collisions:0 txqueuelen:${i.txqueuelen} `)
  lines.push(
    `          RX bytes:${i.rxBytes} (${scaledBytes(i.rxBytes)})  TX bytes:${i.txBytes} (${scaledBytes(i.txBytes)})`,
  )
  return lines.join('\n') + '\n\n'
}

/** `ifconfig [-a] [IFACE [ADDR] [netmask M] [up|down]]` over the network model, BusyBox wording for errors. */
export function ifconfigCommand(hw: HwContext): CommandImpl {
  return async (ctx) => {
    const net = hw.net
    let args = ctx.argv.slice(1)
    const all = args[0] === '-a'
    if (all) args = args.slice(1)
    if (args.length === 0) {
      for (const i of net.list()) if (all || i.up) ctx.stdout(formatInterface(i))
      return 0
    }
    const [name, ...rest] = args
    const iface = net.get(name)
    if (rest.length === 0) {
      if (!iface) {
        ctx.stderr(`ifconfig: ${name}: error fetching interface information: Device not found\n`)
        return 1
      }
      ctx.stdout(formatInterface(iface))
      return 0
    }
    if (!iface) {
      ctx.stderr(`ifconfig: SIOCGIFFLAGS: No such device\n`)
      return 1
    }
    let address: string | null = null
    let mask: string | null = null
    let up: boolean | null = null
    for (let k = 0; k < rest.length; k++) {
      const word = rest[k]
      if (word === 'up' || word === 'down') up = word === 'up'
      else if (word === 'netmask') {
        mask = rest[++k] ?? ''
        if (!isIpv4(mask)) {
          ctx.stderr(`ifconfig: bad address '${mask}'\n`)
          return 1
        }
      } else if (word === 'broadcast' || word === 'mtu' || word === 'pointopoint') k++
      else if (isIpv4(word)) address = word
      else {
        ctx.stderr(`ifconfig: bad address '${word}'\n`)
        return 1
      }
    }
    if (address) net.setAddress(name, address, mask)
    if (up !== null) net.setUp(name, up)
    return 0
  }
}
