import { describe, expect, it } from 'vitest'
import {
  boundDrivers,
  checkKernelConfig,
  findInterface,
  findUsbDevice,
  findUsbId,
  interfaceNumbers,
  missingDrivers,
  moduleEnumeration,
  parseDmesg,
  parseIfconfig,
  parseKernelConfig,
  parseLsusb,
  parsePing,
  parsePppdLog,
  parseUdhcpc,
  parseUsbDevices,
  parseUsbDrivers,
  REQUIRED_KERNEL_OPTIONS,
  MODE_DRIVERS,
} from '@engine/parsers'
import { fixture } from './fixtures'

describe('dmesg on the reference samples', () => {
  it.each(['dmesg-1.1.txt', 'dmesg-3.1.txt'])(
    '%s: the EC200A enumerates with three ttyUSB and usb0 on cdc_ether',
    (name) => {
      const parsed = parseDmesg(fixture(name))
      expect(parsed.unparsed).toEqual([])
      expect(parsed.value.lines[0]).toMatchObject({
        source: 'usb',
        device: '1-1',
        message: 'config 1 has an invalid interface number: 6 but max is 5',
      })
      expect(parsed.value.lines[0].timestamp).toBeCloseTo(3.16, 2)
      const module = moduleEnumeration(parsed.value.facts)
      expect(module).toMatchObject({
        found: true,
        device: '1-1',
        bcdDevice: '3.18',
        ttys: ['ttyUSB0', 'ttyUSB1', 'ttyUSB2'],
        disconnected: false,
        faults: [],
      })
      expect(module.netdevs).toEqual([
        { netdev: 'usb0', driver: 'cdc_ether', mac: '02:0c:29:a3:9b:6d' },
      ])
      expect(parsed.value.facts.filter((f) => f.kind === 'usb-interface-quirk')).toHaveLength(2)
      expect(parsed.value.facts).toContainEqual(
        expect.objectContaining({ kind: 'usb-string', name: 'Product', value: 'Android' }),
      )
    },
  )

  it('the 1.1 sample sees the fourth option interface (1.6) detected but not yet attached', () => {
    const facts = parseDmesg(fixture('dmesg-1.1.txt')).value.facts
    expect(
      facts
        .filter((f) => f.kind === 'serial-detected')
        .map((f) => (f as { device: string }).device),
    ).toEqual(['1-1:1.2', '1-1:1.3', '1-1:1.4', '1-1:1.6'])
  })

  it('follows an unplug, a re-plug in RNDIS mode, and flags an Oops and a panic', () => {
    const log = [
      '[   40.100000] usb 1-1: USB disconnect, device number 2',
      '[   40.101000] option1 ttyUSB0: GSM modem (1-port) converter now disconnected from ttyUSB0',
      "[   40.102000] cdc_ether 1-1:1.0 usb0: unregister 'cdc_ether' usb-91500000.usb-otg-1, CDC Ethernet Device",
      '[   45.000000] usb 1-1: new high-speed USB device number 3 using dwc2',
      '[   45.200000] usb 1-1: New USB device found, idVendor=2c7c, idProduct=6005, bcdDevice= 3.18',
      "[   45.300000] rndis_host 1-1:1.0 usb0: register 'rndis_host' at usb-91500000.usb-otg-1, RNDIS device, 02:0c:29:a3:9b:6e",
      '[   45.400000] usb 1-1: GSM modem (1-port) converter now attached to ttyUSB0',
      '<1>[   50.000000] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008',
      '[   50.100000] Kernel panic - not syncing: Fatal exception',
      '[   51.000000] BUG: scheduling while atomic: swapper/0/0x00000002',
      '[   52.000000] ------------[ cut here ]------------',
    ].join('\n')
    const parsed = parseDmesg(log)
    expect(parsed.value.facts[0]).toEqual({
      kind: 'usb-disconnect',
      at: 40.1,
      device: '1-1',
      number: 2,
    })
    const module = moduleEnumeration(parsed.value.facts)
    expect(module.netdevs).toEqual([
      { netdev: 'usb0', driver: 'rndis_host', mac: '02:0c:29:a3:9b:6e' },
    ])
    expect(module.ttys).toEqual(['ttyUSB0'])
    expect(module.faults.map((f) => (f as { fault: string }).fault)).toEqual([
      'oops',
      'panic',
      'bug',
      'warning',
    ])
    expect(parsed.value.lines[7].level).toBe(1)
  })

  it('reports no module when another device enumerates', () => {
    const parsed = parseDmesg(
      '[    2.0] usb 1-1: New USB device found, idVendor=0bda, idProduct=8152, bcdDevice=30.00',
    )
    expect(moduleEnumeration(parsed.value.facts).found).toBe(false)
  })
})

describe('lsusb on the reference sample', () => {
  it('lists four devices and finds 2c7c:6005 on bus 1 device 2', () => {
    const parsed = parseLsusb(fixture('lsusb-1.2.txt'))
    expect(parsed.unparsed).toEqual([])
    expect(parsed.value).toHaveLength(4)
    expect(findUsbId(parsed.value)).toEqual([
      { bus: 1, device: 2, vendorId: '2c7c', productId: '6005' },
    ])
  })
  it('keeps usbutils names and refuses the prompt line', () => {
    const parsed = parseLsusb(
      '[root@canaan ~ ]#lsusb\nBus 001 Device 003: ID 2c7c:6005 Quectel Wireless Solutions Co., Ltd.\n',
    )
    expect(parsed.value[0].name).toBe('Quectel Wireless Solutions Co., Ltd.')
    expect(parsed.unparsed).toEqual(['[root@canaan ~ ]#lsusb'])
  })
})

describe('debugfs usb/devices on the reference sample', () => {
  const parsed = parseUsbDevices(fixture('usb-devices-1.3.txt'))
  const device = findUsbDevice(parsed.value)!
  it('reads the device record', () => {
    expect(parsed.unparsed).toEqual([])
    expect(parsed.warnings).toEqual([])
    expect(device).toMatchObject({
      bus: 1,
      level: 1,
      deviceNumber: 2,
      speedMbps: 480,
      usbVersion: '2.00',
      classCode: 'ef',
      className: 'misc',
      revision: '3.18',
      manufacturer: 'Android',
      product: 'Android',
      serialNumber: '0000',
    })
    expect(device.configurations).toHaveLength(1)
    expect(device.configurations[0]).toMatchObject({
      active: true,
      number: 1,
      interfaceCount: 6,
      attributes: 'e0',
      maxPowerMa: 500,
    })
    expect(device.configurations[0].associations).toEqual([
      {
        firstInterface: 0,
        interfaceCount: 2,
        classCode: '02',
        className: 'comm.',
        subClass: '06',
        protocol: '00',
      },
    ])
  })
  it('has interfaces 0-4 and 6, none numbered 5, with their drivers', () => {
    expect(interfaceNumbers(device.configurations[0])).toEqual([0, 1, 2, 3, 4, 6])
    expect(Object.fromEntries(boundDrivers(device))).toEqual({
      0: 'cdc_ether',
      1: 'cdc_ether',
      2: 'option',
      3: 'option',
      4: 'option',
      6: 'option',
    })
  })
  it('keeps both alternate settings of interface 1 and every endpoint', () => {
    const if1 = device.configurations[0].interfaces.filter((i) => i.number === 1)
    expect(if1.map((i) => [i.alternate, i.active, i.endpoints.length])).toEqual([
      [0, false, 0],
      [1, true, 2],
    ])
    const if0 = device.configurations[0].interfaces[0]
    expect(if0.endpoints).toEqual([
      { address: '87', direction: 'in', type: 'interrupt', maxPacketSize: 64, interval: '4096ms' },
    ])
    expect(if1[1].endpoints[1]).toEqual({
      address: '0c',
      direction: 'out',
      type: 'bulk',
      maxPacketSize: 512,
      interval: '0ms',
    })
  })
  it('reads the stray tail after the block in the reference as leftovers, not as new endpoints', () => {
    const tail =
      'Sub=00 Prot=00 Driver=option\nE:  Ad=85(I) Atr=02(Bulk) MxPS= 512 Ivl=0ms\nE:  Ad=0e(O) Atr=02(Bulk) MxPS= 512 Ivl=0ms\n'
    const withTail = parseUsbDevices(fixture('usb-devices-1.3.txt') + '\n' + tail)
    expect(withTail.unparsed).toHaveLength(3)
    expect(withTail.warnings.some((w) => w.includes('duplicate endpoint 85'))).toBe(true)
    expect(
      findUsbDevice(withTail.value)!.configurations[0].interfaces.at(-1)!.endpoints,
    ).toHaveLength(2)
  })
  it('notes Driver=(none) as no driver', () => {
    const text =
      'T:  Bus=01 Lev=01 Prnt=01 Port=00 Cnt=01 Dev#=  2 Spd=480  MxCh= 0\nP:  Vendor=2c7c ProdID=6005 Rev= 3.18\nC:* #Ifs= 1 Cfg#= 1 Atr=e0 MxPwr=500mA\nI:* If#= 2 Alt= 0 #EPs= 0 Cls=ff(vend.) Sub=00 Prot=00 Driver=(none)\n'
    expect(boundDrivers(parseUsbDevices(text).value[0]).get(2)).toBeUndefined()
  })
})

describe('ls /sys/bus/usb/drivers on the reference sample', () => {
  it('reads every name including the odd last line, and warns about it', () => {
    const parsed = parseUsbDrivers(fixture('usb-drivers-3.1.txt'))
    expect(parsed.value).toHaveLength(22)
    expect(parsed.value).toEqual(
      expect.arrayContaining([
        'option',
        'cdc_ether',
        'cdc_ncm',
        'usbhid',
        'rndis_host',
        'usb-storage',
        'ax88179_178a',
      ]),
    )
    expect(parsed.warnings).toEqual([
      '"usbhid rndis_host" is one space apart (not ls columns); read as 2 names',
    ])
    for (const mode of ['serial', 'ecm', 'rndis', 'ncm'] as const)
      expect(missingDrivers(parsed.value, MODE_DRIVERS[mode])).toEqual([])
  })
  it('names what is missing', () => {
    expect(missingDrivers(parseUsbDrivers('hub  usb  usbfs').value, MODE_DRIVERS.rndis)).toEqual([
      'rndis_host',
    ])
  })
})

describe('udhcpc', () => {
  it('reads the reference lease', () => {
    const parsed = parseUdhcpc(fixture('udhcpc-3.3.3.txt'))
    expect(parsed.unparsed).toEqual([])
    expect(parsed.value).toEqual({
      version: '1.33.0',
      discovers: 1,
      selected: '10.232.182.16',
      lease: { ip: '10.232.182.16', server: undefined, leaseSeconds: 86400 },
      dns: ['183.230.126.225', '183.230.126.224'],
      routersDeleted: true,
      outcome: 'lease',
      errors: [],
    })
  })
  it('reads a failure and the newer broadcasting wording', () => {
    const failed = parseUdhcpc(
      'udhcpc: started, v1.33.0\nudhcpc: sending discover\nudhcpc: sending discover\nudhcpc: sending discover\nudhcpc: no lease, failing\n',
    )
    expect(failed.value).toMatchObject({ discovers: 3, outcome: 'no-lease' })
    const newer = parseUdhcpc(
      'udhcpc: broadcasting discover\nudhcpc: broadcasting select for 10.0.0.2, server 10.0.0.1\nudhcpc: lease of 10.0.0.2 obtained from 10.0.0.1, lease time 3600\n',
    )
    expect(newer.value.lease).toEqual({ ip: '10.0.0.2', server: '10.0.0.1', leaseSeconds: 3600 })
    expect(parseUdhcpc('udhcpc: SIOCGIFINDEX: No such device').value).toMatchObject({
      outcome: 'error',
      errors: ['SIOCGIFINDEX: No such device'],
    })
  })
})

describe('ifconfig (BusyBox format)', () => {
  const parsed = parseIfconfig(fixture('ifconfig-busybox.txt'))
  it('reads every block', () => {
    expect(parsed.unparsed).toEqual([])
    expect(parsed.value.map((i) => i.name)).toEqual(['lo', 'usb0', 'ppp0', 'eth0'])
  })
  it('reads usb0 in full', () => {
    expect(findInterface(parsed.value, 'usb0')).toEqual({
      name: 'usb0',
      encapsulation: 'Ethernet',
      hwaddr: '02:0c:29:a3:9b:6d',
      inet: '10.232.182.16',
      broadcast: '10.232.182.255',
      mask: '255.255.255.0',
      peer: undefined,
      inet6: ['fe80::c:29ff:fea3:9b6d/64'],
      flags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'],
      up: true,
      running: true,
      mtu: 1500,
      metric: 1,
      rx: { packets: 27, errors: 0, dropped: 0, overruns: 0, frame: 0, bytes: 4286 },
      tx: { packets: 35, errors: 1, dropped: 2, overruns: 0, carrier: 0, bytes: 5893 },
      collisions: 0,
      txqueuelen: 1000,
    })
  })
  it('reads the point-to-point peer and a down interface', () => {
    expect(findInterface(parsed.value, 'ppp0')).toMatchObject({
      encapsulation: 'Point-to-Point Protocol',
      inet: '10.145.23.12',
      peer: '10.64.64.64',
      up: true,
    })
    expect(findInterface(parsed.value, 'eth0')).toMatchObject({
      up: false,
      running: false,
      hwaddr: '00:e0:4c:68:00:01',
    })
    expect(findInterface(parsed.value, 'eth0')!.inet).toBeUndefined()
  })
})

describe('ping', () => {
  it('reads the reference run', () => {
    const parsed = parsePing(fixture('ping-3.3.4.txt'))
    expect(parsed.unparsed).toEqual([])
    expect(parsed.value).toEqual({
      target: 'www.163.com',
      address: '111.13.104.117',
      payloadBytes: 56,
      replies: [
        { from: '111.13.104.117', seq: 0, ttl: 55, timeMs: 45.732 },
        { from: '111.13.104.117', seq: 1, ttl: 55, timeMs: 46.759 },
      ],
      statistics: {
        transmitted: 2,
        received: 2,
        lossPercent: 0,
        errors: undefined,
        minMs: 45.732,
        avgMs: 46.245,
        maxMs: 46.759,
      },
      errors: [],
      reachable: true,
    })
  })
  it('reads iputils output and total loss', () => {
    const text =
      'PING 8.8.8.8 (8.8.8.8) 56(84) bytes of data.\n64 bytes from 8.8.8.8: icmp_seq=1 ttl=117 time=31.2 ms\n\n--- 8.8.8.8 ping statistics ---\n3 packets transmitted, 1 received, 66.6667% packet loss, time 2003ms\nrtt min/avg/max/mdev = 31.200/31.200/31.200/0.000 ms\n'
    expect(parsePing(text).value).toMatchObject({
      payloadBytes: 56,
      statistics: { transmitted: 3, received: 1, lossPercent: 66.6667, avgMs: 31.2 },
      reachable: true,
    })
    const lost = parsePing(
      'PING 10.0.0.9 (10.0.0.9): 56 data bytes\n\n--- 10.0.0.9 ping statistics ---\n4 packets transmitted, 0 packets received, 100% packet loss\n',
    )
    expect(lost.value).toMatchObject({ reachable: false, statistics: { lossPercent: 100 } })
  })
  it('reports a bad address', () => {
    expect(parsePing("ping: bad address 'www.163.com'\n").value).toMatchObject({
      errors: ["bad address 'www.163.com'"],
      reachable: false,
    })
  })
})

describe('pppd log', () => {
  it('reads a connection and its end', () => {
    const parsed = parsePppdLog(fixture('pppd-connected.txt'))
    expect(parsed.value).toMatchObject({
      serialConnected: true,
      interface: 'ppp0',
      device: '/dev/ttyUSB2',
      localIp: '10.145.23.12',
      remoteIp: '10.64.64.64',
      primaryDns: '211.138.180.2',
      secondaryDns: '211.138.180.3',
      connectTimeMinutes: 1.3,
      bytesSent: 4211,
      bytesReceived: 9876,
      terminatedBySignal: 15,
      outcome: 'terminated',
      lcpFrames: { sent: 2, received: 2 },
    })
    expect(parsed.value.chat.sent).toEqual(['AT^M', 'ATD*99#^M'])
    expect(parsed.value.chat.gotIt).toBe(2)
  })
  it('reads a chat failure', () => {
    expect(parsePppdLog(fixture('pppd-chat-failed.txt')).value).toMatchObject({
      outcome: 'connect-script-failed',
      serialConnected: false,
      chat: { alarm: true },
    })
  })
  it('keeps the LCP timeout as the cause over the hangup that follows', () => {
    expect(parsePppdLog(fixture('pppd-lcp-timeout.txt')).value).toMatchObject({
      outcome: 'lcp-timeout',
      lcpFrames: { sent: 3, received: 0 },
    })
  })
  it('strips syslog prefixes', () => {
    expect(
      parsePppdLog('Nov 25 10:00:01 canaan daemon.notice pppd[812]: local  IP address 10.0.0.5')
        .value.localIp,
    ).toBe('10.0.0.5')
  })
})

describe('kernel config', () => {
  const names = (text: string) =>
    text
      .trim()
      .split('\n')
      .map((l) => l.split('=')[0])
  it('REQUIRED_KERNEL_OPTIONS lists exactly the reference options, =y where the reference says so', () => {
    const group = (id: string) => REQUIRED_KERNEL_OPTIONS.find((g) => g.id === id)!
    const listed = [...group('usb-serial').options, ...group('ppp').options]
    expect(listed.map((o) => o.name)).toEqual(names(fixture('kernel-options-2.1.1.txt')))
    for (const line of fixture('kernel-options-2.1.1.txt').trim().split('\n')) {
      const option = listed.find((o) => o.name === line.split('=')[0])!
      expect(option.accept).toEqual(line.endsWith('=y') ? ['y'] : ['y', 'm'])
    }
    expect(group('usb-net').options.map((o) => o.name)).toEqual(
      names(fixture('kernel-options-2.2.txt')),
    )
    expect(group('usb-net').mandatory).toBe(false)
  })
  it('passes a config that has everything and names what a bad one lacks', () => {
    const good = REQUIRED_KERNEL_OPTIONS.flatMap((g) => g.options.map((o) => `${o.name}=y`)).join(
      '\n',
    )
    expect(checkKernelConfig(parseKernelConfig(good).value).ok).toBe(true)
    const bad = parseKernelConfig(
      good
        .replace('CONFIG_USB_SERIAL_OPTION=y', '# CONFIG_USB_SERIAL_OPTION is not set')
        .replace('CONFIG_PPP_ASYNC=y', 'CONFIG_PPP_ASYNC=m')
        .replace('CONFIG_USB_NET_RNDIS_HOST=y\n', ''),
    )
    const check = checkKernelConfig(bad.value)
    expect(check.ok).toBe(false)
    const failing = check.groups.flatMap((g) =>
      g.options.filter((o) => !o.ok).map((o) => `${o.name}:${o.actual}`),
    )
    expect(failing).toEqual([
      'CONFIG_USB_SERIAL_OPTION:n',
      'CONFIG_PPP_ASYNC:m',
      'CONFIG_USB_NET_RNDIS_HOST:absent',
    ])
  })
  it('reads values of every kind', () => {
    const parsed = parseKernelConfig(
      '#\n# Automatically generated file; DO NOT EDIT.\nCONFIG_CMDLINE="console=ttyS0,115200 \\"q\\""\nCONFIG_LOG_BUF_SHIFT=17\nCONFIG_BASE=0x1000\nCONFIG_USB_SERIAL=m\nCONFIG_BROKEN=maybe\n',
    )
    expect(parsed.value.get('CONFIG_CMDLINE')).toEqual({
      kind: 'string',
      value: 'console=ttyS0,115200 "q"',
    })
    expect(parsed.value.get('CONFIG_LOG_BUF_SHIFT')).toEqual({ kind: 'number', value: '17' })
    expect(parsed.value.get('CONFIG_BASE')).toEqual({ kind: 'number', value: '0x1000' })
    expect(parsed.value.get('CONFIG_USB_SERIAL')).toEqual({ kind: 'm' })
    expect(parsed.unparsed).toEqual(['CONFIG_BROKEN=maybe'])
  })
})
