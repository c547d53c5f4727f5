import { describe, expect, it } from 'vitest'
import { gunzipSync } from 'node:zlib'
import { createStubBoard } from './stub-board'

const REFERENCE_DMESG = [
  'usb 1-1: config 1 has an invalid interface number: 6 but max is 5',
  'usb 1-1: config 1 has no interface number 5',
  'usb 1-1: New USB device found, idVendor=2c7c, idProduct=6005, bcdDevice= 3.18',
  'usb 1-1: New USB device strings: Mfr=1, Product=2, SerialNumber=3',
  'usb 1-1: Product: Android',
  'usb 1-1: Manufacturer: Android',
  'usb 1-1: SerialNumber: 0000',
  "cdc_ether 1-1:1.0 usb0: register 'cdc_ether' at usb-91500000.usb-otg-1, CDC Ethernet Device, 02:0c:29:a3:9b:6d",
  'option 1-1:1.2: GSM modem (1-port) converter detected',
  'usb 1-1: GSM modem (1-port) converter now attached to ttyUSB0',
  'option 1-1:1.3: GSM modem (1-port) converter detected',
  'usb 1-1: GSM modem (1-port) converter now attached to ttyUSB1',
  'option 1-1:1.4: GSM modem (1-port) converter detected',
  'usb 1-1: GSM modem (1-port) converter now attached to ttyUSB2',
  'option 1-1:1.6: GSM modem (1-port) converter detected',
]

const REFERENCE_LSUSB = `Bus 002 Device 002: ID 0bda:8152
Bus 001 Device 001: ID 1d6b:0002
Bus 001 Device 002: ID 2c7c:6005
Bus 002 Device 001: ID 1d6b:0002
`

const REFERENCE_DEBUGFS = `
T:  Bus=01 Lev=01 Prnt=01 Port=00 Cnt=01 Dev#=  2 Spd=480  MxCh= 0
D:  Ver= 2.00 Cls=ef(misc ) Sub=02 Prot=01 MxPS=64 #Cfgs=  1
P:  Vendor=2c7c ProdID=6005 Rev= 3.18
S:  Manufacturer=Android
S:  Product=Android
S:  SerialNumber=0000
C:* #Ifs= 6 Cfg#= 1 Atr=e0 MxPwr=500mA
A:  FirstIf#= 0 IfCount= 2 Cls=02(comm.) Sub=06 Prot=00
I:* If#= 0 Alt= 0 #EPs= 1 Cls=02(comm.) Sub=06 Prot=00 Driver=cdc_ether
E:  Ad=87(I) Atr=03(Int.) MxPS=  64 Ivl=4096ms
I:  If#= 1 Alt= 0 #EPs= 0 Cls=0a(data ) Sub=00 Prot=00 Driver=cdc_ether
I:* If#= 1 Alt= 1 #EPs= 2 Cls=0a(data ) Sub=00 Prot=00 Driver=cdc_ether
E:  Ad=83(I) Atr=02(Bulk) MxPS= 512 Ivl=0ms
E:  Ad=0c(O) Atr=02(Bulk) MxPS= 512 Ivl=0ms
I:* If#= 2 Alt= 0 #EPs= 2 Cls=ff(vend.) Sub=00 Prot=00 Driver=option
E:  Ad=82(I) Atr=02(Bulk) MxPS= 512 Ivl=0ms
E:  Ad=0b(O) Atr=02(Bulk) MxPS= 512 Ivl=0ms
I:* If#= 3 Alt= 0 #EPs= 3 Cls=ff(vend.) Sub=00 Prot=00 Driver=option
E:  Ad=86(I) Atr=02(Bulk) MxPS= 512 Ivl=0ms
E:  Ad=0f(O) Atr=02(Bulk) MxPS= 512 Ivl=0ms
E:  Ad=89(I) Atr=03(Int.) MxPS=  64 Ivl=4096ms
I:* If#= 4 Alt= 0 #EPs= 3 Cls=ff(vend.) Sub=00 Prot=00 Driver=option
E:  Ad=81(I) Atr=02(Bulk) MxPS= 512 Ivl=0ms
E:  Ad=0a(O) Atr=02(Bulk) MxPS= 512 Ivl=0ms
E:  Ad=88(I) Atr=03(Int.) MxPS=  64 Ivl=4096ms
I:* If#= 6 Alt= 0 #EPs= 2 Cls=ff(vend.) Sub=00 Prot=00 Driver=option
E:  Ad=85(I) Atr=02(Bulk) MxPS= 512 Ivl=0ms
E:  Ad=0e(O) Atr=02(Bulk) MxPS= 512 Ivl=0ms
`

const REFERENCE_DRIVERS = [
  'asix',
  'ax88179_178a',
  'catc',
  'cdc_ether',
  'cdc_ncm',
  'cdc_subset',
  'cdc_wdm',
  'hub',
  'kaweth',
  'lan78xx',
  'net1080',
  'option',
  'pegasus',
  'qmi_wwan',
  'r8152',
  'rndis_host',
  'rtl8150',
  'usb',
  'usb-storage',
  'usbfs',
  'usbhid',
  'zaurus',
]

describe('EC200A on USB: what the kernel shows', () => {
  it('contributes the reference document’s enumeration lines to the boot log, in order', () => {
    const lines = createStubBoard().hardware.bootLog!()
    expect(lines.slice(0, REFERENCE_DMESG.length)).toEqual(REFERENCE_DMESG)
    expect(lines.at(-1)).toBe('usb 1-1: GSM modem (1-port) converter now attached to ttyUSB3')
  })

  it('lists the reference’s four lsusb lines', async () => {
    const board = createStubBoard()
    expect((await board.run(['lsusb'])).stdout).toBe(REFERENCE_LSUSB)
  })

  it('shows /sys/kernel/debug/usb/devices exactly as the reference, only once debugfs is mounted', () => {
    const board = createStubBoard()
    const fs = board.services.fs as import('@board/fs/memfs').MemoryFs
    expect(fs.exists('/sys/kernel/debug/usb/devices')).toBe(false)
    fs.mount({ source: 'none', target: '/sys/kernel/debug', type: 'debugfs', options: 'rw' })
    expect(fs.readText('/sys/kernel/debug/usb/devices')).toBe(REFERENCE_DEBUGFS)
  })

  it('lists the reference’s drivers under /sys/bus/usb/drivers, without the ones the kernel lacks', () => {
    expect(createStubBoard().services.fs.readdir('/sys/bus/usb/drivers')).toEqual(REFERENCE_DRIVERS)
    expect(
      createStubBoard('no-rndis-driver').services.fs.readdir('/sys/bus/usb/drivers'),
    ).not.toContain('rndis_host')
    const fs = createStubBoard().services.fs
    expect(fs.readdir('/sys/bus/usb/drivers/option')).toEqual([
      '1-1:1.2',
      '1-1:1.3',
      '1-1:1.4',
      '1-1:1.6',
      'bind',
      'uevent',
      'unbind',
    ])
    expect(fs.readdir('/sys/bus/usb/drivers/cdc_ether')).toEqual([
      '1-1:1.0',
      '1-1:1.1',
      'bind',
      'uevent',
      'unbind',
    ])
  })

  it('creates /dev/ttyUSB0..3 only when the option driver has 2c7c:6005', () => {
    const good = createStubBoard().services.fs
    expect(good.readdir('/dev').filter((n) => n.startsWith('ttyUSB'))).toEqual([
      'ttyUSB0',
      'ttyUSB1',
      'ttyUSB2',
      'ttyUSB3',
    ])
    const bad = createStubBoard('no-option-vidpid')
    expect(bad.services.fs.readdir('/dev').filter((n) => n.startsWith('ttyUSB'))).toEqual([])
    const log = bad.hardware.bootLog!()
    expect(log.some((l) => l.includes('GSM modem'))).toBe(false)
    expect(log).toContain(
      "cdc_ether 1-1:1.0 usb0: register 'cdc_ether' at usb-91500000.usb-otg-1, CDC Ethernet Device, 02:0c:29:a3:9b:6d",
    )
    const fs = bad.services.fs as import('@board/fs/memfs').MemoryFs
    fs.mount({ source: 'none', target: '/sys/kernel/debug', type: 'debugfs', options: 'rw' })
    expect(fs.readText('/sys/kernel/debug/usb/devices')).toContain(
      'I:* If#= 2 Alt= 0 #EPs= 2 Cls=ff(vend.) Sub=00 Prot=00 Driver=(none)',
    )
  })

  it('binds rndis_host with the RNDIS interface layout, or nothing when the kernel lacks the driver', () => {
    const rndis = createStubBoard({
      ...createStubBoard().scenario,
      modem: { ...createStubBoard().scenario.modem, usbnet: 3 },
    })
    expect(rndis.hardware.bootLog!()).toContain(
      "rndis_host 1-1:1.0 usb0: register 'rndis_host' at usb-91500000.usb-otg-1, RNDIS device, 02:0c:29:a3:9b:6d",
    )
    expect(rndis.hw.usb.debugfsDevices()).toContain(
      'I:* If#= 0 Alt= 0 #EPs= 1 Cls=e0(wlcon) Sub=01 Prot=03 Driver=rndis_host',
    )
    const missing = createStubBoard('no-rndis-driver')
    expect(missing.hardware.bootLog!().some((l) => l.includes('usb0'))).toBe(false)
    expect(missing.hw.usb.debugfsDevices()).toContain('Cls=e0(wlcon) Sub=01 Prot=03 Driver=(none)')
    expect(missing.hw.net.get('usb0')).toBeUndefined()
  })

  it('serves /proc/config.gz with the reference’s CONFIG_ lines set or missing by state', () => {
    const text = (name: string) =>
      gunzipSync(createStubBoard(name).services.fs.readFile('/proc/config.gz')).toString()
    const healthy = text('healthy')
    for (const line of [
      'CONFIG_USB_SERIAL=y',
      'CONFIG_USB_SERIAL_OPTION=y',
      'CONFIG_PPP=y',
      'CONFIG_PPP_ASYNC=y',
      'CONFIG_PPP_SYNC_TTY=y',
      'CONFIG_USB_USBNET=y',
      'CONFIG_USB_NET_RNDIS_HOST=y',
      'CONFIG_USB_NET_CDCETHER=y',
      'CONFIG_USB_NET_CDC_NCM=y',
    ]) {
      expect(healthy).toContain(line + '\n')
    }
    expect(text('no-rndis-driver')).toContain('# CONFIG_USB_NET_RNDIS_HOST is not set\n')
    const board = createStubBoard()
    board.services.state.procConfig = false
    expect(board.services.fs.exists('/proc/config.gz')).toBe(false)
  })
})
