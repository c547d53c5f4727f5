/** Step `usb`: the EC200A enumerates (2c7c:6005), its interfaces get their drivers and the ttyUSB nodes exist. */
import { boundDrivers, findUsbDevice, findUsbId, interfaceNumbers, parseDmesg, parseLsusb, parseUsbDevices, parseUsbDrivers } from '../../parsers/index'
import { reason, remedy } from '../remediation'
import type { StepDefinition } from '../types'

const SERIAL_INTERFACES = [2, 3, 4]

/** USB enumeration and bound drivers, from lsusb, debugfs usb/devices, dmesg and /dev. */
export const usbStep: StepDefinition = {
  id: 'usb',
  title: 'USB enumeration of the EC200A',
  titleKey: 'step.usb',
  needs: ['console'],
  measures: [
    { name: 'usb_id_2c7c_6005', limits: { equals: true } },
    { name: 'dmesg_enumeration' },
    { name: 'ttyUSB_nodes', limits: { low: 3 } },
    { name: 'interfaces' },
    { name: 'bound_drivers' },
    { name: 'serial_interfaces_bound', limits: { equals: SERIAL_INTERFACES.length } },
  ],
  reasons: ['usb-not-on-bus', 'tty-missing-no-option', 'tty-missing-not-bound'],
  remedies: ['module-not-detected', 'kernel-option-driver-missing', 'option-vidpid-missing'],
  async run(ctx) {
    const lsusb = await ctx.sh('lsusb')
    const present = findUsbId(parseLsusb(lsusb.output).value).length > 0
    ctx.measure('usb_id_2c7c_6005', present)

    const devices = await ctx.sh('[ -e /sys/kernel/debug/usb/devices ] || mount -t debugfs none /sys/kernel/debug/; cat /sys/kernel/debug/usb/devices')
    ctx.facts.debugfsMounted = devices.status === 0
    const device = devices.status === 0 ? findUsbDevice(parseUsbDevices(devices.output).value) : undefined

    const dmesg = await ctx.sh("dmesg | grep -i -E 'usb 1-|option|ttyUSB|cdc_ether|rndis|2c7c'")
    const kernelSaw2c7c = parseDmesg([dmesg.output, ...dmesg.kernel].join('\n')).value.facts.some((f) => f.kind === 'usb-new-device' && f.vendorId === '2c7c' && f.productId === '6005')
    ctx.measure('dmesg_enumeration', kernelSaw2c7c)

    const ttyList = await ctx.sh('ls /dev/ttyUSB*')
    const ttys = ttyList.status === 0 ? ttyList.output.split(/\s+/).filter((t) => /^\/dev\/ttyUSB\d+$/.test(t)) : []
    ctx.facts.ttys = ttys
    ctx.measure('ttyUSB_nodes', ttys.length)

    if (!present && !device) return { verdict: 'fail', reason: reason('usb-not-on-bus'), remediation: remedy('module-not-detected') }

    if (device) {
      const config = device.configurations.find((c) => c.active) ?? device.configurations[0]
      ctx.measure('interfaces', config ? interfaceNumbers(config).join(',') : '')
      const drivers = boundDrivers(device)
      ctx.measure('bound_drivers', [...drivers].map(([n, d]) => `${n}:${d ?? 'none'}`).join(' '))
      const unbound = SERIAL_INTERFACES.filter((n) => drivers.get(n) !== 'option')
      ctx.measure('serial_interfaces_bound', SERIAL_INTERFACES.length - unbound.length)
    }
    if (!ttys.includes(ctx.profile.device)) {
      const list = await ctx.sh('ls /sys/bus/usb/drivers')
      const drivers = parseUsbDrivers(list.output).value
      ctx.facts.drivers = drivers
      if (!drivers.includes('option')) return { verdict: 'fail', reason: reason('tty-missing-no-option', { device: ctx.profile.device }), remediation: remedy('kernel-option-driver-missing') }
      return { verdict: 'fail', reason: reason('tty-missing-not-bound', { device: ctx.profile.device }), remediation: remedy('option-vidpid-missing') }
    }
    return { verdict: 'pass' }
  },
}
