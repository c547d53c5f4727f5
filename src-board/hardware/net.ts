import type { BoardServices } from '../types'
import type { NetworkSettings } from '../scenarios/types'

/** One network interface as ifconfig shows it. */
export interface NetInterface {
  name: string
  encap: 'Ethernet' | 'Local Loopback' | 'Point-to-Point Protocol'
  mac: string | null
  up: boolean
  /** Carrier present (RUNNING). */
  running: boolean
  ip: string | null
  mask: string | null
  /** Peer address of a point-to-point link. */
  peer: string | null
  mtu: number
  txqueuelen: number
  rxPackets: number
  txPackets: number
  rxBytes: number
  txBytes: number
}

/** One line of the kernel routing table. */
export interface Route {
  dest: string
  gateway: string
  mask: string
  flags: string
  metric: number
  iface: string
}

/** A DHCP lease as udhcpc's script receives it. */
export interface Lease {
  ip: string
  subnet: string
  router: string
  dns: string[]
  leaseTime: number
}

/** Outcome of one name lookup. */
export type LookupResult =
  | { ok: true; address: string; server: string }
  | { ok: false; reason: 'no-server' | 'timeout' | 'nxdomain'; server: string | null }

/** Converts dotted quad to a 32-bit unsigned number; NaN when malformed. */
export function ipToNumber(ip: string): number {
  const parts = ip.split('.')
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return NaN
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0)
}

/** Converts a 32-bit unsigned number to dotted quad. */
export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')
}

/** True when `text` is a dotted-quad IPv4 address. */
export function isIpv4(text: string): boolean {
  return !Number.isNaN(ipToNumber(text))
}

function network(ip: string, mask: string): string {
  return numberToIp((ipToNumber(ip) & ipToNumber(mask)) >>> 0)
}

function inSubnet(ip: string, net: string, mask: string): boolean {
  return network(ip, mask) === network(net, mask)
}

/** The board's IP stack as far as the bring-up needs: interfaces, routes, DHCP, DNS and echo replies; trusts its settings. */
export class NetModel {
  private readonly ifaces = new Map<string, NetInterface>()
  private routes: Route[] = []
  /** Whether each data path carries traffic: usb0 needs the module's data call, ppp0 a PPP session. */
  private readonly carrier = { usb0: false, ppp0: false }

  constructor(
    private readonly settings: NetworkSettings,
    private readonly board: BoardServices,
  ) {
    this.ifaces.set('eth0', blank('eth0', 'Ethernet', '00:E0:4C:36:00:01', true, 1500, 1000))
    this.ifaces.set('lo', {
      ...blank('lo', 'Local Loopback', null, true, 65536, 1000),
      running: true,
      ip: '127.0.0.1',
      mask: '255.0.0.0',
    })
  }

  /** Interfaces in ifconfig order (alphabetical, like BusyBox reading /proc/net/dev). */
  list(): NetInterface[] {
    return [...this.ifaces.values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  /** The named interface or undefined. */
  get(name: string): NetInterface | undefined {
    return this.ifaces.get(name)
  }

  /** Kernel routing table. */
  routeTable(): Route[] {
    return [...this.routes]
  }

  /** usb0 appears (USB function bound) or disappears. */
  setUsb0(present: boolean, mac: string): void {
    if (present && !this.ifaces.has('usb0'))
      this.ifaces.set('usb0', blank('usb0', 'Ethernet', mac.toUpperCase(), false, 1500, 1000))
    if (!present) this.removeIface('usb0')
    this.refreshRunning()
  }

  /** The module's data call for usb0 went up or down. */
  setUsb0Carrier(up: boolean): void {
    this.carrier.usb0 = up
    this.refreshRunning()
  }

  /** Brings ppp0 up with IPCP's addresses; adds the default route unless one exists. Returns whether a default route was added. */
  pppUp(local: string, remote: string, defaultRoute: boolean): boolean {
    const iface: NetInterface = {
      ...blank('ppp0', 'Point-to-Point Protocol', null, true, 1500, 3),
      running: true,
      ip: local,
      mask: '255.255.255.255',
      peer: remote,
    }
    this.ifaces.set('ppp0', iface)
    this.carrier.ppp0 = true
    this.routes.push({
      dest: remote,
      gateway: '0.0.0.0',
      mask: '255.255.255.255',
      flags: 'UH',
      metric: 0,
      iface: 'ppp0',
    })
    if (defaultRoute && !this.routes.some((r) => r.dest === '0.0.0.0')) {
      this.routes.unshift({
        dest: '0.0.0.0',
        gateway: '0.0.0.0',
        mask: '0.0.0.0',
        flags: 'U',
        metric: 0,
        iface: 'ppp0',
      })
      return true
    }
    return false
  }

  /** Removes ppp0 and its routes. */
  pppDown(): void {
    this.carrier.ppp0 = false
    this.removeIface('ppp0')
  }

  /** `ifconfig IFACE up|down`. */
  setUp(name: string, up: boolean): void {
    const iface = this.ifaces.get(name)
    if (!iface) return
    iface.up = up
    if (!up) this.routes = this.routes.filter((r) => r.iface !== name)
    else if (iface.ip && iface.mask && iface.name !== 'lo' && iface.name !== 'ppp0')
      this.addNetRoute(iface)
    this.refreshRunning()
  }

  /** `ifconfig IFACE ADDR [netmask M]` (brings the interface up, like the kernel). */
  setAddress(name: string, ip: string, mask: string | null): void {
    const iface = this.ifaces.get(name)
    if (!iface) return
    this.routes = this.routes.filter((r) => !(r.iface === name && r.flags === 'U'))
    iface.ip = ip === '0.0.0.0' ? null : ip
    iface.mask = iface.ip ? (mask ?? defaultMask(ip)) : null
    iface.up = true
    if (iface.ip && iface.mask) this.addNetRoute(iface)
    this.refreshRunning()
  }

  /** `route add default gw GW dev IFACE`. */
  addDefaultRoute(gateway: string, iface: string, metric = 0): void {
    this.routes.push({ dest: '0.0.0.0', gateway, mask: '0.0.0.0', flags: 'UG', metric, iface })
  }

  /** `route del default gw ... dev IFACE`; returns whether one was deleted. */
  deleteDefaultRoute(iface?: string): boolean {
    const i = this.routes.findIndex((r) => r.dest === '0.0.0.0' && (!iface || r.iface === iface))
    if (i < 0) return false
    this.routes.splice(i, 1)
    return true
  }

  /** Answers a DHCP discover on `name`: the lease when the data call is up and the network answers, else null. */
  dhcpOffer(name: string): Lease | null {
    const iface = this.ifaces.get(name)
    if (!iface) return null
    iface.txPackets++
    iface.txBytes += 342
    if (!iface.up || name !== 'usb0' || !this.carrier.usb0 || this.settings.dhcp !== 'lease')
      return null
    iface.rxPackets++
    iface.rxBytes += 342
    return { ...this.settings.lease, dns: [...this.settings.lease.dns] }
  }

  /** Counts the DHCP request/ack exchange that follows an offer. */
  dhcpAck(name: string): void {
    const iface = this.ifaces.get(name)
    if (!iface) return
    iface.txPackets++
    iface.txBytes += 342
    iface.rxPackets++
    iface.rxBytes += 342
  }

  /** The interface a packet to `ip` leaves by (optionally bound with -I), or null when unreachable. */
  routeTo(ip: string, bind?: string): NetInterface | null {
    if (ip.startsWith('127.')) return this.ifaces.get('lo') ?? null
    const candidates = this.routes.filter(
      (r) => (!bind || r.iface === bind) && inSubnet(ip, r.dest, r.mask),
    )
    candidates.sort((a, b) => ipToNumber(b.mask) - ipToNumber(a.mask) || a.metric - b.metric)
    for (const r of candidates) {
      const iface = this.ifaces.get(r.iface)
      if (iface?.up) return iface
    }
    if (bind) {
      const iface = this.ifaces.get(bind)
      if (iface?.up && iface.ip && iface.name !== 'lo') return iface
    }
    return null
  }

  /** Whether traffic on `iface` actually reaches the mobile network. */
  carries(iface: NetInterface): boolean {
    if (iface.name === 'lo') return true
    if (iface.name === 'usb0') return this.carrier.usb0 && iface.up && iface.ip !== null
    if (iface.name === 'ppp0') return this.carrier.ppp0
    return false
  }

  /** Sends one echo request; resolves the RTT in ms or null when no reply comes. Counts packets on the interface. */
  echo(ip: string, iface: NetInterface, size: number): number | null {
    iface.txPackets++
    iface.txBytes += size + 28
    if (iface.name === 'lo') {
      iface.rxPackets++
      iface.rxBytes += size + 28
      return 0.04 + this.board.rng.next() * 0.03
    }
    if (!this.carries(iface) || this.board.rng.chance(this.settings.lossRate)) return null
    iface.rxPackets++
    iface.rxBytes += size + 28
    const { min, max } = this.settings.rttMs
    return min + this.board.rng.next() * (max - min)
  }

  /** TTL of replies from the network. */
  get ttl(): number {
    return this.settings.ttl
  }

  /** Resolves a host name through the nameservers in /etc/resolv.conf, taking board time like a real resolver. */
  async lookup(name: string, signal?: AbortSignal): Promise<LookupResult> {
    if (isIpv4(name)) return { ok: true, address: name, server: '' }
    if (name === 'localhost') return { ok: true, address: '127.0.0.1', server: '' }
    const servers = this.nameservers()
    if (servers.length === 0) return { ok: false, reason: 'no-server', server: null }
    for (const server of servers) {
      const iface = this.routeTo(server)
      if (!iface || !this.carries(iface) || !this.settings.dnsWorks) {
        await this.board.clock.sleep(5000, signal)
        continue
      }
      const rtt = this.echo(server, iface, 40)
      await this.board.clock.sleep(Math.round(rtt ?? 5000), signal)
      if (rtt === null) continue
      const address = this.settings.hosts[name.toLowerCase()]
      return address ? { ok: true, address, server } : { ok: false, reason: 'nxdomain', server }
    }
    return { ok: false, reason: 'timeout', server: servers[0] }
  }

  /** Nameservers listed in /etc/resolv.conf. */
  nameservers(): string[] {
    let text: string
    try {
      text = this.board.fs.readText('/etc/resolv.conf')
    } catch {
      return []
    }
    return text
      .split('\n')
      .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
      .filter((s): s is string => !!s && isIpv4(s))
  }

  private addNetRoute(iface: NetInterface): void {
    if (!iface.ip || !iface.mask) return
    const dest = network(iface.ip, iface.mask)
    if (!this.routes.some((r) => r.iface === iface.name && r.dest === dest && r.flags === 'U')) {
      this.routes.push({
        dest,
        gateway: '0.0.0.0',
        mask: iface.mask,
        flags: 'U',
        metric: 0,
        iface: iface.name,
      })
    }
  }

  private removeIface(name: string): void {
    this.ifaces.delete(name)
    this.routes = this.routes.filter((r) => r.iface !== name)
  }

  private refreshRunning(): void {
    const usb0 = this.ifaces.get('usb0')
    if (usb0) usb0.running = usb0.up && this.carrier.usb0
  }
}

function blank(
  name: string,
  encap: NetInterface['encap'],
  mac: string | null,
  up: boolean,
  mtu: number,
  txqueuelen: number,
): NetInterface {
  return {
    name,
    encap,
    mac,
    up,
    running: false,
    ip: null,
    mask: null,
    peer: null,
    mtu,
    txqueuelen,
    rxPackets: 0,
    txPackets: 0,
    rxBytes: 0,
    txBytes: 0,
  }
}

function defaultMask(ip: string): string {
  const first = Number(ip.split('.')[0])
  return first < 128 ? '255.0.0.0' : first < 192 ? '255.255.0.0' : '255.255.255.0'
}
