/** Step `modem`: AT answers, identity (model, firmware, IMEI, ICCID, IMSI), SIM, signal, registration, operator. */
import { csqToDbm } from '../measure'
import { reason, remedy } from '../remediation'
import type { AtReply, StepDefinition } from '../types'

function field(reply: AtReply, prefix: string): string | undefined {
  const line = reply.lines.find((l) => l.startsWith(prefix))
  return line?.slice(prefix.length).trim()
}

function digits(reply: AtReply, length: RegExp): string | undefined {
  return reply.lines.map((l) => l.replace(/^\+\w+:\s*/, '').trim()).find((l) => length.test(l))
}

function registrationOf(reply: AtReply): number | undefined {
  for (const prefix of ['+CEREG:', '+CREG:', '+CGREG:']) {
    const stat = Number.parseInt((field(reply, prefix) ?? '').split(',')[1] ?? '', 10)
    if (Number.isInteger(stat)) return stat
  }
  return undefined
}

/** Talks to the module over its AT port and judges SIM, signal and registration. */
export const modemStep: StepDefinition = {
  id: 'modem',
  title: 'Modem: AT, identity, SIM, signal, registration',
  needs: ['usb'],
  async run(ctx) {
    const answer = await ctx.waitFor(async () => ((await ctx.at('AT')).ok ? true : undefined), 5_000)
    ctx.measure('at_answers', answer === true, { limits: { equals: true } })
    if (!answer) return { verdict: 'fail', reason: reason('modem-silent', { device: ctx.profile.device }), remediation: remedy('modem-not-answering') }

    const ati = await ctx.at('ATI')
    const model = ati.lines.find((l) => /^EC\d/.test(l)) ?? ati.lines[1]
    const firmware = ati.lines.find((l) => l.startsWith('Revision:'))?.slice(9).trim()
    const first = await ctx.at('AT+GSN;+CPIN?')
    const imei = digits(first, /^\d{15}$/)
    const sim = field(first, '+CPIN:') ?? first.final
    const simReady = sim === 'READY'
    const rest = await ctx.at(simReady ? 'AT+QCCID;+CIMI;+CSQ;+CEREG?;+COPS?' : 'AT+CSQ;+CEREG?;+COPS?')
    const iccid = simReady ? digits(rest, /^[0-9A-F]{18,22}$/i) : undefined
    const imsi = simReady ? digits(rest, /^\d{14,15}$/) : undefined
    ctx.identify({ modemModel: model, modemFirmware: firmware, imei, iccid, imsi })
    ctx.measure('model', model ?? null)
    ctx.measure('firmware', firmware ?? null)
    ctx.measure('imei', imei ?? null, { limits: { pattern: '^\\d{15}$', text: 'digits15' } })
    ctx.measure('sim', sim, { limits: { equals: 'READY' } })
    ctx.measure('iccid', iccid ?? null)

    const rssi = Number.parseInt((field(rest, '+CSQ:') ?? '').split(',')[0] ?? '', 10)
    const dbm = csqToDbm(rssi)
    ctx.measure('csq', Number.isInteger(rssi) ? rssi : null)
    ctx.measure('signal', dbm, { unit: 'dBm', limits: { low: ctx.profile.limits.csqMinDbm } })

    const stat = registrationOf(rest)
    ctx.measure('registration', stat ?? null, { limits: { pattern: '^[15]$', text: 'registered' } })
    const operator = field(rest, '+COPS:')?.match(/"([^"]*)"/)?.[1]
    ctx.identify({ operator })
    ctx.measure('operator', operator ?? null)

    if (/CME ERROR: 10\b/.test(first.final) || /NOT INSERTED/i.test(sim)) return { verdict: 'fail', reason: reason('sim-missing'), remediation: remedy('sim-missing') }
    if (sim !== 'READY') return { verdict: 'fail', reason: reason('sim-not-ready', { state: sim }), remediation: remedy('sim-not-ready') }
    if (dbm === null) return { verdict: 'fail', reason: reason('no-signal', { csq: Number.isInteger(rssi) ? rssi : '?' }), remediation: remedy('no-signal') }
    if (dbm < ctx.profile.limits.csqMinDbm) return { verdict: 'fail', reason: reason('weak-signal', { dbm, limit: ctx.profile.limits.csqMinDbm }), remediation: remedy('weak-signal', { dbm, csq: rssi, limit: ctx.profile.limits.csqMinDbm }) }
    if (stat === 3) return { verdict: 'fail', reason: reason('registration-denied'), remediation: remedy('registration-denied') }
    if (stat !== 1 && stat !== 5) return { verdict: 'fail', reason: reason('not-registered', { stat: stat ?? '?' }), remediation: remedy('not-registered') }
    return { verdict: 'pass' }
  },
}
