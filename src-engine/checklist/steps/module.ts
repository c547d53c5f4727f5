/** Module helpers shared by mode and restore steps: read/set `usbnet`, reset with AT+CFUN=1,1 and wait by polling. */
import { boundDrivers, findUsbDevice, parseUsbDevices } from '../../parsers/index'
import { shQuote } from '../../ppp/index'
import { parseRegistration, parseUsbnet } from '../../at/index'
import { readReply } from '../at-read'
import type { MeasurementDeclaration, StepContext } from '../types'

/** The measurement resetModule records: a step that resets the module declares it. */
export const REGISTERED_AFTER_RESET: MeasurementDeclaration = { name: 'registered_after_reset' }

/** `AT+QCFG="usbnet"` value: 1 ECM, 3 RNDIS (undefined when the module does not say). */
export async function readUsbnet(ctx: StepContext): Promise<number | undefined> {
  const value = readReply(await ctx.at('AT+QCFG="usbnet"'), parseUsbnet)?.value
  if (value !== undefined) ctx.facts.usbnet = value
  return value
}

async function devicePresent(ctx: StepContext): Promise<boolean> {
  return (await ctx.sh(`[ -e ${shQuote(ctx.profile.device)} ]`)).status === 0
}

/** Restarts the module and waits, by polling, until its AT port is back and answers; false when it never came back. */
export async function resetModule(ctx: StepContext): Promise<{ back: boolean; goneSeen: boolean }> {
  const reset = await ctx.at('AT+CFUN=1,1')
  ctx.note(`AT+CFUN=1,1 -> ${reset.final}`)
  const gone = await ctx.waitFor(async () => ((await devicePresent(ctx)) ? undefined : true), Math.min(15_000, ctx.profile.timeouts.moduleResetMs))
  const deadline = Date.now() + ctx.profile.timeouts.moduleResetMs * (ctx.timeScale ?? 1)
  const back = await ctx.waitFor(async () => {
    if (!(await devicePresent(ctx))) return undefined
    return (await ctx.at('AT')).ok ? true : undefined
  }, ctx.profile.timeouts.moduleResetMs)
  ctx.facts.dialed = undefined
  if (back === true) {
    const left = Math.max(1, (deadline - Date.now()) / (ctx.timeScale ?? 1))
    const stat = await ctx.waitFor(async () => {
      const value = await registrationState(ctx)
      return value === 1 || value === 5 ? value : undefined
    }, left)
    ctx.measure('registered_after_reset', stat !== undefined)
  }
  return { back: back === true, goneSeen: gone === true }
}

/** `<stat>` of AT+CEREG? (1 home, 5 roaming, 2 searching, 3 denied); undefined when the module does not say. */
export async function registrationState(ctx: StepContext): Promise<number | undefined> {
  return readReply(await ctx.at('AT+CEREG?'), (r) => parseRegistration(r, 'CEREG'))?.stat
}

/** True when `driver` has bound a USB interface 0 (`1-1:1.0`): a short listing instead of the whole debugfs table. */
export async function driverBoundToInterface0(ctx: StepContext, driver: string): Promise<boolean> {
  const listing = await ctx.sh(`ls /sys/bus/usb/drivers/${shQuote(driver)}`)
  return listing.status === 0 && /(^|\s)\d+-[\d.]+:1\.0(\s|$)/.test(listing.output)
}

/** Driver bound to the module's interface 0 (the network function) per debugfs; undefined when unbound or unknown. */
export async function networkDriver(ctx: StepContext): Promise<string | undefined> {
  const devices = await ctx.sh('[ -e /sys/kernel/debug/usb/devices ] || mount -t debugfs none /sys/kernel/debug/; cat /sys/kernel/debug/usb/devices')
  if (devices.status !== 0) return undefined
  const device = findUsbDevice(parseUsbDevices(devices.output).value)
  return device ? boundDrivers(device).get(0) : undefined
}

/** True when `ifconfig IFACE` finds the interface. */
export async function interfaceExists(ctx: StepContext, iface: string): Promise<boolean> {
  return (await ctx.sh(`ifconfig ${shQuote(iface)}`)).status === 0
}
