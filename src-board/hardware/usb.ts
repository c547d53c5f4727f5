import type { BoardState } from '../types'

/** `AT+QCFG="usbnet",1`: ECM, bound by cdc_ether. */
export const USBNET_ECM = 1
/** `AT+QCFG="usbnet",3`: RNDIS, bound by rndis_host. */
export const USBNET_RNDIS = 3

const BUS_ID = 'usb-91500000.usb-otg-1'
const TTY_INTERFACES = [2, 3, 4, 6] as const

/** What the kernel bound to the module at one enumeration. */
export interface UsbBinding {
  deviceNumber: number
  mode: number
  /** Driver bound to interfaces 0-1 (`cdc_ether`, `rndis_host`) or null. */
  netDriver: string | null
  /** The option driver claimed interfaces 2, 3, 4, 6 (ttyUSB0..3). */
  option: boolean
}

/** Listener of USB attach/detach: `binding` is null after a disconnect. */
export type UsbListener = (binding: UsbBinding | null) => void

/** The EC200A on the K230's USB host port: enumeration, driver binding and what lsusb/debugfs/dmesg show; trusts BoardState. */
export class UsbModel {
  private binding: UsbBinding | null = null
  private nextDeviceNumber = 2
  private readonly listeners = new Set<UsbListener>()

  constructor(
    private readonly state: BoardState,
    private readonly mac: string,
  ) {}

  /** The current binding, or null while the module is off the bus. */
  get current(): UsbBinding | null {
    return this.binding
  }

  /** Subscribes to attach/detach; returns unsubscribe. */
  onChange(listener: UsbListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Enumerates the module in `mode`; returns the kernel lines it logs. */
  attach(mode: number, options: { announceNewDevice: boolean }): string[] {
    const deviceNumber = this.nextDeviceNumber++
    const netDriver = this.netDriverFor(mode)
    const option = this.state.optionHasEc200a && this.state.drivers.has('option')
    this.binding = { deviceNumber, mode, netDriver, option }
    const lines: string[] = []
    if (options.announceNewDevice)
      lines.push(`usb 1-1: new high-speed USB device number ${deviceNumber} using dwc2`)
    lines.push(
      'usb 1-1: config 1 has an invalid interface number: 6 but max is 5',
      'usb 1-1: config 1 has no interface number 5',
      'usb 1-1: New USB device found, idVendor=2c7c, idProduct=6005, bcdDevice= 3.18',
      'usb 1-1: New USB device strings: Mfr=1, Product=2, SerialNumber=3',
      'usb 1-1: Product: Android',
      'usb 1-1: Manufacturer: Android',
      'usb 1-1: SerialNumber: 0000',
    )
    if (netDriver === 'cdc_ether')
      lines.push(
        `cdc_ether 1-1:1.0 usb0: register 'cdc_ether' at ${BUS_ID}, CDC Ethernet Device, ${this.mac}`,
      )
    if (netDriver === 'rndis_host')
      lines.push(
        `rndis_host 1-1:1.0 usb0: register 'rndis_host' at ${BUS_ID}, RNDIS device, ${this.mac}`,
      )
    if (option) {
      TTY_INTERFACES.forEach((iface, index) => {
        lines.push(`option 1-1:1.${iface}: GSM modem (1-port) converter detected`)
        lines.push(`usb 1-1: GSM modem (1-port) converter now attached to ttyUSB${index}`)
      })
    }
    for (const listener of this.listeners) listener(this.binding)
    return lines
  }

  /** Takes the module off the bus; returns the kernel lines it logs (none when already gone). */
  detach(): string[] {
    const b = this.binding
    if (!b) return []
    this.binding = null
    const lines = [`usb 1-1: USB disconnect, device number ${b.deviceNumber}`]
    if (b.netDriver === 'cdc_ether')
      lines.push(`cdc_ether 1-1:1.0 usb0: unregister 'cdc_ether' ${BUS_ID}, CDC Ethernet Device`)
    if (b.netDriver === 'rndis_host')
      lines.push(`rndis_host 1-1:1.0 usb0: unregister 'rndis_host' ${BUS_ID}, RNDIS device`)
    if (b.option) {
      TTY_INTERFACES.forEach((iface, index) => {
        lines.push(
          `option1 ttyUSB${index}: GSM modem (1-port) converter now disconnected from ttyUSB${index}`,
        )
        lines.push(`option 1-1:1.${iface}: device disconnected`)
      })
    }
    for (const listener of this.listeners) listener(null)
    return lines
  }

  /** True while /dev/ttyUSB<index> exists. */
  ttyPresent(index: number): boolean {
    return (
      this.binding !== null && this.binding.option && index >= 0 && index < TTY_INTERFACES.length
    )
  }

  /** True while the usb0 network interface exists. */
  usb0Present(): boolean {
    return this.binding?.netDriver != null
  }

  /** `lsusb` output (BusyBox: one `Bus B Device D: ID v:p` line per device). */
  lsusb(): string {
    const lines = ['Bus 002 Device 002: ID 0bda:8152', 'Bus 001 Device 001: ID 1d6b:0002']
    if (this.binding) lines.push(`Bus 001 Device ${pad3(this.binding.deviceNumber)}: ID 2c7c:6005`)
    lines.push('Bus 002 Device 001: ID 1d6b:0002')
    return lines.join('\n') + '\n'
  }

  /** /sys/kernel/debug/usb/devices content for the module (empty while it is off the bus). */
  debugfsDevices(): string {
    const b = this.binding
    if (!b) return ''
    const drv = (name: string | null): string => `Driver=${name ?? '(none)'}`
    const net = b.netDriver
    const opt = b.option ? 'option' : null
    const rndis = b.mode === USBNET_RNDIS
    const lines = [
      '',
      `T:  Bus=01 Lev=01 Prnt=01 Port=00 Cnt=01 Dev#=${String(b.deviceNumber).padStart(3)} Spd=480  MxCh= 0`,
      'D:  Ver= 2.00 Cls=ef(misc ) Sub=02 Prot=01 MxPS=64 #Cfgs=  1',
      'P:  Vendor=2c7c ProdID=6005 Rev= 3.18',
      'S:  Manufacturer=Android',
      'S:  Product=Android',
      'S:  SerialNumber=0000',
      'C:* #Ifs= 6 Cfg#= 1 Atr=e0 MxPwr=500mA',
    ]
    if (rndis) {
      lines.push(
        'A:  FirstIf#= 0 IfCount= 2 Cls=e0(wlcon) Sub=01 Prot=03',
        `I:* If#= 0 Alt= 0 #EPs= 1 Cls=e0(wlcon) Sub=01 Prot=03 ${drv(net)}`,
        'E:  Ad=87(I) Atr=03(Int.) MxPS=   8 Ivl=32ms',
        `I:* If#= 1 Alt= 0 #EPs= 2 Cls=0a(data ) Sub=00 Prot=00 ${drv(net)}`,
        'E:  Ad=83(I) Atr=02(Bulk) MxPS= 512 Ivl=0ms',
        'E:  Ad=0c(O) Atr=02(Bulk) MxPS= 512 Ivl=0ms',
      )
    } else {
      lines.push(
        'A:  FirstIf#= 0 IfCount= 2 Cls=02(comm.) Sub=06 Prot=00',
        `I:* If#= 0 Alt= 0 #EPs= 1 Cls=02(comm.) Sub=06 Prot=00 ${drv(net)}`,
        'E:  Ad=87(I) Atr=03(Int.) MxPS=  64 Ivl=4096ms',
        `I:  If#= 1 Alt= 0 #EPs= 0 Cls=0a(data ) Sub=00 Prot=00 ${drv(net)}`,
        `I:* If#= 1 Alt= 1 #EPs= 2 Cls=0a(data ) Sub=00 Prot=00 ${drv(net)}`,
        'E:  Ad=83(I) Atr=02(Bulk) MxPS= 512 Ivl=0ms',
        'E:  Ad=0c(O) Atr=02(Bulk) MxPS= 512 Ivl=0ms',
      )
    }
    lines.push(
      `I:* If#= 2 Alt= 0 #EPs= 2 Cls=ff(vend.) Sub=00 Prot=00 ${drv(opt)}`,
      'E:  Ad=82(I) Atr=02(Bulk) MxPS= 512 Ivl=0ms',
      'E:  Ad=0b(O) Atr=02(Bulk) MxPS= 512 Ivl=0ms',
      `I:* If#= 3 Alt= 0 #EPs= 3 Cls=ff(vend.) Sub=00 Prot=00 ${drv(opt)}`,
      'E:  Ad=86(I) Atr=02(Bulk) MxPS= 512 Ivl=0ms',
      'E:  Ad=0f(O) Atr=02(Bulk) MxPS= 512 Ivl=0ms',
      'E:  Ad=89(I) Atr=03(Int.) MxPS=  64 Ivl=4096ms',
      `I:* If#= 4 Alt= 0 #EPs= 3 Cls=ff(vend.) Sub=00 Prot=00 ${drv(opt)}`,
      'E:  Ad=81(I) Atr=02(Bulk) MxPS= 512 Ivl=0ms',
      'E:  Ad=0a(O) Atr=02(Bulk) MxPS= 512 Ivl=0ms',
      'E:  Ad=88(I) Atr=03(Int.) MxPS=  64 Ivl=4096ms',
      `I:* If#= 6 Alt= 0 #EPs= 2 Cls=ff(vend.) Sub=00 Prot=00 ${drv(opt)}`,
      'E:  Ad=85(I) Atr=02(Bulk) MxPS= 512 Ivl=0ms',
      'E:  Ad=0e(O) Atr=02(Bulk) MxPS= 512 Ivl=0ms',
    )
    return lines.join('\n') + '\n'
  }

  /** Interfaces ("1-1:1.N") currently bound to `driver`, as listed in /sys/bus/usb/drivers/<driver>. */
  boundInterfaces(driver: string): string[] {
    const b = this.binding
    if (!b) return []
    if (driver === 'option' && b.option) return TTY_INTERFACES.map((i) => `1-1:1.${i}`)
    if (driver === b.netDriver) return ['1-1:1.0', '1-1:1.1']
    if (driver === 'usb') return ['1-1']
    return []
  }

  private netDriverFor(mode: number): string | null {
    const wanted = mode === USBNET_RNDIS ? 'rndis_host' : mode === USBNET_ECM ? 'cdc_ether' : null
    return wanted && this.state.drivers.has(wanted) ? wanted : null
  }
}

function pad3(n: number): string {
  return String(n).padStart(3, '0')
}
