/** Step `drivers`: the kernel drivers and options of the reference document (sections 2.1.1 and 2.2). */
import { checkKernelConfig, missingDrivers, parseKernelConfig, parseUsbDrivers } from '../../parsers/index'
import { reason, remedy, type RemediationCode } from '../remediation'
import type { StepDefinition } from '../types'

const REQUIRED = ['option', 'cdc_ether', 'rndis_host', 'cdc_ncm']

function driverRemedy(missing: string[]): RemediationCode {
  if (missing.includes('option')) return 'kernel-option-driver-missing'
  if (missing.length === 1 && missing[0] === 'rndis_host') return 'kernel-rndis-missing'
  if (missing.length === 1 && missing[0] === 'cdc_ether') return 'kernel-ecm-missing'
  return 'kernel-usbnet-missing'
}

/** Drivers in /sys/bus/usb/drivers, PPP support, and /proc/config.gz when the kernel offers it. */
export const driversStep: StepDefinition = {
  id: 'drivers',
  title: 'Kernel drivers and options',
  titleKey: 'step.drivers',
  needs: ['console'],
  measures: [
    ...REQUIRED.map((name) => ({ name: `driver_${name}`, limits: { equals: true } })),
    { name: 'kernel_config_missing', limits: { equals: '' } },
    { name: 'kernel_config_available' },
    { name: 'kernel_ppp', limits: { equals: true } },
  ],
  reasons: ['drivers-missing', 'kernel-no-ppp', 'kernel-options-missing'],
  remedies: ['kernel-option-driver-missing', 'kernel-rndis-missing', 'kernel-ecm-missing', 'kernel-usbnet-missing', 'kernel-ppp-missing', 'kernel-config-incomplete'],
  async run(ctx) {
    const list = await ctx.sh('ls /sys/bus/usb/drivers')
    const drivers = parseUsbDrivers(list.output).value
    ctx.facts.drivers = drivers
    const missing = missingDrivers(drivers, REQUIRED)
    for (const name of REQUIRED) ctx.measure(`driver_${name}`, drivers.includes(name))

    const config = await ctx.sh("[ -e /proc/config.gz ] && zcat /proc/config.gz | grep -E 'CONFIG_(USB_SERIAL|PPP|USB_NET|USB_USBNET)'")
    let missingOptions: string[] = []
    let pppByConfig: boolean | undefined
    const configReadable = config.status === 0 && config.output.includes('CONFIG_')
    if (configReadable) {
      const check = checkKernelConfig(parseKernelConfig(config.output).value)
      missingOptions = check.groups.flatMap((g) => g.options.filter((o) => !o.ok).map((o) => `${o.name} (${o.actual})`))
      pppByConfig = check.groups.find((g) => g.id === 'ppp')?.ok
      ctx.measure('kernel_config_missing', missingOptions.join(', '))
    }
    ctx.measure('kernel_config_available', configReadable)

    const ppp = await ctx.sh('[ -e /dev/ppp ] || grep -q ppp /proc/devices')
    const pppSupport = pppByConfig ?? ppp.status === 0
    ctx.facts.kernelPpp = pppSupport
    ctx.measure('kernel_ppp', pppSupport)

    if (missing.length) return { verdict: 'fail', reason: reason('drivers-missing', { list: missing.join(', ') }), remediation: remedy(driverRemedy(missing)) }
    if (!pppSupport) return { verdict: 'fail', reason: reason('kernel-no-ppp'), remediation: remedy('kernel-ppp-missing') }
    if (missingOptions.length) return { verdict: 'fail', reason: reason('kernel-options-missing', { list: missingOptions.join(', ') }), remediation: remedy('kernel-config-incomplete', { list: missingOptions.join(', ') }) }
    return { verdict: 'pass' }
  },
}
