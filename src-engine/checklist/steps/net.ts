/** Steps `ecm.net`, `rndis.net`, `ppp.net`: DNS resolution and ping over one interface, loss and RTT against limits. */
import type { NetMode } from '@shared/record'
import { parsePing } from '../../parsers/index'
import { shQuote } from '../../ppp/index'
import { IPV4_LIMITS } from '../declare'
import { reason, remedy } from '../remediation'
import type { StepDefinition, StepOutcome } from '../types'

/** Pings every profile host through `iface`; the first failure decides the remediation. */
export function netStep(mode: NetMode, iface: string): StepDefinition {
  return {
    id: `${mode}.net`,
    title: `${mode.toUpperCase()} connectivity`,
    titleKey: 'step.net',
    titleParams: { mode: mode.toUpperCase() },
    needs: [`${mode}.dial`],
    mode,
    measures: [
      { name: 'dns', limits: IPV4_LIMITS, perHost: true },
      { name: 'loss', unit: '%', limits: (profile) => ({ high: profile.limits.lossMaxPercent }), perHost: true },
      { name: 'rtt_avg', unit: 'ms', limits: (profile) => ({ high: profile.limits.rttMaxMs }), perHost: true },
    ],
    reasons: ['dns-unresolved', 'no-replies', 'loss-over', 'rtt-over'],
    remedies: ['dns-failure', 'no-data', 'high-loss', 'high-latency'],
    async run(ctx) {
      const { count, hosts } = ctx.profile.ping
      const limits = ctx.profile.limits
      let outcome: StepOutcome = { verdict: 'pass' }
      for (const host of hosts) {
        const run = await ctx.sh(`ping -I ${iface} -c ${count} ${shQuote(host)}`, { timeoutMs: count * 1_000 + 15_000 })
        const ping = parsePing(run.output).value
        const suffix = hosts.length > 1 ? `_${host}` : ''
        const badAddress = ping.errors.some((e) => /bad address|unknown host|Name or service not known/i.test(e)) || /bad address/i.test(run.output)
        ctx.measure(`dns${suffix}`, ping.address ?? null)
        if (badAddress || !ping.address) {
          if (outcome.verdict === 'pass') outcome = { verdict: 'fail', reason: reason('dns-unresolved', { host }), remediation: remedy('dns-failure', { host }) }
          continue
        }
        const stats = ping.statistics
        const loss = stats?.lossPercent ?? (ping.replies.length ? 100 - (100 * ping.replies.length) / count : 100)
        const rtt = stats?.avgMs ?? null
        ctx.measure(`loss${suffix}`, loss)
        ctx.measure(`rtt_avg${suffix}`, rtt)
        if (outcome.verdict !== 'pass') continue
        if (!ping.reachable || loss >= 100) outcome = { verdict: 'fail', reason: reason('no-replies', { host, iface }), remediation: remedy('no-data') }
        else if (loss > limits.lossMaxPercent) outcome = { verdict: 'fail', reason: reason('loss-over', { loss, host, limit: limits.lossMaxPercent }), remediation: remedy('high-loss', { loss, limit: limits.lossMaxPercent }) }
        else if (rtt !== null && rtt > limits.rttMaxMs) outcome = { verdict: 'fail', reason: reason('rtt-over', { rtt, host, limit: limits.rttMaxMs }), remediation: remedy('high-latency', { rtt, limit: limits.rttMaxMs }) }
      }
      return outcome
    },
  }
}
