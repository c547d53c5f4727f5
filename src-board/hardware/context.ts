import type { BoardServices } from '../types'
import type { Scenario } from '../scenarios/types'
import type { Ec200aModem } from './modem/ec200a'
import type { NetModel } from './net'
import type { PortHandle, SerialPortModel } from './serial-port'
import type { UsbModel } from './usb'

/** Everything the hardware applets reach: the installed models of one powered-on board. */
export interface HwContext {
  board: BoardServices
  scenario: Scenario
  usb: UsbModel
  modem: Ec200aModem
  net: NetModel
  /** /dev/ttyUSB0..3 by path. */
  ports: Map<string, SerialPortModel>
  /** The line chat talks to while pppd runs a connect/disconnect script (pppd's open port), else null. */
  chatLine: PortHandle | null
  /** Devices locked by a running pppd (`lock` option), by path. */
  locks: Map<string, number>
}

/** Returns the port model behind a device path (accepts `ttyUSB2` or `/dev/ttyUSB2`), or undefined. */
export function portAt(hw: HwContext, path: string): SerialPortModel | undefined {
  const full = path.startsWith('/') ? path : `/dev/${path}`
  return hw.ports.get(full)
}
