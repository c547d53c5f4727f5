import type { HwContext } from '../../hardware/context'
import { chatCommand } from './chat'
import { ifconfigCommand } from './ifconfig'
import { lsusbCommand } from './lsusb'
import { microcomCommand } from './microcom'
import { nslookupCommand } from './nslookup'
import { pingCommand } from './ping'
import { pppdCommand } from './pppd'
import { routeCommand } from './route'
import { udhcpcCommand } from './udhcpc'

/** Registers the hardware applets (lsusb, microcom, udhcpc, ifconfig, route, ping, nslookup; pppd and chat when installed). */
export function registerHardwareCommands(hw: HwContext): void {
  const reg = hw.board.commands
  reg.register('lsusb', lsusbCommand(hw), { path: '/usr/bin/lsusb' })
  reg.register('microcom', microcomCommand(hw), { path: '/usr/bin/microcom' })
  reg.register('udhcpc', udhcpcCommand(hw), { path: '/sbin/udhcpc' })
  reg.register('ifconfig', ifconfigCommand(hw), { path: '/sbin/ifconfig' })
  reg.register('route', routeCommand(hw), { path: '/sbin/route' })
  reg.register('ping', pingCommand(hw), { path: '/bin/ping' })
  reg.register('nslookup', nslookupCommand(hw), { path: '/usr/bin/nslookup' })
  if (hw.board.state.pppdInstalled) {
    reg.register('pppd', pppdCommand(hw), { path: '/usr/sbin/pppd' })
    reg.register('chat', chatCommand(hw), { path: '/usr/sbin/chat' })
  } else {
    reg.unregister('pppd')
    reg.unregister('chat')
  }
}
