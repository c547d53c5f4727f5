/** Step `ppp.dial`: quectel-ppp-kill, quectel-pppd.sh DEV APN, then wait by polling for ppp0 with an address. */
import { findInterface, parseIfconfig, parsePppdLog } from '../../parsers/index'
import { shQuote } from '../../ppp/index'
import { IPV4_LIMITS } from '../declare'
import { reason, remedy } from '../remediation'
import type { StepContext, StepDefinition } from '../types'

/** Where the dial's pppd output goes on the board (read back on failure). */
export const PPPD_LOG = '/tmp/k230-bringup-pppd.log'

/** True while a pppd process runs on the board. */
export async function pppdRunning(ctx: StepContext): Promise<boolean> {
  return (await ctx.sh('killall -0 pppd')).status === 0
}

/** Stops pppd with the reference document's kill script when one runs. */
export async function stopPppd(ctx: StepContext): Promise<void> {
  if (await pppdRunning(ctx)) await ctx.sh('/etc/ppp/quectel-ppp-kill', { timeoutMs: 10_000 })
}

/** Dials PPP with the generated scripts. */
export const pppDialStep: StepDefinition = {
  id: 'ppp.dial',
  title: 'PPP dial',
  titleKey: 'step.ppp-dial',
  needs: ['modem', 'userland', 'ppp-config'],
  mode: 'ppp',
  measures: [{ name: 'ppp0_ip', limits: IPV4_LIMITS }, { name: 'peer_ip' }, { name: 'dns' }, { name: 'pppd_outcome' }],
  reasons: ['module-gone', 'connect-script-failed', 'ppp-auth-failed', 'ppp-no-kernel', 'pppd-exited', 'ppp-no-address'],
  remedies: ['modem-not-answering', 'ppp-no-carrier', 'ppp-auth-failed', 'kernel-ppp-missing', 'ppp-no-address'],
  async run(ctx) {
    await stopPppd(ctx)
    if ((await ctx.sh(`[ -e ${shQuote(ctx.profile.device)} ]`)).status !== 0) return { verdict: 'fail', reason: reason('module-gone', { device: ctx.profile.device }), remediation: remedy('modem-not-answering') }
    await ctx.sh(`/etc/ppp/quectel-pppd.sh ${shQuote(ctx.profile.device)} ${shQuote(ctx.profile.apn)} > ${PPPD_LOG} 2>&1`)
    const result = await ctx.waitFor(async () => {
      const ifc = findInterface(parseIfconfig((await ctx.sh('ifconfig ppp0')).output).value, 'ppp0')
      if (ifc?.inet) return { ip: ifc.inet, peer: ifc.peer }
      return (await pppdRunning(ctx)) ? undefined : { ip: undefined, peer: undefined }
    }, ctx.profile.timeouts.pppMs)
    const log = parsePppdLog((await ctx.sh(`cat ${PPPD_LOG}`)).output).value
    ctx.measure('ppp0_ip', result?.ip ?? null)
    ctx.measure('peer_ip', result?.peer ?? log.remoteIp ?? null)
    ctx.measure('dns', [log.primaryDns, log.secondaryDns].filter(Boolean).join(' ') || null)
    ctx.measure('pppd_outcome', log.outcome)
    if (result?.ip) {
      ctx.facts.dialed = 'ppp'
      return { verdict: 'pass' }
    }
    const chatSaw = log.errors.join(' ')
    if (log.outcome === 'connect-script-failed' || /NO CARRIER|ERROR/.test(chatSaw)) return { verdict: 'fail', reason: reason('connect-script-failed', { detail: chatSaw || log.outcome }), remediation: remedy('ppp-no-carrier', { apn: ctx.profile.apn }) }
    if (log.outcome === 'auth-failed') return { verdict: 'fail', reason: reason('ppp-auth-failed'), remediation: remedy('ppp-auth-failed') }
    if (ctx.facts.kernelPpp === false) return { verdict: 'fail', reason: reason('ppp-no-kernel'), remediation: remedy('kernel-ppp-missing') }
    return { verdict: 'fail', reason: result ? reason('pppd-exited', { outcome: log.outcome }) : reason('ppp-no-address', { seconds: ctx.profile.timeouts.pppMs / 1000 }), remediation: remedy('ppp-no-address') }
  },
}
