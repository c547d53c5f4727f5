import { afterEach, describe, expect, it } from 'vitest'
import { connect, type Console } from '@engine/console'
import { createBoardAtChannel, dialNetdev, readUsbnet } from '@engine/at'
import {
  boundDrivers,
  checkKernelConfig,
  findInterface,
  findUsbDevice,
  findUsbId,
  missingDrivers,
  moduleEnumeration,
  MODE_DRIVERS,
  parseDmesg,
  parseIfconfig,
  parseKernelConfig,
  parseLsusb,
  parsePing,
  parsePppdLog,
  parseUdhcpc,
  parseUsbDevices,
  parseUsbDrivers,
} from '@engine/parsers'

const open: Console[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.close()
})

async function start(scenario: string): Promise<Console> {
  const c = await connect({ sim: { scenario, seed: 5, timeScale: 0.01, lineRate: false } })
  open.push(c)
  await c.session.attach({ timeout: 30_000 })
  return c
}

/**
 * `dmesg` prints kernel-formatted lines, which the session files under `kernel`; both parts are the command's output.
 * The boot banner is filtered out on the board: the session takes a `Linux version` line for a reboot.
 */
async function dmesg(c: Console): Promise<string> {
  const r = await c.session.run("dmesg | grep -v 'Linux version'", { timeout: 30_000 })
  return [...r.kernel, r.output].join('\n')
}

const run = async (c: Console, command: string) =>
  (await c.session.run(command, { timeout: 60_000 })).output

describe('parsers on the virtual board, through the real session', () => {
  it('healthy: enumeration, USB devices, drivers and kernel config read as in the reference', async () => {
    const c = await start('healthy')
    const module = moduleEnumeration(parseDmesg(await dmesg(c)).value.facts)
    expect(module).toMatchObject({
      found: true,
      ttys: ['ttyUSB0', 'ttyUSB1', 'ttyUSB2', 'ttyUSB3'],
      disconnected: false,
      faults: [],
    })
    expect(module.netdevs.map((n) => `${n.netdev}:${n.driver}`)).toEqual(['usb0:cdc_ether'])
    expect(findUsbId(parseLsusb(await run(c, 'lsusb')).value)).toHaveLength(1)
    const devices = parseUsbDevices(
      await run(
        c,
        'mount -t debugfs none /sys/kernel/debug/ 2>/dev/null; cat /sys/kernel/debug/usb/devices',
      ),
    )
    expect(devices.warnings).toEqual([])
    expect(Object.fromEntries(boundDrivers(findUsbDevice(devices.value)!))).toEqual({
      0: 'cdc_ether',
      1: 'cdc_ether',
      2: 'option',
      3: 'option',
      4: 'option',
      6: 'option',
    })
    const drivers = parseUsbDrivers(await run(c, 'ls /sys/bus/usb/drivers')).value
    expect(
      missingDrivers(drivers, [...MODE_DRIVERS.serial, ...MODE_DRIVERS.ecm, ...MODE_DRIVERS.rndis]),
    ).toEqual([])
    expect(
      checkKernelConfig(parseKernelConfig(await run(c, 'zcat /proc/config.gz')).value).ok,
    ).toBe(true)
  })

  it('healthy: after the dial, the lease, usb0 and the ping read as in the reference', async () => {
    const c = await start('healthy')
    const at = createBoardAtChannel(c.session, { idleMs: 10_000 })
    expect((await readUsbnet(at)).mode).toBe('ecm')
    await dialNetdev(at)
    const dhcp = parseUdhcpc(await run(c, 'ifconfig eth0 down; udhcpc -i usb0 -n -q'))
    expect(dhcp.value).toMatchObject({
      outcome: 'lease',
      lease: { ip: '10.232.182.16', leaseSeconds: 86400 },
      dns: ['183.230.126.225', '183.230.126.224'],
    })
    expect(findInterface(parseIfconfig(await run(c, 'ifconfig')).value, 'usb0')).toMatchObject({
      inet: '10.232.182.16',
      up: true,
      running: true,
    })
    const ping = parsePing(await run(c, 'ping -c 2 -I usb0 www.163.com'))
    expect(ping.value).toMatchObject({
      address: '111.13.104.117',
      statistics: { transmitted: 2, received: 2, lossPercent: 0 },
      reachable: true,
    })
  })

  it('no-option-vidpid: the module enumerates but no ttyUSB is attached', async () => {
    const c = await start('no-option-vidpid')
    expect(moduleEnumeration(parseDmesg(await dmesg(c)).value.facts)).toMatchObject({
      found: true,
      ttys: [],
    })
  })

  it('no-rndis-driver: rndis_host is missing from the drivers', async () => {
    const c = await start('no-rndis-driver')
    expect(
      missingDrivers(
        parseUsbDrivers(await run(c, 'ls /sys/bus/usb/drivers')).value,
        MODE_DRIVERS.rndis,
      ),
    ).toEqual(['rndis_host'])
  })

  it('dhcp-timeout: udhcpc reads as no lease', async () => {
    const c = await start('dhcp-timeout')
    await dialNetdev(createBoardAtChannel(c.session, { idleMs: 10_000 }))
    const dhcp = parseUdhcpc(await run(c, 'udhcpc -i usb0 -n -q')).value
    expect(dhcp).toMatchObject({ outcome: 'no-lease', discovers: 3 })
    expect(dhcp.lease).toBeUndefined()
  })

  it('dns-failure: ping reads as a bad address', async () => {
    const c = await start('dns-failure')
    await dialNetdev(createBoardAtChannel(c.session, { idleMs: 10_000 }))
    await run(c, 'udhcpc -i usb0 -n -q')
    expect(parsePing(await run(c, 'ping -c 1 www.163.com')).value).toMatchObject({
      errors: ["bad address 'www.163.com'"],
      reachable: false,
    })
  })
})

describe("pppd's log on the virtual board", () => {
  const pppd = (apn: string) =>
    `timeout 60 pppd /dev/ttyUSB2 115200 connect 'chat -s -v ABORT ERROR TIMEOUT 30 "" AT OK AT+CGDCONT=1,\\"IP\\",\\"${apn}\\" OK ATD*99# CONNECT' noauth debug defaultroute noipdefault usepeerdns nodetach`

  it('healthy: a PPP session reads with its addresses, DNS and end', async () => {
    const c = await start('healthy')
    const log = parsePppdLog(await run(c, pppd('cmnet')))
    expect(log.unparsed).toEqual([])
    expect(log.value).toMatchObject({
      serialConnected: true,
      interface: 'ppp0',
      device: '/dev/ttyUSB2',
      localIp: '10.145.32.88',
      remoteIp: '10.64.64.64',
      primaryDns: '183.230.126.225',
      secondaryDns: '183.230.126.224',
      terminatedBySignal: 15,
      outcome: 'terminated',
      chat: { sent: ['AT^M', 'AT+CGDCONT=1,"IP","cmnet"^M', 'ATD*99#^M'], gotIt: 3, alarm: false },
    })
  })

  it('healthy, wrong APN: the chat script fails', async () => {
    const c = await start('healthy')
    const log = parsePppdLog(await run(c, pppd('bogus'))).value
    expect(log).toMatchObject({
      outcome: 'connect-script-failed',
      serialConnected: false,
      chat: { alarm: true },
    })
    expect(log.localIp).toBeUndefined()
  })
})
