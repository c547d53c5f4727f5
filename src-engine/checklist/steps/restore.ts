/** Step `restore`: tear the data links down and leave the module in the profile's final mode. */
import { shQuote } from '../../ppp/index'
import { reason, remedy } from '../remediation'
import type { StepDefinition } from '../types'
import { USBNET } from './mode'
import { readUsbnet, REGISTERED_AFTER_RESET, resetModule } from './module'
import { pppdRunning, stopPppd } from './ppp'

/** Stops pppd, turns the echo chat's ATE0 turned off back on, ends the ECM/RNDIS data call and sets the final usbnet mode (restarting the module when it differs). */
export const restoreStep: StepDefinition = {
  id: 'restore',
  title: 'Leave the board in the final mode',
  titleKey: 'step.restore',
  needs: ['modem'],
  measures: [{ name: 'pppd_running', limits: { equals: false } }, { name: 'data_call_down' }, REGISTERED_AFTER_RESET, { name: 'final_usbnet', limits: (profile) => ({ equals: USBNET[profile.finalMode].value }) }],
  reasons: ['module-gone', 'at-rejected', 'module-not-back', 'usbnet-wrong', 'pppd-still-running'],
  remedies: ['module-stuck-after-reset', 'restore-failed'],
  async run(ctx) {
    await stopPppd(ctx)
    const pppdLeft = await pppdRunning(ctx)
    ctx.measure('pppd_running', pppdLeft)
    if ((await ctx.sh(`[ -e ${shQuote(ctx.profile.device)} ]`)).status !== 0) return { verdict: 'fail', reason: reason('module-gone', { device: ctx.profile.device }), remediation: remedy('module-stuck-after-reset') }
    await ctx.at('ATE1')
    const down = await ctx.at('AT+QNETDEVCTL=0,1,0')
    ctx.measure('data_call_down', down.final)
    const want = USBNET[ctx.profile.finalMode].value
    const current = await readUsbnet(ctx)
    if (current !== want) {
      const set = await ctx.at(`AT+QCFG="usbnet",${want}`)
      if (!set.ok) return { verdict: 'fail', reason: reason('at-rejected', { command: `AT+QCFG="usbnet",${want}`, answer: set.final }), remediation: remedy('restore-failed') }
      const { back } = await resetModule(ctx)
      if (!back) return { verdict: 'fail', reason: reason('module-not-back'), remediation: remedy('module-stuck-after-reset') }
    }
    const final = current === want ? current : await readUsbnet(ctx)
    ctx.measure('final_usbnet', final ?? null)
    if (final !== want) return { verdict: 'fail', reason: reason('usbnet-wrong', { actual: final ?? '?', expected: want }), remediation: remedy('restore-failed') }
    if (pppdLeft) return { verdict: 'fail', reason: reason('pppd-still-running'), remediation: remedy('restore-failed') }
    return { verdict: 'pass' }
  },
}
