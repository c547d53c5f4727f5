/** Steps `ecm.mode`/`rndis.mode` and `ecm.dial`/`rndis.dial`: USB network mode selection and the data call with DHCP. */
import { findInterface, parseIfconfig, parseUdhcpc } from '../../parsers/index'
import { parseNetdevctl } from '../../at/index'
import { readReply } from '../at-read'
import { reason, remedy } from '../remediation'
import type { StepDefinition } from '../types'
import { IPV4_LIMITS } from '../declare'
import { driverBoundToInterface0, interfaceExists, networkDriver, readUsbnet, REGISTERED_AFTER_RESET, registrationState, resetModule } from './module'

/** Board ms after which a data call that is not up is dialled again; sooner when the module re-registered meanwhile. */
const REDIAL_AFTER_MS = 3_000
/** Board ms a fresh dial gets before registration is checked (the EC200A needs about a second). */
const DIAL_GRACE_MS = 1_000
/** Separator line between the outputs of one combined command. */
const SECTION = '--k230-section--'

/** What each USB network mode means on the EC200A. */
export const USBNET = {
  ecm: { value: 1, driver: 'cdc_ether', missing: 'kernel-ecm-missing' },
  rndis: { value: 3, driver: 'rndis_host', missing: 'kernel-rndis-missing' },
} as const

/** Selects ECM or RNDIS with AT+QCFG="usbnet", restarts the module when needed, then checks mode, driver and usb0. */
export function modeStep(mode: 'ecm' | 'rndis'): StepDefinition {
  const want = USBNET[mode]
  return {
    id: `${mode}.mode`,
    title: `${mode.toUpperCase()} mode selection`,
    titleKey: 'step.mode',
    titleParams: { mode: mode.toUpperCase() },
    needs: ['modem'],
    mode,
    measures: [
      { name: 'usbnet_before' },
      { name: 'module_back', limits: { equals: true } },
      REGISTERED_AFTER_RESET,
      { name: 'module_reset' },
      { name: 'usbnet', limits: { equals: want.value } },
      { name: 'network_driver', limits: { equals: want.driver } },
      { name: 'usb0', limits: { equals: true } },
    ],
    reasons: ['at-rejected', 'module-not-back-in', 'usbnet-wrong-after-restart', 'no-net-driver', 'wrong-net-driver'],
    remedies: ['usbnet-not-applied', 'module-stuck-after-reset', want.missing],
    async run(ctx) {
      const before = await readUsbnet(ctx)
      ctx.measure('usbnet_before', before ?? null)
      let reset = false
      if (before !== want.value) {
        const set = await ctx.at(`AT+QCFG="usbnet",${want.value}`)
        if (!set.ok) return { verdict: 'fail', reason: reason('at-rejected', { command: `AT+QCFG="usbnet",${want.value}`, answer: set.final }), remediation: remedy('usbnet-not-applied') }
        const result = await resetModule(ctx)
        reset = true
        ctx.measure('module_back', result.back)
        if (!result.back) return { verdict: 'fail', reason: reason('module-not-back-in', { seconds: ctx.profile.timeouts.moduleResetMs / 1000 }), remediation: remedy('module-stuck-after-reset') }
      }
      ctx.measure('module_reset', reset)
      const after = reset ? await readUsbnet(ctx) : before
      ctx.measure('usbnet', after ?? null)
      if (after !== want.value) return { verdict: 'fail', reason: reason('usbnet-wrong-after-restart', { actual: after ?? '?', expected: want.value }), remediation: remedy('usbnet-not-applied') }
      const usb0 = await ctx.waitFor(async () => ((await interfaceExists(ctx, 'usb0')) ? true : undefined), reset ? 5_000 : 1_000)
      const driver = (await driverBoundToInterface0(ctx, want.driver)) ? want.driver : await networkDriver(ctx)
      ctx.measure('network_driver', driver ?? null)
      ctx.measure('usb0', usb0 === true)
      if (driver !== want.driver || !usb0) {
        const kernelLacks = ctx.facts.drivers.length > 0 && !ctx.facts.drivers.includes(want.driver)
        if (kernelLacks || !driver) return { verdict: 'fail', reason: reason('no-net-driver', { driver: want.driver }), remediation: remedy(want.missing) }
        return { verdict: 'fail', reason: reason('wrong-net-driver', { driver, expected: want.driver }), remediation: remedy('usbnet-not-applied') }
      }
      return { verdict: 'pass' }
    },
  }
}

/** Dials with AT+QNETDEVCTL=3,1,1 and gets an address on usb0 with udhcpc. */
export function dialStep(mode: 'ecm' | 'rndis'): StepDefinition {
  return {
    id: `${mode}.dial`,
    title: `${mode.toUpperCase()} dial and DHCP`,
    titleKey: 'step.dial',
    titleParams: { mode: mode.toUpperCase() },
    needs: [`${mode}.mode`],
    mode,
    measures: [
      { name: 'apn_set', limits: { equals: 'OK' } },
      { name: 'dial', limits: { equals: 'OK' } },
      { name: 'dial_attempts' },
      { name: 'data_call_up', limits: { equals: true } },
      { name: 'ip', limits: IPV4_LIMITS },
      { name: 'gateway' },
      { name: 'dns' },
    ],
    reasons: ['at-rejected', 'data-call-timeout', 'no-lease'],
    remedies: ['dial-rejected', 'dhcp-no-lease'],
    async run(ctx) {
      const context = await ctx.at(`AT+CGDCONT=1,"IP","${ctx.profile.apn}"`)
      ctx.measure('apn_set', context.final)
      const dial = await ctx.at('AT+QNETDEVCTL=3,1,1')
      ctx.measure('dial', dial.final)
      if (!dial.ok) return { verdict: 'fail', reason: reason('at-rejected', { command: 'AT+QNETDEVCTL=3,1,1', answer: dial.final }), remediation: remedy('dial-rejected') }
      let dialled = Date.now()
      let dials = 1
      let lostRegistration = false
      const redialAfter = REDIAL_AFTER_MS * ctx.timeScale
      const up = await ctx.waitFor(async () => {
        if (readReply(await ctx.at('AT+QNETDEVCTL?'), parseNetdevctl)?.connected) return true
        if (Date.now() - dialled < DIAL_GRACE_MS * ctx.timeScale) return undefined
        const registered = [1, 5].includes((await registrationState(ctx)) ?? 0)
        if (!registered) lostRegistration = true
        else if (lostRegistration || Date.now() - dialled >= redialAfter) {
          await ctx.at('AT+QNETDEVCTL=3,1,1')
          dialled = Date.now()
          dials++
          lostRegistration = false
        }
        return undefined
      }, ctx.profile.timeouts.dialMs)
      ctx.measure('dial_attempts', dials)
      ctx.measure('data_call_up', up === true)
      if (!up) return { verdict: 'fail', reason: reason('data-call-timeout', { seconds: ctx.profile.timeouts.dialMs / 1000, apn: ctx.profile.apn }), remediation: remedy('dial-rejected', { apn: ctx.profile.apn }) }
      ctx.facts.dialed = mode
      const tries = Math.max(2, Math.ceil(ctx.profile.timeouts.dhcpMs / 3_000))
      const dhcp = await ctx.sh(`udhcpc -i usb0 -n -q -t ${tries} -T 3`, { timeoutMs: ctx.profile.timeouts.dhcpMs + 5_000 })
      const lease = parseUdhcpc(dhcp.output).value
      const [ifconfigText = '', routesText = '', resolvText = ''] = (await ctx.sh(`ifconfig usb0; echo ${SECTION}; route -n; echo ${SECTION}; cat /etc/resolv.conf`)).output.split(`${SECTION}\n`)
      const ifc = findInterface(parseIfconfig(ifconfigText).value, 'usb0')
      const ip = ifc?.inet ?? lease.lease?.ip ?? null
      ctx.measure('ip', ip)
      const gateway = routesText.split('\n').map((l) => l.trim().split(/\s+/)).find((c) => c[0] === '0.0.0.0' && c[7] === 'usb0')?.[1]
      ctx.measure('gateway', gateway ?? null)
      const dns = [...resolvText.matchAll(/^nameserver\s+(\S+)/gm)].map((m) => m[1])
      ctx.measure('dns', (lease.dns.length ? lease.dns : dns).join(' ') || null)
      if (lease.outcome !== 'lease' && !ifc?.inet) return { verdict: 'fail', reason: reason('no-lease'), remediation: remedy('dhcp-no-lease') }
      return { verdict: 'pass' }
    },
  }
}
