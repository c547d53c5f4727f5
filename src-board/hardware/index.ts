import type { BoardServices, HardwareModel } from '../types'
import type { Scenario } from '../scenarios/types'
import { registerHardwareCommands } from '../commands/hw/index'
import type { HwContext } from './context'
import { createModemNv, Ec200aModem, type ModemNv } from './modem/ec200a'
import { NetModel } from './net'
import { procConfigGz } from './proc-config'
import { SerialPortModel } from './serial-port'
import { UsbModel } from './usb'

export type { HwContext } from './context'

const AT_PORT = '/dev/ttyUSB2'

/** The installed hardware of the current power-on, for tests and board-core (null before the first install). */
export interface Ec200aHardwareModel extends HardwareModel {
  readonly context: HwContext | null
}

/** Creates the EC200A/USB/network/PPP hardware; create once per board, `install` runs at every power-on and NV (usbnet, PDP contexts) survives reboots. */
export function createEc200aHardware(scenario: Scenario): Ec200aHardwareModel {
  const nv: ModemNv = createModemNv(scenario.modem)
  let context: HwContext | null = null
  let bootLines: string[] = []
  return {
    get context() {
      return context
    },
    install(board: BoardServices): void {
      context?.modem.shutdown()
      const installed = installHardware(board, scenario, nv)
      context = installed.hw
      bootLines = installed.bootLines
    },
    bootLog(): string[] {
      return [...bootLines]
    },
    shutdown(): void {
      context?.modem.shutdown()
    },
  }
}

function installHardware(
  board: BoardServices,
  scenario: Scenario,
  nv: ModemNv,
): { hw: HwContext; bootLines: string[] } {
  const usb = new UsbModel(board.state, scenario.modem.usbMac)
  const net = new NetModel(scenario.network, board)
  const ports = new Map<string, SerialPortModel>()
  const hw = {
    board,
    scenario,
    usb,
    net,
    ports,
    chatLine: null,
    locks: new Map(),
  } as unknown as HwContext
  const klog = (lines: string[]): void => lines.forEach((l) => board.klog(l, 6))
  const modem = new Ec200aModem(scenario.modem, nv, {
    clock: board.clock,
    emit: (text) => ports.get(AT_PORT)?.emit(text),
    usbDetach: () => klog(usb.detach()),
    usbAttach: () => klog(usb.attach(nv.usbnet, { announceNewDevice: true })),
    dataCall: (kind, up) => {
      if (kind === 'netdev') net.setUsb0Carrier(up)
    },
  })
  hw.modem = modem
  for (let i = 0; i < 4; i++) {
    const path = `/dev/ttyUSB${i}`
    const sink = i === 2 ? (bytes: Uint8Array) => modem.receive(bytes) : () => undefined
    const port = new SerialPortModel(path, () => usb.ttyPresent(i), sink)
    ports.set(path, port)
    board.fs.device(path, port, () => usb.ttyPresent(i))
  }
  usb.onChange((binding) => {
    net.setUsb0(binding?.netDriver != null, scenario.modem.usbMac)
    if (!binding) for (const port of ports.values()) port.hangupAll()
  })
  board.fs.provide('/sys/kernel/debug/usb/devices', () => usb.debugfsDevices())
  const driverNames = [
    ...new Set([
      ...scenario.state.drivers,
      'cdc_ether',
      'rndis_host',
      'option',
      'cdc_ncm',
      'qmi_wwan',
    ]),
  ]
  for (const driver of driverNames) {
    const present = (): boolean => board.state.drivers.has(driver)
    for (const file of ['bind', 'uevent', 'unbind'])
      board.fs.provide(`/sys/bus/usb/drivers/${driver}/${file}`, () => (present() ? '' : null))
    for (const iface of ['1-1', '1-1:1.0', '1-1:1.1', '1-1:1.2', '1-1:1.3', '1-1:1.4', '1-1:1.6']) {
      board.fs.provide(`/sys/bus/usb/drivers/${driver}/${iface}`, () =>
        present() && usb.boundInterfaces(driver).includes(iface) ? '' : null,
      )
    }
  }
  board.fs.provide('/proc/config.gz', () => procConfigGz(board.state))
  for (const name of ['eth0', 'lo', 'ppp0', 'usb0']) {
    const iface = () => net.get(name)
    board.fs.provide(`/sys/class/net/${name}/address`, () => {
      const i = iface()
      return i ? `${(i.mac ?? '00:00:00:00:00:00').toLowerCase()}\n` : null
    })
    board.fs.provide(`/sys/class/net/${name}/operstate`, () => {
      const i = iface()
      return i ? `${i.name === 'lo' ? 'unknown' : i.up && i.running ? 'up' : 'down'}\n` : null
    })
    board.fs.provide(`/sys/class/net/${name}/carrier`, () => {
      const i = iface()
      return i ? `${i.running ? 1 : 0}\n` : null
    })
  }
  const bootLines = usb.attach(nv.usbnet, { announceNewDevice: false })
  registerHardwareCommands(hw)
  return { hw, bootLines }
}
