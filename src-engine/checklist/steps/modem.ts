/** Step `modem`: AT answers, identity (model, firmware, IMEI, ICCID, IMSI), SIM, signal, registration, operator. */
import { parseAti, parseCsq, parseIccid, parseImei, parseImsi, parseOperator, parseRegistration, parseSimStatus, type RegistrationKind } from '../../at/index'
import { readReply, responseOf } from '../at-read'
import { reason, remedy } from '../remediation'
import type { AtReply, StepDefinition } from '../types'

const REGISTRATIONS: RegistrationKind[] = ['CEREG', 'CREG', 'CGREG']

function registrationOf(reply: AtReply): number | undefined {
  for (const kind of REGISTRATIONS) {
    const stat = readReply(reply, (r) => parseRegistration(r, kind), { answered: true })?.stat
    if (stat !== undefined) return stat
  }
  return undefined
}

/** The `+CPIN:` text, or the final result when the SIM answer is an error (`+CME ERROR: 10`). */
function simText(reply: AtReply): string {
  const status = readReply(reply, parseSimStatus)
  if (status && responseOf(reply).final?.kind === 'ok') return status.detail
  return reply.final
}

/** Talks to the module over its AT port and judges SIM, signal and registration. */
export const modemStep: StepDefinition = {
  id: 'modem',
  title: 'Modem: AT, identity, SIM, signal, registration',
  titleKey: 'step.modem',
  needs: ['usb'],
  measures: [
    { name: 'at_answers', limits: { equals: true } },
    { name: 'model' },
    { name: 'firmware' },
    { name: 'imei', limits: { pattern: '^\\d{15}$', text: 'digits15' } },
    { name: 'sim', limits: { equals: 'READY' } },
    { name: 'iccid' },
    { name: 'csq' },
    { name: 'signal', unit: 'dBm', limits: (profile) => ({ low: profile.limits.csqMinDbm }) },
    { name: 'registration', limits: { pattern: '^[15]$', text: 'registered' } },
    { name: 'operator' },
  ],
  reasons: ['modem-silent', 'sim-missing', 'sim-not-ready', 'no-signal', 'weak-signal', 'registration-denied', 'not-registered'],
  remedies: ['modem-not-answering', 'sim-missing', 'sim-not-ready', 'no-signal', 'weak-signal', 'registration-denied', 'not-registered'],
  async run(ctx) {
    const answer = await ctx.waitFor(async () => ((await ctx.at('AT')).ok ? true : undefined), 5_000)
    ctx.measure('at_answers', answer === true)
    if (!answer) return { verdict: 'fail', reason: reason('modem-silent', { device: ctx.profile.device }), remediation: remedy('modem-not-answering') }

    const ati = readReply(await ctx.at('ATI'), parseAti)
    const model = ati?.model
    const firmware = ati?.revision
    const first = await ctx.at('AT+GSN;+CPIN?')
    const imei = readReply(first, parseImei, { answered: true })?.imei
    const sim = simText(first)
    const simState = readReply(first, parseSimStatus)?.state
    const simReady = simState === 'ready'
    const rest = await ctx.at(simReady ? 'AT+QCCID;+CIMI;+CSQ;+CEREG?;+COPS?' : 'AT+CSQ;+CEREG?;+COPS?')
    const iccid = simReady ? readReply(rest, parseIccid, { answered: true })?.iccid : undefined
    const imsi = simReady ? readReply(rest, parseImsi, { answered: true })?.imsi : undefined
    ctx.identify({ modemModel: model, modemFirmware: firmware, imei, iccid, imsi })
    ctx.measure('model', model ?? null)
    ctx.measure('firmware', firmware ?? null)
    ctx.measure('imei', imei ?? null)
    ctx.measure('sim', sim)
    ctx.measure('iccid', iccid ?? null)

    const signal = readReply(rest, parseCsq, { answered: true })
    const rssi = signal?.rssi
    const dbm = signal?.dbm ?? null
    ctx.measure('csq', rssi ?? null)
    ctx.measure('signal', dbm)

    const stat = registrationOf(rest)
    ctx.measure('registration', stat ?? null)
    const operator = readReply(rest, parseOperator, { answered: true })?.name
    ctx.identify({ operator })
    ctx.measure('operator', operator ?? null)

    if (simState === 'not-inserted') return { verdict: 'fail', reason: reason('sim-missing'), remediation: remedy('sim-missing') }
    if (!simReady) return { verdict: 'fail', reason: reason('sim-not-ready', { state: sim }), remediation: remedy('sim-not-ready') }
    if (dbm === null) return { verdict: 'fail', reason: reason('no-signal', { csq: rssi ?? '?' }), remediation: remedy('no-signal') }
    if (dbm < ctx.profile.limits.csqMinDbm) return { verdict: 'fail', reason: reason('weak-signal', { dbm, limit: ctx.profile.limits.csqMinDbm }), remediation: remedy('weak-signal', { dbm, csq: rssi ?? '?', limit: ctx.profile.limits.csqMinDbm }) }
    if (stat === 3) return { verdict: 'fail', reason: reason('registration-denied'), remediation: remedy('registration-denied') }
    if (stat !== 1 && stat !== 5) return { verdict: 'fail', reason: reason('not-registered', { stat: stat ?? '?' }), remediation: remedy('not-registered') }
    return { verdict: 'pass' }
  },
}
